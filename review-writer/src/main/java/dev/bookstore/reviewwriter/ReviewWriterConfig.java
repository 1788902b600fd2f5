package dev.bookstore.reviewwriter;

import dev.bookstore.config.InvalidConfigurationException;
import dev.bookstore.config.Settings;
import dev.bookstore.sqs.SqsClients;
import dev.bookstore.writer.Patience;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How long a review waits for its book, read and checked once per execution environment against the queue's own
 * settings, which the template passes alongside: each error names both variables.
 */
public final class ReviewWriterConfig {

    /** Deliveries that find the book missing before the review is rejected {@code BOOK_NOT_FOUND}; below maxReceiveCount. */
    public static final String BOOK_WAIT_RECEIVES = "BOOKSTORE_BOOK_WAIT_RECEIVES";
    /** The whole back-off over those deliveries, in seconds: how long a book may sit in its DLQ and still be reviewed. */
    public static final String BOOK_WAIT_SECONDS = "BOOKSTORE_BOOK_WAIT_SECONDS";
    /** The reviews queue, whose messages' visibility the back-off sets. */
    public static final String REVIEWS_QUEUE_URL = "BOOKSTORE_REVIEWS_QUEUE_URL";
    /** The queue's maxReceiveCount, as the template sets it. */
    public static final String REVIEWS_MAX_RECEIVES = "BOOKSTORE_REVIEWS_MAX_RECEIVES";
    /** The queue's MessageRetentionPeriod, as the template sets it. */
    public static final String REVIEWS_RETENTION_SECONDS = "BOOKSTORE_REVIEWS_RETENTION_SECONDS";
    /** Optional: an SQS endpoint other than AWS's, such as the local runner's ElasticMQ. */
    public static final String SQS_ENDPOINT = SqsClients.SQS_ENDPOINT;

    static final int DEFAULT_RECEIVES = 4;
    static final int DEFAULT_WAIT_SECONDS = 12 * 3600;

    private ReviewWriterConfig() {
    }

    public static Patience patience(Settings settings) {
        int receives = settings.integer(BOOK_WAIT_RECEIVES, DEFAULT_RECEIVES, 1, 100);
        int seconds = settings.integer(BOOK_WAIT_SECONDS, DEFAULT_WAIT_SECONDS, 0, 100 * 12 * 3600);
        int maxReceives = settings.integer(REVIEWS_MAX_RECEIVES, 5, 1, 1000);
        int retention = settings.integer(REVIEWS_RETENTION_SECONDS, 345_600, 60, 1_209_600);
        if (receives >= maxReceives) {
            throw new InvalidConfigurationException(BOOK_WAIT_RECEIVES, receives + " must be below " + REVIEWS_MAX_RECEIVES + " ("
                    + maxReceives + "), or the queue dead-letters a waiting review before the writer may reject it");
        }
        if (seconds >= retention) {
            throw new InvalidConfigurationException(BOOK_WAIT_SECONDS, seconds + " must be below " + REVIEWS_RETENTION_SECONDS + " ("
                    + retention + "), or a waiting review expires from the queue before its wait is over");
        }
        long longest = Patience.LONGEST_DELAY.toSeconds() * (receives - 1L);
        if (seconds > longest) {
            throw new InvalidConfigurationException(BOOK_WAIT_SECONDS, seconds + " cannot be spread over " + BOOK_WAIT_RECEIVES
                    + " (" + receives + ") - 1 delays of at most 12 hours each (" + longest + " s)");
        }
        URI queue = settings.requiredUrl(REVIEWS_QUEUE_URL);
        return new Patience(receives, Duration.ofSeconds(seconds), new SqsRedelivery(client(settings), queue));
    }

    /** Short timeouts: a delay not set is a shorter wait, not a failure. */
    private static SqsClient client(Settings settings) {
        return SqsClients.of(settings, Duration.ofSeconds(1), Duration.ofSeconds(2),
                o -> o.apiCallTimeout(Duration.ofSeconds(3)).retryStrategy(AwsRetryStrategy.standardRetryStrategy()));
    }
}
