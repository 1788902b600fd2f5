package dev.bookstore.publisher;

import dev.bookstore.db.Database;
import dev.bookstore.domain.FeedEvent;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Publishes what the writers committed: claims up to {@link PublisherSettings#claimSize()} unpublished events (oldest
 * first, passing over those another run holds), sends them to the bus and marks those the bus accepted, all in one
 * transaction; then the next claim, until none is left or the time left is shorter than {@code reserve}.
 *
 * <p>The mark commits after the send, so a publisher that dies in between (a timeout, a crash, a lost connection)
 * leaves its events unmarked and unlocked, and the next run sends them again: every event reaches the bus at least
 * once, and one may reach it twice. Subscribers deduplicate on {@code eventId} (docs/events.md). The order of events
 * on the bus is not the feed's: runs at once claim different events, and EventBridge keeps no order either; a
 * subscriber orders a resource's events by {@code resourceVersion}.
 */
public final class EventPublisher {

    private final Database db;
    private final EventBus bus;
    private final int claimSize;
    private final Duration reserve;
    private final Clock clock;
    private final LogLine log;
    private final Metrics metrics;

    public EventPublisher(Database db, EventBus bus, int claimSize, Duration reserve, Clock clock, LogLine log, Metrics metrics) {
        this.db = db;
        this.bus = bus;
        this.claimSize = claimSize;
        this.reserve = reserve;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /** One run; {@code remainingMillis} is the time left before the function's timeout; {@code trigger} names what started it. */
    public PublishRun run(String trigger, LongSupplier remainingMillis) {
        long started = System.nanoTime();
        long published = 0;
        long refused = 0;
        int batches = 0;
        Duration longestLag = Duration.ZERO;
        boolean finished = false;
        try {
            while (remainingMillis.getAsLong() > reserve.toMillis()) {
                Batch batch = db.inTransaction(mappers -> {
                    List<FeedEvent> claimed = mappers.events().claimUnpublished(claimSize);
                    if (claimed.isEmpty()) {
                        return new Batch(0, 0, Duration.ZERO);
                    }
                    List<Long> accepted = bus.send(claimed);
                    mappers.events().markPublished(accepted);
                    return new Batch(claimed.size(), accepted.size(), lag(claimed, clock.instant()));
                });
                batches += batch.claimed > 0 ? 1 : 0;
                published += batch.accepted;
                refused += batch.claimed - batch.accepted;
                longestLag = batch.lag.compareTo(longestLag) > 0 ? batch.lag : longestLag;
                // A short claim: nothing else was waiting. A refusal: the bus is struggling; the next run tries again.
                if (batch.claimed < claimSize || batch.accepted < batch.claimed) {
                    finished = batch.accepted == batch.claimed;
                    break;
                }
            }
        } catch (RuntimeException failure) {
            report(trigger, published, refused, batches, longestLag, started, false).with("error", failure.toString()).write();
            write(published, refused, batches, longestLag, started, false);
            throw failure;
        }
        PublishRun run = new PublishRun(published, refused, batches, longestLag, Duration.ofNanos(System.nanoTime() - started), finished);
        report(trigger, published, refused, batches, longestLag, started, finished).write();
        write(published, refused, batches, longestLag, started, finished);
        return run;
    }

    /** The longest an event of the batch waited, from its change to now (about when it is marked). */
    private static Duration lag(List<FeedEvent> events, Instant now) {
        return events.stream().map(e -> Duration.between(e.occurredAt(), now)).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    private LogLine.Entry report(String trigger, long published, long refused, int batches, Duration lag, long started, boolean finished) {
        LogLine.Entry line = finished ? log.info("publish run") : log.warn("publish run");
        return line.with("trigger", trigger)
                .with("published", published)
                .with("refused", refused)
                .with("batches", batches)
                .with("longestLagMs", lag.toMillis())
                .with("durationMs", Math.round((System.nanoTime() - started) / 1e4) / 100.0)
                .with("finished", finished);
    }

    private void write(long published, long refused, int batches, Duration lag, long started, boolean finished) {
        metrics.line()
                .count("EventsPublished", published)
                .count("EventsRefused", refused)
                .count("Batches", batches)
                .count("Unfinished", finished ? 0 : 1)
                .millis("LongestLag", lag.toMillis())
                .millis("RunDuration", (System.nanoTime() - started) / 1e6)
                .write();
    }

    private record Batch(int claimed, int accepted, Duration lag) {
    }
}
