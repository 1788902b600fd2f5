package dev.bookstore.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a call is sent again: at most {@code maxAttempts} sends in all. Before the n-th retry the
 * client waits a random time between half and all of {@code min(maxDelay, baseDelay × 2^(n-1))} (clients that failed
 * together spread out, and the wait still grows), and never less than the server's {@code Retry-After}.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public RetryPolicy {
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts counts the first send too, so at least 1, not " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay, not " + baseDelay + " and " + maxDelay);
        }
    }

    /** Five sends over about 1.5 s of back-off, or longer when the server asks (the API's Retry-After is 2 s). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /** One send and no retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The wait before retry {@code retry} (1 for the second send), at least {@code retryAfter} when not null. */
    Duration delayBefore(int retry, Duration retryAfter) {
        long cap = maxDelay.toNanos();
        long ceiling = Math.min(baseDelay.toNanos(), cap);
        for (int i = 1; i < retry && ceiling < cap; i++) {
            ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
        }
        long half = ceiling / 2;
        Duration wait = Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
        return retryAfter != null && retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
    }
}
