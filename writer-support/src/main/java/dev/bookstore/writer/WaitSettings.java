package dev.bookstore.writer;

import dev.bookstore.config.InvalidConfigurationException;
import dev.bookstore.config.Settings;
import dev.bookstore.sqs.SqsClients;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How long a command waits for what it needs (a review for its book, a change for its book or review), read and
 * checked once per execution environment against the settings of the queue the writer consumes, which the template
 * passes alongside: each error names both variables.
 */
public final class WaitSettings {

    /** Deliveries that find what a command needs missing before it is rejected; below the queue's maxReceiveCount. */
    public static final String WAIT_RECEIVES = "BOOKSTORE_WAIT_RECEIVES";
    /** The whole back-off over those deliveries, in seconds: how long a book may sit in its DLQ and still be found. */
    public static final String WAIT_SECONDS = "BOOKSTORE_WAIT_SECONDS";
    /** The queue this writer consumes, whose messages' visibility the back-off sets. */
    public static final String QUEUE_URL = "BOOKSTORE_QUEUE_URL";
    /** That queue's maxReceiveCount, as the template sets it. */
    public static final String QUEUE_MAX_RECEIVES = "BOOKSTORE_QUEUE_MAX_RECEIVES";
    /** That queue's MessageRetentionPeriod, as the template sets it. */
    public static final String QUEUE_RETENTION_SECONDS = "BOOKSTORE_QUEUE_RETENTION_SECONDS";
    /** Optional: an SQS endpoint other than AWS's, such as the local runner's ElasticMQ. */
    public static final String SQS_ENDPOINT = SqsClients.SQS_ENDPOINT;

    static final int DEFAULT_RECEIVES = 4;
    static final int DEFAULT_WAIT_SECONDS = 12 * 3600;

    private WaitSettings() {
    }

    public static Patience patience(Settings settings) {
        return patience(settings, client(settings));
    }

    /** The same, its redeliveries delayed through {@code sqs}. */
    static Patience patience(Settings settings, SqsClient sqs) {
        int receives = settings.integer(WAIT_RECEIVES, DEFAULT_RECEIVES, 1, 100);
        int seconds = settings.integer(WAIT_SECONDS, DEFAULT_WAIT_SECONDS, 0, 100 * 12 * 3600);
        int maxReceives = settings.integer(QUEUE_MAX_RECEIVES, 5, 1, 1000);
        int retention = settings.integer(QUEUE_RETENTION_SECONDS, 345_600, 60, 1_209_600);
        if (receives >= maxReceives) {
            throw new InvalidConfigurationException(WAIT_RECEIVES, receives + " must be below " + QUEUE_MAX_RECEIVES + " ("
                    + maxReceives + "), or the queue dead-letters a waiting command before the writer may reject it");
        }
        if (seconds >= retention) {
            throw new InvalidConfigurationException(WAIT_SECONDS, seconds + " must be below " + QUEUE_RETENTION_SECONDS + " ("
                    + retention + "), or a waiting command expires from the queue before its wait is over");
        }
        long longest = Patience.LONGEST_DELAY.toSeconds() * (receives - 1L);
        if (seconds > longest) {
            throw new InvalidConfigurationException(WAIT_SECONDS, seconds + " cannot be spread over " + WAIT_RECEIVES
                    + " (" + receives + ") - 1 delays of at most 12 hours each (" + longest + " s)");
        }
        URI queue = settings.requiredUrl(QUEUE_URL);
        return new Patience(receives, Duration.ofSeconds(seconds), new SqsRedelivery(sqs, queue));
    }

    /** Short timeouts: a delay not set is a shorter wait, not a failure (nor is a nudge not sent, PublisherNudge). */
    static SqsClient client(Settings settings) {
        return SqsClients.of(settings, Duration.ofSeconds(1), Duration.ofSeconds(2),
                o -> o.apiCallTimeout(Duration.ofSeconds(3)).retryStrategy(AwsRetryStrategy.standardRetryStrategy()));
    }
}
