package dev.bookstore.bench;

import dev.bookstore.client.BookstoreClient;
import dev.bookstore.client.CommandStatus;
import dev.bookstore.client.NewBook;
import dev.bookstore.local.LocalStack;
import dev.bookstore.local.RunnerOptions;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The whole path through the local runner: HTTP POST, ingest, ElasticMQ, the BookWriter's event source,
 * PostgreSQL, and the outcome seen through {@code GET /commands/{id}}. Baseline: ElasticMQ alone, the same
 * number of messages sent, received in batches of ten and deleted, with the same concurrency.
 */
final class EndToEnd {

    static final int CLIENTS = 8;
    private static final String BODY = "{\"title\":\"Bench\",\"author\":\"Ursula K. Le Guin\",\"publisher\":\"Ace\",\"year\":1969}";
    private static final NewBook BOOK = new NewBook("Bench", "Ursula K. Le Guin", "Ace", 1969);

    private EndToEnd() {
    }

    static Measure run(Scale scale) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutorService httpThreads = Executors.newFixedThreadPool(CLIENTS);
        try (LocalStack stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml"))
                .withFastRetries(false).withFunctionLogs(null).withoutContractChecks(), quiet)) {
            BookstoreClient client = Clients.of(stack, httpThreads);
            int n = scale.endToEndCommands();
            post(client, n / 5); // warm-up
            awaitApplied(stack, n / 5);

            double rawPerSecond = rawQueue(stack, n);
            long start = System.nanoTime();
            post(client, n);
            double postSeconds = (System.nanoTime() - start) / 1e9;
            awaitApplied(stack, n / 5 + n);
            double appliedSeconds = (System.nanoTime() - start) / 1e9;
            double accepted = n / postSeconds;
            double applied = n / appliedSeconds;

            double rate = applied / 2;
            long eventsBefore = single(stack, "SELECT coalesce(max(seq), 0) FROM change_events");
            Percentiles latency = latencyAt(client, rate, scale.latencySeconds());
            Percentiles published = publishLag(stack, eventsBefore);
            return new Measure("End to end through the local runner", "POST /books through bookstore-client with " + CLIENTS + " concurrent callers, "
                    + n + " commands; then an open-loop " + Math.round(rate) + "/s for " + scale.latencySeconds()
                    + " s, applied seen through GET /commands/{id}")
                    .figure("accepted (202) per second", accepted, "commands/s")
                    .figure("applied per second", applied, "commands/s")
                    .figure("baseline: raw ElasticMQ send + receive + delete", rawPerSecond, "messages/s")
                    .figure("accept to applied at half the maximum rate, p50", latency.millis(50), "ms")
                    .figure("accept to applied at half the maximum rate, p99", latency.millis(99), "ms")
                    .target("applied/s vs the raw queue", applied / rawPerSecond, ">=", 0.6)
                    .target("p99 accept to applied at half the maximum rate (ms)", latency.millis(99), "<=", 1000)
                    .figure("change event commit to published at half the maximum rate (the writer's nudge, the publish queue, the publisher, the local bus), p50",
                            published.millis(50), "ms")
                    .figure("change event commit to published at half the maximum rate, p99", published.millis(99), "ms")
                    .target("p99 change event commit to published (ms)", published.millis(99), "<=", 1000)
                    .note("the writer's event source has a 1 s batching window (template.yaml); under load batches fill before it closes");
        } finally {
            httpThreads.shutdownNow(); // its threads are not daemons: left running, they keep ./run-bench from exiting
        }
    }

    /**
     * The time from each change event's transaction to its mark, for the events after {@code after}, once every one is
     * published (the sweep would catch a lost nudge within a minute).
     */
    static Percentiles publishLag(LocalStack stack, long after) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (single(stack, "SELECT count(*) FROM change_events WHERE published_at IS NULL") > 0) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("change events still unpublished after 90 s");
            }
            Thread.sleep(200);
        }
        List<Long> lags = new java.util.ArrayList<>();
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT (extract(epoch FROM published_at - occurred_at) * 1e9)::bigint FROM change_events"
                     + " WHERE seq > " + after)) {
            while (rs.next()) {
                lags.add(rs.getLong(1));
            }
        }
        return new Percentiles(lags.stream().mapToLong(Long::longValue).toArray());
    }

    private static long single(LocalStack stack, String sql) throws Exception {
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@code count} books created by {@link #CLIENTS} callers at once; fails if any is not answered 202. */
    static void post(BookstoreClient client, int count) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(CLIENTS);
        try {
            AtomicInteger left = new AtomicInteger(count);
            List<Future<Object>> done = callers.invokeAll(Collections.nCopies(CLIENTS, () -> {
                while (left.getAndDecrement() > 0) {
                    client.createBook(BOOK);
                }
                return null;
            }));
            for (Future<Object> caller : done) {
                caller.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    static void awaitApplied(LocalStack stack, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (appliedCount(stack) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not all commands were applied within 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    static long appliedCount(LocalStack stack) throws Exception {
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM command_outcomes WHERE status = 'APPLIED'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** ElasticMQ alone: send n messages, receive them ten at a time and delete them, with the same concurrency. */
    private static double rawQueue(LocalStack stack, int n) throws Exception {
        SqsClient sqs = stack.queues().client();
        String queue = sqs.createQueue(r -> r.queueName("bench-raw")).queueUrl();
        AtomicInteger toSend = new AtomicInteger(n);
        AtomicInteger deleted = new AtomicInteger();
        AtomicLong lastDeleted = new AtomicLong();
        List<Callable<Object>> work = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            work.add(() -> {
                while (toSend.getAndDecrement() > 0) {
                    sqs.sendMessage(r -> r.queueUrl(queue).messageBody(BODY));
                }
                return null;
            });
            work.add(() -> {
                while (deleted.get() < n) {
                    List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                    if (!batch.isEmpty()) {
                        sqs.deleteMessageBatch(r -> r.queueUrl(queue).entries(batch.stream().map(m -> DeleteMessageBatchRequestEntry.builder()
                                .id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
                        if (deleted.addAndGet(batch.size()) >= n) {
                            lastDeleted.set(System.nanoTime());
                        }
                    }
                }
                return null;
            });
        }
        ExecutorService workers = Executors.newFixedThreadPool(work.size());
        try {
            long start = System.nanoTime();
            for (Future<Object> worker : workers.invokeAll(work)) {
                worker.get();
            }
            // Timed to the last delete: the other receivers' idle long polls after it are not the queue's work.
            return n / ((lastDeleted.get() - start) / 1e9);
        } finally {
            workers.shutdownNow();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An open-loop load at {@code rate} a second; each command's latency is from its 202 until a GET shows it
     * applied. One watcher sweeps the pending commands every 10 ms, so the polling adds little load of its own.
     * Every command sent must be seen applied: one that is not fails the run rather than leaving the percentiles.
     */
    private static Percentiles latencyAt(BookstoreClient client, double rate, int seconds) throws Exception {
        Map<UUID, Long> pending = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(CLIENTS);
        ExecutorService watcher = Executors.newSingleThreadExecutor();
        try {
            Future<?> watching = watcher.submit(() -> {
                while (sending.get() || !pending.isEmpty()) {
                    sleepQuietly(10); // a sweep every 10 ms, not a spin that would take the CPU from what is measured
                    for (Map.Entry<UUID, Long> command : pending.entrySet()) {
                        if (client.getCommand(command.getKey()).status() == CommandStatus.Status.APPLIED
                                && pending.remove(command.getKey()) != null) {
                            latencies.add(System.nanoTime() - command.getValue());
                        }
                    }
                }
                return null;
            });
            List<Future<?>> sent = new ArrayList<>();
            long interval = (long) (1e9 / rate);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (long next = System.nanoTime(); System.nanoTime() < end; next += interval) {
                sent.add(senders.submit(() -> pending.put(client.createBook(BOOK).commandId(), System.nanoTime())));
                long wait = next + interval - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            for (Future<?> post : sent) {
                post.get();
            }
            sending.set(false);
            watching.get(2, TimeUnit.MINUTES);
            if (latencies.size() != sent.size()) {
                throw new IllegalStateException(sent.size() + " commands sent, " + latencies.size() + " seen applied");
            }
            return new Percentiles(latencies.stream().mapToLong(Long::longValue).toArray());
        } finally {
            senders.shutdownNow();
            watcher.shutdownNow();
        }
    }
}
