package dev.bookstore.publisher.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.config.AwsSettings;
import dev.bookstore.config.Settings;
import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.connection.PostgresConnector;
import dev.bookstore.db.Database;
import dev.bookstore.publisher.EventBridgeBus;
import dev.bookstore.publisher.EventPublisher;
import dev.bookstore.publisher.PublisherSettings;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;

/**
 * Publishes every unpublished change event, whatever invoked it: writers' nudges after their commits (a batch from the
 * publish queue, whose content does not matter) or the sweep's schedule, whose event is an empty batch (its {@code
 * Input} in template.yaml) and publishes what a lost nudge or a failed run left. Either way it claims from the
 * database, so two at once share the work and nothing is sent by both. A failed run throws: its nudges come back.
 */
public final class EventPublisherHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Time kept back for one more claim: connect, claim, send (with the SDK's retries) and mark before the timeout. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSING = Duration.ofSeconds(1);

    private final EventPublisher publisher;

    /** For the Lambda runtime. */
    public EventPublisherHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables; bad configuration throws here. */
    public EventPublisherHandler(Map<String, String> environment) {
        this(new Settings(environment), DatabaseConfig.from(environment));
    }

    private EventPublisherHandler(Settings settings, DatabaseConfig database) {
        this(settings, PublisherSettings.from(settings), database);
    }

    private EventPublisherHandler(Settings settings, PublisherSettings publishing, DatabaseConfig database) {
        this(new EventPublisher(Database.singleConnection(new PostgresConnector(database)), bus(settings, publishing),
                publishing.claimSize(),
                database.connectTimeout().plus(database.socketTimeout()).plus(SEND_TIMEOUT).plus(CLOSING), Clock.systemUTC(),
                LogLine.toStdout("event-publisher"), Metrics.toStdout("event-publisher")));
    }

    public EventPublisherHandler(EventPublisher publisher) {
        this.publisher = publisher;
    }

    private static EventBridgeBus bus(Settings settings, PublisherSettings publishing) {
        EventBridgeClientBuilder builder = EventBridgeClient.builder()
                .region(AwsSettings.region(settings))
                .credentialsProvider(AwsSettings.credentials(settings))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(3)).build())
                // A request that may have been accepted is sent again: a duplicate on the bus, never a loss.
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(3)).apiCallTimeout(SEND_TIMEOUT)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy()));
        URI endpoint = settings.optionalUrl(PublisherSettings.EVENTS_ENDPOINT);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return new EventBridgeBus(builder.build(), publishing.busName(), publishing.source());
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        boolean nudged = event != null && event.getRecords() != null && !event.getRecords().isEmpty();
        publisher.run(nudged ? "nudge" : "sweep", context::getRemainingTimeInMillis);
        return new SQSBatchResponse(List.of());
    }
}
