package dev.bookstore.retention;

import java.time.Duration;
import java.time.Instant;

/**
 * What one run deleted: rows older than {@code cutoff}, in {@code batches} transactions of which the longest took
 * {@code longestBatch}. {@code finished} is false when the run stopped because its time was running out; the
 * next run takes up the rest.
 */
public record RetentionRun(Instant cutoff, long outcomesDeleted, long waitsDeleted, long eventsDeleted, int batches, Duration longestBatch,
                           Duration duration, boolean finished) {
}
