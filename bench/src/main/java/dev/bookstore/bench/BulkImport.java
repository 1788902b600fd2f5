package dev.bookstore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.local.LocalStack;
import dev.bookstore.local.RunnerOptions;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * baseline of books through {@code POST /books}, one to a request, each from {@link EndToEnd#CLIENTS} clients at once.
 * Books applied per second, from the first request to the last book applied, and each book's time from its request's
 * answer to its outcome's {@code recorded_at}.
 */
final class BulkImport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ITEMS = 100;

    private BulkImport() {
    }

    static Measure run(Scale scale) throws Exception {
        int books = scale.bulkBooks();
        int singles = Math.max(ITEMS, books / 5);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutorService httpThreads = Executors.newFixedThreadPool(EndToEnd.CLIENTS);
        try (LocalStack stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml"))
                .withFastRetries(false).withFunctionLogs(null).withoutContractChecks(), quiet)) {
            HttpClient http = HttpClient.newBuilder().executor(httpThreads).build();
            load(http, stack, books / 10, true); // warm-up of both routes
            load(http, stack, singles / 10, false);

            Load batched = load(http, stack, books, true);
            Load single = load(http, stack, singles, false);
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
    private static Load load(HttpClient http, LocalStack stack, int books, boolean batch) throws Exception {
        Map<UUID, Long> answeredAt = new ConcurrentHashMap<>();
        AtomicInteger left = new AtomicInteger(books);
        ExecutorService clients = Executors.newFixedThreadPool(EndToEnd.CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<Object>> done = clients.invokeAll(Collections.nCopies(EndToEnd.CLIENTS, () -> {
                for (int n = left.getAndAdd(-(batch ? ITEMS : 1)); n > 0; n = left.getAndAdd(-(batch ? ITEMS : 1))) {
                    int count = batch ? Math.min(ITEMS, n) : 1;
                    List<UUID> accepted = batch ? sendBatch(http, stack, count) : List.of(sendOne(http, stack));
                    long now = System.currentTimeMillis();
                    accepted.forEach(id -> answeredAt.put(id, now));
                }
                return null;
            }));
            for (Future<Object> client : done) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
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

    private static List<UUID> sendBatch(HttpClient http, LocalStack stack, int count) throws Exception {
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append("{\"title\":\"Bulk\",\"author\":\"Ursula K. Le Guin\",\"publisher\":\"Ace\",\"year\":1969}");
        }
        HttpResponse<String> response = post(http, stack.apiUrl() + "/books/batch", body.append("]}").toString());
        if (response.statusCode() != 207) {
            throw new IllegalStateException("expected 207, got " + response.statusCode() + " " + response.body());
        }
        List<UUID> accepted = new ArrayList<>();
        for (JsonNode result : JSON.readTree(response.body()).path("results")) {
            if (result.path("status").asInt() != 202) {
                throw new IllegalStateException("an item was not accepted: " + result);
            }
            accepted.add(UUID.fromString(result.path("commandId").asText()));
        }
        if (accepted.size() != count) {
            throw new IllegalStateException(count + " items sent, " + accepted.size() + " answered");
        }
        return accepted;
    }

    private static UUID sendOne(HttpClient http, LocalStack stack) throws Exception {
        HttpResponse<String> response = post(http, stack.apiUrl() + "/books",
                "{\"title\":\"Single\",\"author\":\"Ursula K. Le Guin\",\"publisher\":\"Ace\",\"year\":1969}");
        if (response.statusCode() != 202) {
            throw new IllegalStateException("expected 202, got " + response.statusCode() + " " + response.body());
        }
        return UUID.fromString(JSON.readTree(response.body()).path("commandId").asText());
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
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
