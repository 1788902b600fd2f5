package dev.bookstore.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long a command waits for what it needs (a review for its book) before it is rejected, and how its
 * redeliveries are spaced meanwhile. It is rejected at its {@code receives}-th miss; the misses before that are each
 * followed by a longer delay, together {@code total}: the first a 720th of it (a minute of 12 hours, so a book a
 * moment late is found soon), each next one the same multiple of the one before. A book held up by an outage, or
 * waiting in its DLQ for an operator, can still come within {@code total}.
 *
 * @param redelivery how a delay is applied to a message; without one, messages come back after the queue's own
 *                   visibility timeout and the schedule is not kept
 * @param schedule   the {@code receives - 1} delays, in whole seconds (what SQS takes), adding up to {@code total};
 *                   worked out once, when the writer starts, not per message
 */
public record Patience(int receives, Duration total, Redelivery redelivery, List<Duration> schedule) {

    /** SQS's longest visibility timeout ("ChangeMessageVisibility": 12 hours). */
    public static final Duration LONGEST_DELAY = Duration.ofHours(12);
    private static final int FIRST_DELAY_SHARE = 720;

    public Patience(int receives, Duration total, Redelivery redelivery) {
        this(receives, total, redelivery, plan(receives, total));
    }

    public Patience {
        schedule = List.copyOf(schedule);
        if (schedule.size() != receives - 1) {
            throw new IllegalArgumentException(receives + " receives need " + (receives - 1) + " delays, not " + schedule.size());
        }
    }

    /** For a writer whose commands never wait. */
    public static Patience none() {
        return new Patience(1, Duration.ZERO, Redelivery.NONE);
    }

    /** The delay before the next delivery after the {@code waits}-th miss (1-based, below {@link #receives}). */
    public Duration delayAfter(int waits) {
        return schedule.get(Math.min(waits, receives - 1) - 1);
    }

    /**
     * What is left of the {@link #total} after {@code waited}, in whole seconds rounded up (what SQS takes) and at most
     * {@link #LONGEST_DELAY}; zero once the whole of it has passed.
     */
    public Duration rest(Duration waited) {
        if (waited.compareTo(total) >= 0) {
            return Duration.ZERO;
        }
        Duration left = total.minus(waited);
        long seconds = left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.min(seconds, LONGEST_DELAY.toSeconds()));
    }

    private static List<Duration> plan(int receives, Duration total) {
        if (receives < 1) {
            throw new IllegalArgumentException("receives must be at least 1: " + receives);
        }
        if (total.isNegative() || total.compareTo(LONGEST_DELAY.multipliedBy(Math.max(1, receives - 1))) > 0) {
            throw new IllegalArgumentException("a wait of " + total.toSeconds() + " s cannot be spread over " + (receives - 1)
                    + " delays of at most " + LONGEST_DELAY.toSeconds() + " s each");
        }
        int delays = receives - 1;
        List<Duration> schedule = new ArrayList<>(delays);
        if (delays == 0) {
            return schedule;
        }
        long seconds = total.toSeconds();
        long longest = LONGEST_DELAY.toSeconds();
        // A first delay no later delays of at most 12 hours could make up for would leave the wait short: start higher.
        double first = Math.max(Math.max(1, seconds / (double) FIRST_DELAY_SHARE), seconds - (double) longest * (delays - 1));
        if (first * delays >= seconds) {
            first = seconds / (double) delays; // too short a wait to grow: equal delays
        }
        double ratio = ratio(first, delays, seconds, longest);
        long[] rounded = new long[delays];
        long left = seconds;
        for (int i = 0; i < delays; i++) {
            rounded[i] = Math.min(left, Math.round(Math.min(longest, first * Math.pow(ratio, i))));
            left -= rounded[i];
        }
        for (int i = delays - 1; i >= 0 && left > 0; i--) { // what rounding left over, on the latest delays that have room
            long more = Math.min(left, longest - rounded[i]);
            rounded[i] += more;
            left -= more;
        }
        for (long delay : rounded) {
            schedule.add(Duration.ofSeconds(delay));
        }
        return schedule;
    }

    /** The ratio q at which the delays first * q^k, each at most {@code longest}, add up to {@code total}; by bisection. */
    private static double ratio(double first, int n, long total, long longest) {
        double low = 1;
        double high = Math.max(2, total);
        for (int i = 0; i < 200; i++) {
            double mid = (low + high) / 2;
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += Math.min(longest, first * Math.pow(mid, k));
            }
            if (sum < total) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }
}
