package dev.bookstore.retention;

import dev.bookstore.db.Database;
import dev.bookstore.db.Mappers;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Deletes command outcomes, command waits and change events older than the window, oldest first, in batches of at most
 * {@link RetentionSettings#batchSize()} rows, each its own short transaction, so no writer waits long behind it.
 * A batch is begun only while the time left exceeds {@code reserve}, the longest one batch may take; a run that
 * stops for time says so, and the next run takes up the rest. One JSON log line and one metrics line per run.
 */
public final class Retention {

    private final Database db;
    private final RetentionSettings settings;
    private final Duration reserve;
    private final Clock clock;
    private final LogLine log;
    private final Metrics metrics;

    public Retention(Database db, RetentionSettings settings, Duration reserve, Clock clock, LogLine log, Metrics metrics) {
        this.db = db;
        this.settings = settings;
        this.reserve = reserve;
        this.clock = clock;
        this.log = log;
        this.metrics = metrics;
    }

    /** One run; {@code remainingMillis} is the time left before the function's timeout. */
    public RetentionRun run(LongSupplier remainingMillis) {
        long started = System.nanoTime();
        Instant cutoff = clock.instant().minus(settings.window());
        int size = settings.batchSize();
        Table outcomes = new Table(m -> m.retention().deleteOutcomesRecordedBefore(cutoff, size));
        Table waits = new Table(m -> m.retention().deleteWaitsLastMissedBefore(cutoff, size));
        Table events = new Table(m -> m.retention().deleteEventsOccurredBefore(cutoff, size));
        List<Table> tables = List.of(outcomes, waits, events);
        boolean finished = false;
        try {
            // The tables in turn, so a long backlog of one does not keep the others from their turn.
            turns:
            while (true) {
                if (tables.stream().allMatch(t -> t.done)) {
                    finished = true;
                    break;
                }
                for (Table table : tables) {
                    if (!table.done && !table.deleteBatch(remainingMillis)) {
                        break turns;
                    }
                }
            }
        } catch (RuntimeException failure) {
            report(cutoff, outcomes, waits, events, started, false).with("error", failure.toString()).write();
            throw failure;
        }
        long longest = tables.stream().mapToLong(t -> t.longestNanos).max().orElse(0);
        int batches = tables.stream().mapToInt(t -> t.batches).sum();
        RetentionRun run = new RetentionRun(cutoff, outcomes.deleted, waits.deleted, events.deleted, batches, Duration.ofNanos(longest),
                Duration.ofNanos(System.nanoTime() - started), finished);
        report(cutoff, outcomes, waits, events, started, finished).write();
        metrics.line()
                .count("OutcomesDeleted", run.outcomesDeleted())
                .count("WaitsDeleted", run.waitsDeleted())
                .count("EventsDeleted", run.eventsDeleted())
                .count("Batches", run.batches())
                .count("Unfinished", finished ? 0 : 1)
                .millis("LongestBatch", run.longestBatch().toNanos() / 1e6)
                .millis("RunDuration", run.duration().toNanos() / 1e6)
                .write();
        return run;
    }

    private LogLine.Entry report(Instant cutoff, Table outcomes, Table waits, Table events, long started, boolean finished) {
        LogLine.Entry line = finished ? log.info("retention run") : log.warn("retention run");
        return line.with("cutoff", cutoff)
                .with("windowDays", settings.window().toDays())
                .with("batchSize", settings.batchSize())
                .with("outcomesDeleted", outcomes.deleted)
                .with("waitsDeleted", waits.deleted)
                .with("eventsDeleted", events.deleted)
                .with("outcomeBatches", outcomes.batches)
                .with("waitBatches", waits.batches)
                .with("eventBatches", events.batches)
                .with("batches", outcomes.batches + waits.batches + events.batches)
                .with("longestBatchMs", millis(Math.max(Math.max(outcomes.longestNanos, waits.longestNanos), events.longestNanos)))
                .with("durationMs", millis(System.nanoTime() - started))
                .with("finished", finished);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    /** One table's deletion in this run: what it deleted so far, and whether its last batch came back short. */
    private final class Table {
        private final ToIntFunction<Mappers> batch;
        long deleted;
        int batches;
        long longestNanos;
        boolean done;

        Table(ToIntFunction<Mappers> batch) {
            this.batch = batch;
        }

        /** Deletes one batch in a transaction of its own; false, deleting nothing, when the time left is too short. */
        boolean deleteBatch(LongSupplier remainingMillis) {
            if (remainingMillis.getAsLong() <= reserve.toMillis()) {
                return false;
            }
            long started = System.nanoTime();
            int rows = db.inTransaction(batch::applyAsInt);
            longestNanos = Math.max(longestNanos, System.nanoTime() - started);
            deleted += rows;
            batches++;
            // A short batch means nothing older than the cutoff is left (or what is left is being deleted by another run).
            done = rows < settings.batchSize();
            return true;
        }
    }
}
