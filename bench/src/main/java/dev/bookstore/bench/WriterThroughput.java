package dev.bookstore.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.bookwriter.handler.BookWriterHandler;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.CommandMessages;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Books per second through the BookWriter handler, called directly with 10-message SQS events,
 * against baseline A: the same handler and mappers with one message (one transaction) per event.
 */
public final class WriterThroughput {

    static Measure run(Scale scale) throws Exception {
        int books = scale.writerBooks();
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

            run(handler, events(Math.max(100, books / 5), 10));  // warm up both paths
            run(handler, events(Math.max(100, books / 5), 1));
            double batched = run(handler, events(books, 10));
            double single = run(handler, events(books, 1));
            System.setOut(console);
            Measure measure = new Measure("Writer throughput", "BookWriter handler called directly with SQS events, "
                    + books + " books each way, embedded PostgreSQL 17 with fsync and synchronous_commit on")
                    .figure("BookWriter, 10-message events", batched, "books/s")
                    .figure("baseline A: one transaction per message (same handler, 1-message events)", single, "books/s")
                    .target("10-message batches vs A", batched / single, ">=", 8);
            if (Pgbench.installed()) {
                double limit = Pgbench.booksPerSecond(postgres.port(), scale.pgbenchSeconds());
                measure.figure("baseline B: pgbench, the same multi-row inserts and commit, 1 client", limit, "books/s")
                        .target("10-message batches vs B", batched / limit, ">=", 0.7)
                        .note(String.format("B/A = %.1f: the database itself cannot go 8 x A faster with 10-row commits on this disk", limit / single));
            } else {
                measure.note("pgbench is not installed; baseline B not measured");
            }
            return measure;
        } finally {
            System.setOut(console);
        }
    }

    /** Books per second; the events are built beforehand so only the handler is timed. */
    static double run(BookWriterHandler handler, List<SQSEvent> events) {
        int books = events.stream().mapToInt(e -> e.getRecords().size()).sum();
        long start = System.nanoTime();
        for (SQSEvent event : events) {
            if (!handler.handleRequest(event, new TestLambdaContext()).getBatchItemFailures().isEmpty()) {
                throw new IllegalStateException("a batch reported failures; the benchmark would be measuring retries");
            }
        }
        return books / ((System.nanoTime() - start) / 1e9);
    }

    static List<SQSEvent> events(int books, int perEvent) {
        List<SQSEvent> events = new ArrayList<>();
        List<SqsEvents.Message> batch = new ArrayList<>();
        for (int i = 0; i < books; i++) {
            batch.add(SqsEvents.Message.of(CommandMessages.json(CommandMessages.book("Bench " + i))));
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
}
