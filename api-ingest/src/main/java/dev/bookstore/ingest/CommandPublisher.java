package dev.bookstore.ingest;

import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.Payload;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Puts a command on its queue. Returns only once SQS has stored it; a {@code 202} must never come before that. */
public final class CommandPublisher {

    /** What the API waits for SQS, retries included; well inside the function's timeout. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private final SqsClient sqs;
    private final IngestConfig config;
    private final CommandCodec codec;

    public CommandPublisher(SqsClient sqs, IngestConfig config, CommandCodec codec) {
        this.sqs = sqs;
        this.config = config;
        this.codec = codec;
    }

    /** A lean client: the JDK's HTTP connection instead of Netty or Apache, for a small jar and a fast cold start. */
    public static SqsClient client(IngestConfig config) {
        SqsClientBuilder builder = SqsClient.builder()
                .region(config.region())
                .credentialsProvider(config.credentials())
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofSeconds(2))
                        .build())
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(Duration.ofMillis(1500)));
        if (config.sqsEndpoint() != null) {
            builder.endpointOverride(config.sqsEndpoint());
        }
        return builder.build();
    }

    /** Returns the SQS message id. */
    public String publish(CommandEnvelope command) {
        URI queue = Payload.CREATE_BOOK.equals(command.type()) ? config.booksQueueUrl() : config.reviewsQueueUrl();
        try {
            return sqs.sendMessage(r -> r.queueUrl(queue.toString())
                    .messageBody(codec.encode(command))
                    .messageAttributes(Map.of(
                            "type", text(command.type()),
                            "version", MessageAttributeValue.builder().dataType("Number").stringValue(String.valueOf(command.version())).build(),
                            "correlationId", text(command.correlationId()))))
                    .messageId();
        } catch (SdkException e) {
            throw new QueueUnavailableException("SQS did not take the command for " + queue + ": " + e.getMessage(), e);
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
