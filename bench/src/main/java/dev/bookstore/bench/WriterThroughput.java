package dev.bookstore.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.bookwriter.handler.BookWriterHandler;
import dev.bookstore.local.template.SamTemplate;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.CommandMessages;
import dev.bookstore.testkit.RepositoryFiles;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Books per second through the BookWriter handler, called directly with SQS events of the template's batch size,
 * against baseline A (the same handler and mappers with one message, so one transaction, per event) and baseline B
 * (pgbench running the same statements with as many rows per commit). Then the curve the template's batch size is
 * chosen from: throughput and p99 batch duration at each size, and what one rule breaker per batch costs there (the
 * batch is then written one command per transaction).
 */
public final class WriterThroughput {

    /** The sizes of the curve; SQS event source mappings allow up to 10,000 with a batching window. */
    static final List<Integer> SIZES = List.of(10, 25, 50, 100, 200, 400);

    static Measure run(Scale scale) throws Exception {
        int books = scale.writerBooks();
        int batchSize = templateBatchSize();
        PrintStream console = System.out;
        try (BenchPostgres postgres = new BenchPostgres()) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(postgres.jdbcUrl());
            Migrations.apply(dataSource);
            System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the handler's log lines
            // Every command here is a create, which never waits: the back-off's SQS client is built and never called.
            BookWriterHandler handler = new BookWriterHandler(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrl(),
                    "BOOKSTORE_QUEUE_URL", "http://127.0.0.1:9/never-called", "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench",
                    "AWS_REGION", "us-east-1"));

            run(handler, events(Math.max(100, books / 5), batchSize, false));  // warm up both paths
            run(handler, events(Math.max(100, books / 5), 1, false));
            Run batched = run(handler, events(books, batchSize, false));
            Run single = run(handler, events(books, 1, false));
            List<String> curve = new ArrayList<>();
            curve.add("| batch size | books/s | p99 batch duration | books/s with one rule breaker per batch |");
            curve.add("|---|---|---|---|");
            for (int size : SIZES) {
                Run clean = run(handler, events(books, size, false));
                Run broken = run(handler, events(Math.max(size * 4, books / 10), size, true));
                curve.add(String.format("| %d%s | %,.0f | %.1f ms | %,.0f |", size, size == batchSize ? " (template)" : "", clean.booksPerSecond(),
                        clean.p99Millis(), broken.booksPerSecond()));
            }
            System.setOut(console);
            Measure measure = new Measure("Writer throughput", "BookWriter handler called directly with SQS events, "
                    + books + " books each way, embedded PostgreSQL 17 with fsync and synchronous_commit on; the template's batch size is "
                    + batchSize)
                    .figure("BookWriter, " + batchSize + "-message events (the template's batch size)", batched.booksPerSecond(), "books/s")
                    .figure("p99 batch duration at " + batchSize + " messages", batched.p99Millis(), "ms")
                    .figure("baseline A: one transaction per message (same handler, 1-message events)", single.booksPerSecond(), "books/s")
                    .target(batchSize + "-message batches vs A", batched.booksPerSecond() / single.booksPerSecond(), ">=", 10);
            if (Pgbench.installed()) {
                double limit = Pgbench.booksPerSecond(postgres.port(), scale.pgbenchSeconds(), batchSize);
                measure.figure("baseline B: pgbench, the same two inserts and a commit per " + batchSize + " books, 1 client", limit, "books/s")
                        .target(batchSize + "-message batches vs B", batched.booksPerSecond() / limit, ">=", 0.9)
                        .note(String.format("B/A = %.1f: what the database itself gains from %d-row commits on this disk", limit / single.booksPerSecond(),
                                batchSize));
            } else {
                measure.note("pgbench is not installed; baseline B not measured");
            }
            InsertShapes.Result shapes = InsertShapes.run(postgres.jdbcUrl(), batchSize, Math.max(10, books / batchSize));
            measure.figure("the two inserts alone in plain JDBC, columns as arrays through unnest (the writer's shape)", shapes.unnest(), "books/s")
                    .figure("the two inserts alone in plain JDBC, a JDBC batch with reWriteBatchedInserts", shapes.rewrittenBatch(), "books/s")
                    .note(String.format("unnest / rewritten JDBC batch = %.2f at %d rows per commit; the rewritten batch %s", shapes.unnest()
                            / shapes.rewrittenBatch(), batchSize, shapes.batchCountsEachRow() ? "counts each row, as the writer's claim needs"
                            : "does not count each row (a claim and its duplicate did not answer 1 and 0), so it cannot tell the writer "
                            + "which claims it won, which the unnest shape's RETURNING does"))
                    .figure("one more round trip in a batch's transaction (SELECT 1, median)", shapes.roundTripMillis(), "ms")
                    .note(String.format("a batch of %d takes the outcome claim, the insert and the commit: folding the claim into the insert "
                            + "would save one round trip, %.1f %% of the p99 batch duration here", batchSize,
                            100 * shapes.roundTripMillis() / batched.p99Millis()));
            measure.note("the batch-size curve, each size in the same run (one rule breaker: one command of each batch has an ISBN "
                    + "already taken, so the batch is halved until that command stands alone):\n\n" + String.join("\n", curve));
            return measure;
        } finally {
            System.setOut(console);
        }
    }

    /** Throughput and the p99 of one batch's handling. */
    record Run(double booksPerSecond, double p99Millis) {
    }

    /** The events are built beforehand so only the handler is timed. */
    static Run run(BookWriterHandler handler, List<SQSEvent> events) {
        int books = events.stream().mapToInt(e -> e.getRecords().size()).sum();
        long[] took = new long[events.size()];
        long start = System.nanoTime();
        for (int i = 0; i < events.size(); i++) {
            long began = System.nanoTime();
            if (!handler.handleRequest(events.get(i), new TestLambdaContext()).getBatchItemFailures().isEmpty()) {
                throw new IllegalStateException("a batch reported failures; the benchmark would be measuring retries");
            }
            took[i] = System.nanoTime() - began;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(books / seconds, new Percentiles(took).millis(99));
    }

    /** With {@code ruleBreaker}, one command of each event takes an ISBN that an earlier one of the event already took. */
    static List<SQSEvent> events(int books, int perEvent, boolean ruleBreaker) {
        List<SQSEvent> events = new ArrayList<>();
        List<SqsEvents.Message> batch = new ArrayList<>();
        String isbn = null;
        for (int i = 0; i < books; i++) {
            boolean first = batch.isEmpty();
            if (ruleBreaker && first) {
                isbn = Isbns.next();
            }
            boolean breaks = ruleBreaker && perEvent > 1 && batch.size() == perEvent - 1;
            var book = ruleBreaker && (first || breaks) ? CommandMessages.book("Bench " + i, isbn) : CommandMessages.book("Bench " + i);
            batch.add(SqsEvents.Message.of(CommandMessages.json(CommandMessages.envelope(book))));
            if (batch.size() == perEvent) {
                events.add(SqsEvents.of(batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            events.add(SqsEvents.of(batch));
        }
        return events;
    }

    /** BookWriter's batch size in template.yaml, which the headline figures are measured at. */
    static int templateBatchSize() {
        SamTemplate template = SamTemplate.read(RepositoryFiles.find("template.yaml"));
        return template.functions().get("BookWriter").sqsSources().get(0).batchSize();
    }
}
