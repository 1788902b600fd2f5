package dev.bookstore.publisher;

import java.time.Duration;

/**
 * What one run did: events {@code published} (sent and marked), events EventBridge {@code refused} (left unpublished
 * for the next run), in {@code batches} transactions; {@code longestLag} is the longest time from an event's change to
 * its mark. {@code finished} is false when the run stopped for time with more left to claim.
 */
public record PublishRun(long published, long refused, int batches, Duration longestLag, Duration duration, boolean finished) {
}
