package dev.bookstore.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link BookstoreClient#awaitOutcome} polls: first after {@code initialDelay}, then twice as long each time up to
 * {@code maxDelay}, and never sooner than a {@code Retry-After}. No jitter: a poll is a cheap read of one row, and
 * each caller's polls start from its own write.
 */
public record PollPolicy(Duration initialDelay, Duration maxDelay) {

    public PollPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay, not " + initialDelay + " and " + maxDelay);
        }
    }

    /** 50 ms, doubling up to 1 s: most commands are applied within a writer's batch window. */
    public static PollPolicy defaults() {
        return new PollPolicy(Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    Duration after(Duration delay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(maxDelay) > 0 ? maxDelay : doubled;
    }
}
