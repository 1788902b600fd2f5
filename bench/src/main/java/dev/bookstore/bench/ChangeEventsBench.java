package dev.bookstore.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.bookwriter.BookTarget;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.Payload;
import dev.bookstore.config.Settings;
import dev.bookstore.db.Database;
import dev.bookstore.domain.FeedEvent;
import dev.bookstore.local.events.LocalEventBus;
import dev.bookstore.local.sqs.LocalQueues;
import dev.bookstore.local.template.EventRuleSpec;
import dev.bookstore.local.template.QueueSpec;
import dev.bookstore.local.template.SamTemplate;
import dev.bookstore.migration.Migrations;
import dev.bookstore.publisher.EventBridgeBus;
import dev.bookstore.publisher.EventBus;
import dev.bookstore.publisher.EventPublisher;
import dev.bookstore.publisher.PublishRun;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import dev.bookstore.testkit.RepositoryFiles;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.writer.BatchWriter;
import dev.bookstore.writer.CommandTarget;
import dev.bookstore.writer.PublisherNudge;
import dev.bookstore.writer.WaitSettings;
import dev.bookstore.writer.WriterTelemetry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Change events (issue 20): what the outbox costs the writer, how fast the publisher sends, and how long an event waits
 * from its change to being published while the writer runs at the writer benchmark's load.
 *
 * <ul>
 *   <li>Outbox cost: the BookWriter's batch path ({@link BatchWriter} with the book target, 100-message events) with its
 *       events and without (the same target with its events dropped), rounds alternated, the median of each.</li>
 *   <li>Publish rate: the publisher (claims of 100, PutEvents ten at a time) sending a backlog through the local runner's
 *       event bus to ElasticMQ, against a baseline of the same publisher with a bus that accepts at once (its database
 *       side alone).</li>
 *   <li>Commit to published: two publishers, woken by the writer's nudge as the publish queue's event source would wake
 *       them (the SQS hop itself is not in this figure), while the writer writes as fast as it can;
 *       {@code published_at - occurred_at} per event, where occurred_at is the writing transaction's start.</li>
 * </ul>
 */
public final class ChangeEventsBench {

    private static final int ROUNDS = 3;

    static Measure run(Scale scale) throws Exception {
        int books = scale.writerBooks();
        int batchSize = WriterThroughput.templateBatchSize();
        PrintStream console = System.out;
        try (BenchPostgres postgres = new BenchPostgres()) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(postgres.jdbcUrl());
            Migrations.apply(dataSource);
            System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the handlers' log lines
            Database db = Database.singleConnection(() -> dataSource.getConnection());
            Database publisherDb = Database.pooled(dataSource);

            // 1. The outbox's cost to the writer, alternated rounds.
            BatchWriter<Payload> withEvents = writer(db, new BookTarget(), PublisherNudge.NONE);
            BatchWriter<Payload> withoutEvents = writer(db, new WithoutEvents(new BookTarget()), PublisherNudge.NONE);
            write(withEvents, WriterThroughput.events(Math.max(100, books / 5), batchSize, false)); // warm up both
            write(withoutEvents, WriterThroughput.events(Math.max(100, books / 5), batchSize, false));
            List<Double> with = new ArrayList<>();
            List<Double> without = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                with.add(write(withEvents, WriterThroughput.events(books, batchSize, false)));
                without.add(write(withoutEvents, WriterThroughput.events(books, batchSize, false)));
            }
            double withOutbox = median(with);
            double withoutOutbox = median(without);

            // 2. The publisher's rate on a backlog: through the local bus to ElasticMQ, and its database side alone.
            execute(dataSource, "UPDATE change_events SET published_at = now() WHERE published_at IS NULL");
            write(withEvents, WriterThroughput.events(books, batchSize, false));
            try (Harness bus = Harness.start()) {
                publish(publisher(publisherDb, bus.bus()), 1); // warm up
                execute(dataSource, "UPDATE change_events SET published_at = NULL WHERE seq > (SELECT max(seq) - " + books + " FROM change_events)");
                double busRate = publish(publisher(publisherDb, bus.bus()), books);
                execute(dataSource, "UPDATE change_events SET published_at = NULL WHERE seq > (SELECT max(seq) - " + books + " FROM change_events)");
                double databaseRate = publish(publisher(publisherDb, sent -> sent.stream().map(FeedEvent::seq).toList()), books);

                // 3. Commit to published while the writer runs flat out, two publishers nudged by its commits.
                long from = single(dataSource, "SELECT max(seq) FROM change_events");
                Semaphore nudges = new Semaphore(0);
                BatchWriter<Payload> nudging = writer(db, new BookTarget(), () -> nudges.release(2));
                AtomicBoolean writing = new AtomicBoolean(true);
                List<Thread> publishers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    EventPublisher publisher = publisher(publisherDb, bus.bus());
                    Thread thread = new Thread(() -> {
                        while (writing.get() || unpublished(dataSource) > 0) {
                            publisher.run("nudge", () -> 60_000);
                            try {
                                nudges.tryAcquire(100, TimeUnit.MILLISECONDS);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }, "bench-publisher-" + i);
                    thread.start();
                    publishers.add(thread);
                }
                double underLoad = write(nudging, WriterThroughput.events(books, batchSize, false));
                writing.set(false);
                for (Thread thread : publishers) {
                    thread.join(TimeUnit.MINUTES.toMillis(5));
                }
                long[] lags = lagsNanos(dataSource, from);
                Percentiles lag = new Percentiles(lags);
                double p50 = lag.millis(50);
                double p99 = lag.millis(99);
                System.setOut(console);
                return new Measure("Change events on the bus", "BookWriter's batch path called directly with " + batchSize
                        + "-message events, " + books + " books a round, embedded PostgreSQL 17; the publisher sends through the local runner's"
                        + " event bus (Event Ruler matching, delivery to an ElasticMQ queue)")
                        .figure("writer with its outbox, median of " + ROUNDS + " rounds", withOutbox, "books/s")
                        .figure("baseline: the same writer with its events dropped, median of " + ROUNDS + " rounds", withoutOutbox, "books/s")
                        .target("with the outbox vs without", withOutbox / withoutOutbox, ">=", 0.8)
                        .figure("publisher on a backlog of " + books + " events, through the local bus", busRate, "events/s")
                        .figure("baseline: the same publisher with a bus that accepts at once (claim and mark alone)", databaseRate, "events/s")
                        .target("publish rate vs the writer's rate with its outbox", busRate / withOutbox, ">=", 1)
                        .figure("writer while two nudged publishers send, " + books + " books", underLoad, "books/s")
                        .figure("commit to published at that load, p50", p50, "ms")
                        .figure("commit to published at that load, p99", p99, "ms")
                        .target("p99 commit to published at the writer benchmark's load (ms)", p99, "<=", 1000)
                        .note(String.format("the bus itself costs %.0f %% of the publisher's time here (%,.0f events/s through it against %,.0f "
                                + "without it)", 100 * (1 - busRate / databaseRate), busRate, databaseRate))
                        .note("occurred_at is the writing transaction's start, so the commit-to-published figures include the writer's own "
                                + "transaction (its p99 is in \"Writer throughput\"); the publish queue's SQS hop is not in them, the nudge wakes "
                                + "the publishers directly here");
            }
        } finally {
            System.setOut(console);
        }
    }

    /** The book target, its events dropped: the writer without its outbox, for the baseline only. */
    private record WithoutEvents(BookTarget target) implements CommandTarget<Payload> {
        public Set<String> types() {
            return target.types();
        }

        public boolean accepts(Payload payload) {
            return target.accepts(payload);
        }

        public Applied apply(dev.bookstore.db.Mappers mappers, List<Pending<Payload>> commands) {
            return new Applied(target.apply(mappers, commands).outcomes(), List.of());
        }

        public Map<UUID, Missing> waiting(dev.bookstore.db.Mappers mappers, List<Pending<Payload>> commands) {
            return target.waiting(mappers, commands);
        }
    }

    private static BatchWriter<Payload> writer(Database db, CommandTarget<Payload> target, PublisherNudge nudge) {
        Settings settings = new Settings(Map.of(WaitSettings.QUEUE_URL, "http://127.0.0.1:9/never-called", "AWS_ACCESS_KEY_ID", "bench",
                "AWS_SECRET_ACCESS_KEY", "bench", "AWS_REGION", "us-east-1"));
        return new BatchWriter<>(db, new CommandCodec(Clock.systemUTC()), target, WaitSettings.patience(settings),
                WriterTelemetry.toStdout("book-writer"), nudge);
    }

    /** Books per second through the writer. */
    private static double write(BatchWriter<Payload> writer, List<SQSEvent> events) {
        int books = events.stream().mapToInt(e -> e.getRecords().size()).sum();
        long start = System.nanoTime();
        for (SQSEvent event : events) {
            if (!writer.write(event).getBatchItemFailures().isEmpty()) {
                throw new IllegalStateException("a batch reported failures; the benchmark would be measuring retries");
            }
        }
        return books / ((System.nanoTime() - start) / 1e9);
    }

    private static EventPublisher publisher(Database db, EventBus bus) {
        return new EventPublisher(db, bus, 100, Duration.ofSeconds(1), Clock.systemUTC(), LogLine.discarding("event-publisher"),
                Metrics.discarding("event-publisher"));
    }

    /** Events per second to publish {@code expected} events. */
    private static double publish(EventPublisher publisher, int expected) {
        long start = System.nanoTime();
        long published = 0;
        while (published < expected) {
            PublishRun run = publisher.run("sweep", () -> 60_000);
            if (run.published() == 0) {
                throw new IllegalStateException("the publisher stopped after " + published + " of " + expected + " events");
            }
            published += run.published();
        }
        return published / ((System.nanoTime() - start) / 1e9);
    }

    private static long unpublished(PGSimpleDataSource dataSource) {
        try {
            return single(dataSource, "SELECT count(*) FROM change_events WHERE published_at IS NULL");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] lagsNanos(PGSimpleDataSource dataSource, long after) throws Exception {
        List<Long> lags = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (extract(epoch FROM published_at - occurred_at) * 1e9)::bigint FROM change_events WHERE seq > "
                     + after)) {
            while (rs.next()) {
                lags.add(rs.getLong(1));
            }
        }
        return lags.stream().mapToLong(Long::longValue).toArray();
    }

    private static long single(PGSimpleDataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(PGSimpleDataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The local runner's event bus with the template's rules, delivering to its follower queue in ElasticMQ. */
    private record Harness(LocalQueues queues, LocalEventBus localBus, EventBridgeBus bus) implements AutoCloseable {
        static Harness start() throws Exception {
            SamTemplate template = SamTemplate.read(RepositoryFiles.find("template.yaml"));
            Map<String, QueueSpec> targets = new java.util.LinkedHashMap<>();
            for (EventRuleSpec rule : template.eventRules()) {
                rule.targets().forEach(t -> targets.put(t.queueLogicalId(), template.queues().get(t.queueLogicalId())));
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            LocalQueues queues = LocalQueues.start(port, null, targets, q -> "bench-" + q.logicalId().toLowerCase(java.util.Locale.ROOT), null);
            LocalEventBus localBus = LocalEventBus.start(Map.of("ChangesBus", "bench-changes"), template.eventRules(), queues);
            EventBridgeClient client = EventBridgeClient.builder().endpointOverride(URI.create(localBus.endpoint())).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"))).build();
            return new Harness(queues, localBus, new EventBridgeBus(client, "bench-changes", "bookstore"));
        }

        @Override
        public void close() {
            localBus.close();
            queues.close();
        }
    }
}
