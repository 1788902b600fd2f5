package dev.bookstore.client;

import java.time.Duration;

/** The waits between attempts and polls. */
final class Pause {

    private Pause() {
    }

    static void sleep(Duration duration) throws InterruptedException {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        long nanos = duration.toNanos();
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
}
