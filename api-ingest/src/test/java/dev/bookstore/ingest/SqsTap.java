package dev.bookstore.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A relay in front of a real SQS endpoint (ElasticMQ) that counts the calls by operation, and can make SQS fail the
 * way it fails in production but ElasticMQ cannot be made to: refuse chosen entries of a SendMessageBatch (they are
 * taken out of the call before it is forwarded, so SQS never stores them, and answered as SQS answers a refused entry),
 * or lose the answer of a call that SQS did act on.
 */
final class SqsTap implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "transfer-encoding", "upgrade");

    /** Entries refused when their message body matches: for good ({@code senderFault}), or only their first {@code times} sends. */
    private record Refusal(Predicate<String> body, boolean senderFault, int times) {
    }

    private final String target;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "sqs-tap");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> refusedTimes = new ConcurrentHashMap<>();
    private volatile Predicate<String> loseAnswersFor = body -> false;

    SqsTap(String target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::relay);
        server.setExecutor(workers);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Calls of an operation ({@code SendMessage}, {@code SendMessageBatch}) that reached the tap. */
    int calls(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    /** The number of entries of each SendMessageBatch call, in the order they came. */
    List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    void refuseForGood(Predicate<String> body) {
        refusals.add(new Refusal(body, true, Integer.MAX_VALUE));
    }

    /** As SQS refuses an entry it failed on ({@code SenderFault} false): the first {@code times} sends of each such entry. */
    void refuseForNow(Predicate<String> body, int times) {
        refusals.add(new Refusal(body, false, times));
    }

    /** Every SendMessageBatch call with an entry whose body matches reaches SQS, which stores it; its answer never comes back. */
    void loseAnswersOfCallsWith(Predicate<String> body) {
        loseAnswersFor = body;
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target == null ? "unknown" : target.substring(target.indexOf('.') + 1);
            calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
            if (!operation.equals("SendMessageBatch")) {
                forward(exchange, request, null);
                return;
            }
            ObjectNode call = (ObjectNode) JSON.readTree(request);
            ArrayNode entries = (ArrayNode) call.get("Entries");
            batchSizes.add(entries.size());
            boolean loseAnswer = false;
            ArrayNode refused = JSON.createArrayNode();
            for (int i = entries.size() - 1; i >= 0; i--) {
                String body = entries.get(i).get("MessageBody").asText();
                loseAnswer |= loseAnswersFor.test(body);
                for (Refusal refusal : refusals) {
                    if (refusal.body().test(body) && refusedTimes.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet() <= refusal.times()) {
                        refused.addObject().put("Id", entries.get(i).get("Id").asText()).put("SenderFault", refusal.senderFault())
                                .put("Code", refusal.senderFault() ? "InvalidMessageContents" : "InternalError")
                                .put("Message", "refused by the tap");
                        entries.remove(i);
                        break;
                    }
                }
            }
            if (entries.isEmpty()) {
                ObjectNode answer = JSON.createObjectNode();
                answer.putArray("Successful");
                answer.set("Failed", refused);
                respond(exchange, 200, "application/x-amz-json-1.0", JSON.writeValueAsBytes(answer));
                return;
            }
            if (loseAnswer) {
                send(exchange, JSON.writeValueAsBytes(call));
                sleep(3000); // longer than the client waits; then the connection ends without an answer
                return;
            }
            forward(exchange, JSON.writeValueAsBytes(call), refused);
        }
    }

    /** Forwards the call; with {@code refused}, adds those entries to the answer's {@code Failed}. */
    private void forward(HttpExchange exchange, byte[] request, ArrayNode refused) throws IOException {
        HttpResponse<byte[]> response = send(exchange, request);
        byte[] body = response.body();
        if (refused != null && !refused.isEmpty() && response.statusCode() == 200) {
            ObjectNode answer = (ObjectNode) JSON.readTree(body);
            ArrayNode failed = answer.has("Failed") ? (ArrayNode) answer.get("Failed") : answer.putArray("Failed");
            failed.addAll(refused);
            body = JSON.writeValueAsBytes(answer);
        }
        respond(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.0"), body);
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] request) throws IOException {
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(request));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> forward.header(name, value));
            }
        });
        try {
            return client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
