package dev.bookstore.retention;

import dev.bookstore.config.InvalidConfigurationException;
import dev.bookstore.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * How long a command's outcome (its idempotency record) and a review's wait are kept, and how many rows one
 * batch deletes. Read once at start-up; a window too short for the queues' retention stops the function there.
 *
 * @param window    outcomes recorded and waits last counted longer ago than this are deleted
 * @param batchSize the most rows one transaction deletes
 */
public record RetentionSettings(Duration window, int batchSize) {

    /** Days an outcome is kept after it was recorded; the template's {@code IdempotencyWindowDays}. */
    public static final String WINDOW_DAYS = "BOOKSTORE_IDEMPOTENCY_WINDOW_DAYS";
    /** The command queues' {@code MessageRetentionPeriod}, in seconds. */
    public static final String SOURCE_QUEUE_RETENTION_SECONDS = "BOOKSTORE_SOURCE_QUEUE_RETENTION_SECONDS";
    /** Their dead-letter queues' {@code MessageRetentionPeriod}, in seconds. */
    public static final String DLQ_RETENTION_SECONDS = "BOOKSTORE_DLQ_RETENTION_SECONDS";
    /** Rows one transaction deletes at most; 1000 by default. */
    public static final String BATCH_SIZE = "BOOKSTORE_RETENTION_BATCH_SIZE";

    static final int DEFAULT_BATCH_SIZE = 1000;
    /** What SQS allows for MessageRetentionPeriod: 60 seconds to 14 days. */
    private static final int SQS_MIN_RETENTION_SECONDS = 60;
    private static final int SQS_MAX_RETENTION_SECONDS = 1_209_600;

    public RetentionSettings {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive, was " + window);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("a batch deletes at least one row, was " + batchSize);
        }
    }

    /**
     * The settings in {@code env}, with the window checked against the queues' retention.
     *
     * <p>A copy of a command can still arrive up to the DLQ's retention plus the source queue's after it was first
     * sent. For a standard queue a message's expiry counts from its original enqueue time, which the move to the
     * DLQ leaves unchanged, so a dead letter is gone at most the DLQ's retention after it was sent ("Setting-up
     * dead-letter queue retention in Amazon SQS", Amazon SQS Developer Guide). A redrive (our replay, or SQS's
     * StartMessageMoveTask) makes it a new message with a new enqueue time, so the replayed copy can wait another
     * source retention ("Learn how to configure a dead-letter queue redrive in Amazon SQS", same guide). Inside the
     * window such a copy finds its outcome and changes nothing; so the window must be longer than both together.
     */
    public static RetentionSettings from(Map<String, String> env) {
        Settings settings = new Settings(env);
        int windowDays = required(settings, WINDOW_DAYS, 1, 3650);
        long sourceRetention = required(settings, SOURCE_QUEUE_RETENTION_SECONDS, SQS_MIN_RETENTION_SECONDS, SQS_MAX_RETENTION_SECONDS);
        long dlqRetention = required(settings, DLQ_RETENTION_SECONDS, SQS_MIN_RETENTION_SECONDS, SQS_MAX_RETENTION_SECONDS);
        Duration window = Duration.ofDays(windowDays);
        Duration longestRedelivery = Duration.ofSeconds(dlqRetention + sourceRetention);
        if (window.compareTo(longestRedelivery) <= 0) {
            throw new InvalidConfigurationException(WINDOW_DAYS, windowDays + " days must be longer than " + DLQ_RETENTION_SECONDS
                    + " (" + dlqRetention + " s) + " + SOURCE_QUEUE_RETENTION_SECONDS + " (" + sourceRetention + " s) = "
                    + longestRedelivery.toSeconds() + " s (" + days(longestRedelivery) + " days): a command replayed from a DLQ"
                    + " can arrive that late, and once its outcome is deleted it would be applied as new");
        }
        return new RetentionSettings(window, settings.integer(BATCH_SIZE, DEFAULT_BATCH_SIZE, 1, 10_000));
    }

    private static int required(Settings settings, String name, int min, int max) {
        settings.required(name);
        return settings.integer(name, 0, min, max);
    }

    private static String days(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 86_400 == 0 ? String.valueOf(seconds / 86_400) : String.format(java.util.Locale.ROOT, "%.2f", seconds / 86_400.0);
    }
}
