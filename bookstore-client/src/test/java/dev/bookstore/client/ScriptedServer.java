package dev.bookstore.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 that records every request exactly as it arrived and answers from a script, in order;
 * what the client really sends, not what it meant to.
 */
final class ScriptedServer implements AutoCloseable {

    /** One request as received: the raw path and query, every header, the body's bytes, and when it came. */
    record Received(String method, String rawPathAndQuery, Map<String, List<String>> headers, byte[] body, long nanoTime) {

        /** The first value of a header, whatever the case of its name; null when absent. */
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the server does with a request. */
    sealed interface Reply {
        record Respond(int status, Map<String, String> headers, String body) implements Reply {
        }

        /** Closes the connection without a word: the client cannot know whether the request was received. */
        record Drop() implements Reply {
        }
    }

    static Reply json(int status, String body, String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new Reply.Respond(status, headers, body);
    }

    static Reply problem(int status, String type, String moreFields, String... headerPairs) {
        Reply.Respond reply = (Reply.Respond) json(status, "{\"type\":\"" + type + "\",\"title\":\"t\",\"status\":" + status
                + ",\"detail\":\"scripted\"" + (moreFields.isEmpty() ? "" : "," + moreFields) + "}", headerPairs);
        reply.headers().put("Content-Type", "application/problem+json");
        return reply;
    }

    static Reply drop() {
        return new Reply.Drop();
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Function<Received, Reply>> script = new ArrayDeque<>();
    private Function<Received, Reply> otherwise = request -> json(500, "{\"error\":\"the script ran out\"}");

    private ScriptedServer(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    static ScriptedServer start() throws IOException {
        return new ScriptedServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized ScriptedServer then(Reply reply) {
        script.add(request -> reply);
        return this;
    }

    synchronized ScriptedServer then(Function<Received, Reply> reply) {
        script.add(reply);
        return this;
    }

    /** The answer once the script has run out. */
    synchronized ScriptedServer otherwise(Reply reply) {
        otherwise = request -> reply;
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                headers, body, now);
        received.add(request);
        Function<Received, Reply> next;
        synchronized (this) {
            next = script.isEmpty() ? otherwise : script.poll();
        }
        Reply reply = next.apply(request);
        if (reply instanceof Reply.Respond respond) {
            byte[] bytes = respond.body().getBytes(StandardCharsets.UTF_8);
            respond.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(respond.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close(); // before any response: the connection closes with no answer
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
