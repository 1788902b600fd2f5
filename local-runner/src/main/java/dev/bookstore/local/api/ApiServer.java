package dev.bookstore.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bookstore.local.http.LoopbackHttpServer;
import dev.bookstore.local.lambda.LocalFunction;
import dev.bookstore.local.lambda.LocalTraces;
import dev.bookstore.testkit.ApiContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The template's API routes on {@code http://127.0.0.1:<port>}. Each request becomes the REST proxy
 * event API Gateway would send to the route's function; its response becomes the HTTP response.
 * Unknown paths and methods are refused here, as API Gateway refuses them, with problem responses.
 */
public final class ApiServer implements AutoCloseable {

    /** API Gateway's own limit on a request body. */
    static final int MAX_BODY = 10 * 1024 * 1024;

    /** A route of the template: {@code POST /books/{bookId}/reviews} served by a function. */
    public record Route(String method, String path, LocalFunction function) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The X-Ray trace header: a caller's is continued, as API Gateway does; a request without one starts a trace. */
    private static final String TRACE_HEADER = "X-Amzn-Trace-Id";
    /** How long close() waits for the requests under way. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(2);

    private final HttpServer server;
    private final ExecutorService workers;
    private final List<Route> routes;
    private final ContractChecks contract;
    private final AtomicInteger underWay = new AtomicInteger();

    private ApiServer(HttpServer server, ExecutorService workers, List<Route> routes, ContractChecks contract) {
        this.server = server;
        this.workers = workers;
        this.routes = routes;
        this.contract = contract;
    }

    public static ApiServer start(int port, List<Route> routes, ContractChecks contract) throws IOException {
        HttpServer server = LoopbackHttpServer.create(port, 256);
        ExecutorService workers = Executors.newFixedThreadPool(64, runnable -> {
            Thread thread = new Thread(runnable, "api-request");
            thread.setDaemon(true);
            return thread;
        });
        ApiServer api = new ApiServer(server, workers, List.copyOf(routes), contract);
        server.createContext("/", api::handleCounted);
        server.setExecutor(workers);
        server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Counts the exchange while it is under way, for close() to wait on. */
    private void handleCounted(HttpExchange exchange) {
        underWay.incrementAndGet();
        try {
            handle(exchange);
        } finally {
            underWay.decrementAndGet();
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = readBody(exchange);
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
            // As API Gateway does, the resource whose path is most specific serves the request: /books/batch, not
            // /books/{bookId}, whatever the method; a method that resource lacks is refused, not tried elsewhere.
            String resource = null;
            for (Route candidate : routes) {
                if (match(candidate.path(), path) != null && (resource == null || moreSpecific(candidate.path(), resource))) {
                    resource = candidate.path();
                }
            }
            List<Route> samePath = new ArrayList<>();
            Route route = null;
            Map<String, String> pathParameters = null;
            for (Route candidate : routes) {
                if (candidate.path().equals(resource)) {
                    samePath.add(candidate);
                    if (candidate.method().equals(method)) {
                        route = candidate;
                        pathParameters = match(candidate.path(), path);
                    }
                }
            }
            if (route == null) {
                if (samePath.isEmpty()) {
                    problem(exchange, 404, "not-found", "Not found", "no route for " + path, Map.of());
                } else {
                    TreeSet<String> allowed = new TreeSet<>();
                    samePath.forEach(r -> allowed.add(r.method()));
                    problem(exchange, 405, "method-not-allowed", "Method not allowed",
                            method + " is not served at " + path + "; use " + String.join(", ", allowed), Map.of("Allow", String.join(", ", allowed)));
                }
                return;
            }
            if (body == null) {
                problem(exchange, 413, "payload-too-large", "The body is too large", "API Gateway accepts at most 10 MB", Map.of());
                return;
            }
            String trace = LocalTraces.continuing(exchange.getRequestHeaders().getFirst(TRACE_HEADER));
            ObjectNode event = event(exchange, route, pathParameters, body, trace);
            LocalFunction.Invocation invocation = route.function().invoke(event.toString(), trace);
            if (invocation.failed()) {
                // API Gateway answers 502 when the integration fails; the details stay in the function's log.
                problem(exchange, 502, "bad-gateway", "Internal server error", "the function failed: " + invocation.errorType(), Map.of());
                return;
            }
            JsonNode response = JSON.readTree(invocation.responseJson());
            // Checked before it is sent: once a client holds an answer, any break of the spec in it is on record.
            if (contract.enabled()) {
                contract.observe(exchange(event, response));
            }
            respond(exchange, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Of two templates that match one path: whether {@code a} is the more specific, its first segment that differs
     * from {@code b}'s being a literal where {@code b} has a parameter.
     */
    static boolean moreSpecific(String a, String b) {
        String[] left = a.split("/", -1);
        String[] right = b.split("/", -1);
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            boolean leftParameter = left[i].startsWith("{");
            boolean rightParameter = right[i].startsWith("{");
            if (leftParameter != rightParameter) {
                return rightParameter;
            }
        }
        return false;
    }

    /** The path parameters when {@code template} matches {@code rawPath}, or null. */
    static Map<String, String> match(String template, String rawPath) {
        String[] expected = template.split("/", -1);
        String[] actual = rawPath.split("/", -1);
        if (expected.length != actual.length) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < expected.length; i++) {
            String segment = URLDecoder.decode(actual[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            if (expected[i].startsWith("{") && expected[i].endsWith("}")) {
                if (segment.isEmpty()) {
                    return null;
                }
                parameters.put(expected[i].substring(1, expected[i].length() - 1), segment);
            } else if (!expected[i].equals(segment)) {
                return null;
            }
        }
        return parameters;
    }

    /**
     * The body, or null when it is over the limit. Whatever the answer, the body is read to its end (up to a
     * bound): closing a connection with unread bytes makes TCP reset it, and the client loses our 404 or 413.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            // Read, not skip: the JDK's body stream passes skip() to the connection beneath it, past the body's end.
            byte[] discard = new byte[64 * 1024];
            for (long left = 4L * MAX_BODY; left > 0; ) {
                int read = in.read(discard);
                if (read < 0) {
                    break;
                }
                left -= read;
            }
            return body.length > MAX_BODY ? null : body;
        }
    }

    /** The REST API proxy event, field for field as API Gateway builds it. */
    private static ObjectNode event(HttpExchange exchange, Route route, Map<String, String> pathParameters, byte[] body, String trace) {
        ObjectNode event = JSON.createObjectNode();
        String path = URLDecoder.decode(exchange.getRequestURI().getRawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        event.put("resource", route.path()).put("path", path).put("httpMethod", route.method());
        ObjectNode headers = event.putObject("headers");
        ObjectNode multiHeaders = event.putObject("multiValueHeaders");
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(TRACE_HEADER)) {
                headers.put(name, values.get(values.size() - 1));
                values.forEach(multiHeaders.withArray(name)::add);
            }
        });
        // API Gateway passes its trace on to the integration in this header ("Amazon API Gateway active tracing support").
        headers.put(TRACE_HEADER, trace);
        multiHeaders.putArray(TRACE_HEADER).add(trace);
        Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
        if (query.isEmpty()) {
            event.putNull("queryStringParameters").putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = event.putObject("queryStringParameters");
            ObjectNode multi = event.putObject("multiValueQueryStringParameters");
            query.forEach((name, values) -> {
                single.put(name, values.get(values.size() - 1));
                values.forEach(multi.withArray(name)::add);
            });
        }
        if (pathParameters.isEmpty()) {
            event.putNull("pathParameters");
        } else {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        event.putNull("stageVariables");
        ObjectNode context = event.putObject("requestContext");
        context.put("resourceId", "local").put("resourcePath", route.path()).put("httpMethod", route.method())
                .put("path", path).put("accountId", "000000000000").put("protocol", exchange.getProtocol()).put("stage", "local")
                .put("domainPrefix", "localhost").put("requestTimeEpoch", System.currentTimeMillis())
                .put("requestId", UUID.randomUUID().toString()).put("domainName", "127.0.0.1").put("apiId", "local");
        context.putObject("identity")
                .put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress())
                .put("userAgent", exchange.getRequestHeaders().getFirst("User-Agent"));
        String text = utf8(body);
        if (body.length == 0) {
            event.putNull("body").put("isBase64Encoded", false);
        } else if (text != null) {
            event.put("body", text).put("isBase64Encoded", false);
        } else {
            event.put("body", Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);
        }
        return event;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /** The request as the function saw it and the answer as the client got it, for the contract check. */
    private static ApiContract.Exchange exchange(ObjectNode event, JsonNode response) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        event.path("multiValueQueryStringParameters").properties().forEach(q -> q.getValue().forEach(v -> query
                .computeIfAbsent(q.getKey(), k -> new ArrayList<>()).add(v.asText())));
        Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
        event.path("multiValueHeaders").properties().forEach(h -> h.getValue().forEach(v -> requestHeaders
                .computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(v.asText())));
        Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
        response.path("headers").properties().forEach(h -> responseHeaders.put(h.getKey(), new ArrayList<>(List.of(h.getValue().asText()))));
        response.path("multiValueHeaders").properties().forEach(h -> h.getValue().forEach(v -> responseHeaders
                .computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(v.asText())));
        JsonNode requestBody = event.get("body");
        JsonNode responseBody = response.get("body");
        return new ApiContract.Exchange(event.get("httpMethod").asText(), event.get("path").asText(), query, requestHeaders,
                requestBody == null || requestBody.isNull() || event.path("isBase64Encoded").asBoolean() ? null : requestBody.asText(),
                response.path("statusCode").asInt(502), responseHeaders,
                responseBody == null || responseBody.isNull() || response.path("isBase64Encoded").asBoolean() ? null : responseBody.asText());
    }

    private static void respond(HttpExchange exchange, JsonNode response) throws IOException {
        int status = response.path("statusCode").asInt(502);
        response.path("headers").properties().forEach(h -> exchange.getResponseHeaders().set(h.getKey(), h.getValue().asText()));
        response.path("multiValueHeaders").properties().forEach(h -> h.getValue().forEach(v -> exchange.getResponseHeaders().add(h.getKey(), v.asText())));
        JsonNode body = response.get("body");
        byte[] bytes = body == null || body.isNull() ? new byte[0]
                : response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body.asText())
                : body.asText().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void problem(HttpExchange exchange, int status, String slug, String title, String detail, Map<String, String> headers)
            throws IOException {
        ObjectNode problem = JSON.createObjectNode().put("type", "urn:bookstore:problem:" + slug).put("title", title)
                .put("status", status).put("detail", detail).put("instance", exchange.getRequestURI().getRawPath());
        byte[] bytes = problem.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        headers.forEach(exchange.getResponseHeaders()::set);
        if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
            exchange.sendResponseHeaders(status, -1); // a HEAD answer carries no body
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Lets the requests under way finish, for up to 2 s, then stops. The wait is done here because JDK 17's {@code
     * stop(delay)} waits out its whole delay even when no request is under way (JDK-8304065, fixed in 21).
     */
    @Override
    public void close() {
        long giveUp = System.nanoTime() + STOP_PATIENCE.toNanos();
        try {
            while (underWay.get() > 0 && System.nanoTime() < giveUp) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        workers.shutdown();
    }
}
