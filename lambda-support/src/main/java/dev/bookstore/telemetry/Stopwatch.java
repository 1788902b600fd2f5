package dev.bookstore.telemetry;

/** Time since a start, on the monotonic clock: what every handler's {@code latencyMs} and {@code Latency} metric report. */
public final class Stopwatch {

    private final long startedNanos;

    private Stopwatch(long startedNanos) {
        this.startedNanos = startedNanos;
    }

    public static Stopwatch start() {
        return new Stopwatch(System.nanoTime());
    }

    public double millis() {
        return (System.nanoTime() - startedNanos) / 1e6;
    }
}
