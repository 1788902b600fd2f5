package dev.bookstore.bench;

import dev.bookstore.client.BatchItemResult;
import dev.bookstore.client.BookstoreClient;
import dev.bookstore.client.NewBook;
import dev.bookstore.local.LocalStack;
import dev.bookstore.local.RunnerOptions;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A catalogue loaded through the local runner: books through {@code POST /books/batch}, 100 to a request, against the
 * baseline of books through {@code POST /books}, one to a request, each from {@link EndToEnd#CLIENTS} callers at once, through bookstore-client.
 * Books applied per second, from the first request to the last book applied, and each book's time from its request's
 * answer to its outcome's {@code recorded_at}.
 */
final class BulkImport {

    private static final int ITEMS = 100;
    private static final NewBook BULK = new NewBook("Bulk", "Ursula K. Le Guin", "Ace", 1969);
    private static final NewBook SINGLE = new NewBook("Single", "Ursula K. Le Guin", "Ace", 1969);

    private BulkImport() {
    }

    static Measure run(Scale scale) throws Exception {
        int books = scale.bulkBooks();
        int singles = Math.max(ITEMS, books / 5);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutorService httpThreads = Executors.newFixedThreadPool(EndToEnd.CLIENTS);
        try (LocalStack stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml"))
                .withFastRetries(false).withFunctionLogs(null).withoutContractChecks(), quiet)) {
            BookstoreClient client = Clients.of(stack, httpThreads);
            load(client, stack, books / 10, true); // warm-up of both routes
            load(client, stack, singles / 10, false);

            Load batched = load(client, stack, books, true);
            Load single = load(client, stack, singles, false);
            return new Measure("Bulk import through the local runner", books + " books through POST /books/batch (" + ITEMS
                    + " to a request) and " + singles + " through POST /books, " + EndToEnd.CLIENTS + " concurrent clients each")
                    .figure("POST /books/batch, books applied per second", batched.appliedPerSecond(), "books/s")
                    .figure("POST /books/batch, answer to applied, p50", batched.latency().millis(50), "ms")
                    .figure("POST /books/batch, answer to applied, p99", batched.latency().millis(99), "ms")
                    .figure("baseline: POST /books, books applied per second", single.appliedPerSecond(), "books/s")
                    .figure("baseline: POST /books, answer to applied, p99", single.latency().millis(99), "ms")
                    .target("books applied per second, batch vs single", batched.appliedPerSecond() / single.appliedPerSecond(), ">=", 5)
                    .note("the single route is timed on a fifth as many books: its rate is steady from the first thousand on, "
                            + "and " + books + " single requests would take minutes");
        } finally {
            httpThreads.shutdownNow();
        }
    }

    record Load(double appliedPerSecond, Percentiles latency) {
    }

    /** {@code books} books sent and waited for until all are applied; fails if any item is not answered 202. */
    private static Load load(BookstoreClient client, LocalStack stack, int books, boolean batch) throws Exception {
        Map<UUID, Long> answeredAt = new ConcurrentHashMap<>();
        AtomicInteger left = new AtomicInteger(books);
        ExecutorService callers = Executors.newFixedThreadPool(EndToEnd.CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<Object>> done = callers.invokeAll(Collections.nCopies(EndToEnd.CLIENTS, () -> {
                for (int n = left.getAndAdd(-(batch ? ITEMS : 1)); n > 0; n = left.getAndAdd(-(batch ? ITEMS : 1))) {
                    int count = batch ? Math.min(ITEMS, n) : 1;
                    List<UUID> accepted = batch ? sendBatch(client, count) : List.of(client.createBook(SINGLE).commandId());
                    long now = System.currentTimeMillis();
                    accepted.forEach(id -> answeredAt.put(id, now));
                }
                return null;
            }));
            for (Future<Object> caller : done) {
                caller.get();
            }
        } finally {
            callers.shutdownNow();
        }
        Map<UUID, Long> recordedAt = awaitRecorded(stack, answeredAt.keySet());
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] latencies = new long[answeredAt.size()];
        int i = 0;
        for (Map.Entry<UUID, Long> answered : answeredAt.entrySet()) {
            latencies[i++] = Math.max(0, recordedAt.get(answered.getKey()) - answered.getValue()) * 1_000_000L;
        }
        return new Load(answeredAt.size() / seconds, new Percentiles(latencies));
    }

    /** One request of {@code count} books; fails unless every item is queued. */
    private static List<UUID> sendBatch(BookstoreClient client, int count) {
        List<UUID> accepted = new ArrayList<>();
        for (BatchItemResult result : client.createBooks(Collections.nCopies(count, BULK))) {
            if (!(result instanceof BatchItemResult.Queued queued)) {
                throw new IllegalStateException("an item was not accepted: " + result);
            }
            accepted.add(queued.accepted().commandId());
        }
        return accepted;
    }

    /** When each command's outcome was recorded (epoch millis), once every one of them has one. */
    private static Map<UUID, Long> awaitRecorded(LocalStack stack, java.util.Set<UUID> commands) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
        Map<UUID, Long> recorded = new ConcurrentHashMap<>();
        try (Connection c = stack.database().proxyPool().getConnection();
             PreparedStatement query = c.prepareStatement("SELECT command_id, (extract(epoch FROM recorded_at) * 1000)::bigint "
                     + "FROM command_outcomes WHERE status = 'APPLIED' AND command_id = ANY (?)")) {
            while (true) {
                List<UUID> waiting = commands.stream().filter(id -> !recorded.containsKey(id)).toList();
                if (waiting.isEmpty()) {
                    return recorded;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(waiting.size() + " books not applied within 10 minutes");
                }
                query.setArray(1, c.createArrayOf("uuid", waiting.toArray()));
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        recorded.put(rs.getObject(1, UUID.class), rs.getLong(2));
                    }
                }
                Thread.sleep(50);
            }
        }
    }
}
