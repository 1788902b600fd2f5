package dev.bookstore.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarised. */
final class Percentiles {

    private final long[] sorted;

    Percentiles(long[] samples) {
        this.sorted = samples.clone();
        Arrays.sort(this.sorted);
    }

    /** The nearest-rank percentile, in milliseconds. */
    double millis(double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    int count() {
        return sorted.length;
    }
}
