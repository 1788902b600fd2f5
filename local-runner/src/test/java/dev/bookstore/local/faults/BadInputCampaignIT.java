package dev.bookstore.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.local.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tens of thousands of generated requests against the running stack — random bytes, random and mutated
 * JSON, boundary values, oversized bodies, wrong content types, header abuse, path tricks, odd methods.
 * No 5xx, the runner keeps serving, and nothing is queued but what was answered 202.
 */
class BadInputCampaignIT {

    private static final int REQUESTS = 20_000;
    private static final String[] PATHS = {"/books", "/book", "/review", "/books/%s/reviews", "/books/%s", "/commands/%s",
            "/books/../commands/x", "/books/%2e%2e/%2e%2e/etc/passwd", "//books", "/books/", "/books/%00", "/books/%E2%80%AE",
            "/books?limit=%ff", "/books?limit=-1&limit=5", "/books?cursor=" + "A".repeat(3000), "/BOOKS", "/books;jsessionid=1",
            "/books/" + "a".repeat(4000), "/books/%s/reviews/extra", "/", "/favicon.ico"};
    private static final String[] METHODS = {"POST", "PUT", "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "BREW"};
    private static final String[] TYPES = {"application/json", "application/json; charset=utf-8", "text/plain", "application/xml", "",
            "application/json; charset=utf-16", "multipart/form-data", "application/x-www-form-urlencoded", "*/*", "application/vnd.api+json"};
    private static final String[] VALUES = {"\"\"", "\" \"", "\"x\"", "null", "true", "0", "-1", "1", "5", "6", "1449", "1450", "2100",
            "4.5", "1e400", "99999999999999999999999999999999", "[]", "{}", "\"" + "é".repeat(201) + "\"", "\"\\u0000\"", "\"\\ud800\"",
            "\"978-0-306-40615-7\"", "\"0306406152\"", "\"" + UUID.randomUUID() + "\""};
    private static final String[] FIELDS = {"title", "author", "publisher", "year", "isbn", "reviewer", "rating", "text", "book_id", "rate",
            "review", "__proto__", "constructor", ""};

    @Test
    void onlyAcceptedOrClientErrorsAndNothingQueuedButWhatWasAccepted() throws Exception {
        long seed = Long.getLong("campaign.seed", System.nanoTime());
        Map<Integer, Integer> statuses = new TreeMap<>();
        Tally tally;
        try (FaultSuiteIT.Run run = FaultSuiteIT.Run.start("campaign")) {
            Random random = new Random(seed);
            int port = Integer.parseInt(run.stack.apiUrl().substring(run.stack.apiUrl().lastIndexOf(':') + 1));
            for (int i = 0; i < REQUESTS; i++) {
                Request request = generate(random, i);
                Answer answer;
                try {
                    answer = send(port, request);
                } catch (IOException e) {
                    // "//books" parses as an authority with no path: the JDK's server refuses it before our handler
                    // runs and closes without reading the body, so TCP may reset the connection. API Gateway is not
                    // the JDK's server; anywhere else a reset is a defect.
                    assertThat(request.target).as("seed %d request %d: %s %s (%d bytes) failed: %s", seed, i, request.method,
                            request.target, request.body.length, e).startsWith("//");
                    answer = new Answer(0, "");
                }
                statuses.merge(answer.status, 1, Integer::sum);
                assertThat(answer.status).as("seed %d request %d: %s %s", seed, i, request.method, request.target).isLessThan(500);
                if (answer.status == 202) {
                    run.ledger.accepted(new Http.Response(202, Map.of(), answer.body));
                }
            }
            Http.Response stillServing = run.http.post("/books", "{\"title\":\"After\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}");
            run.ledger.accepted(stillServing);
            run.drain();
            tally = run.tally("bad-input campaign (" + REQUESTS + " requests)");
        }
        // Printed once the stack is closed: while it runs, standard output is the functions' log.
        System.out.println("campaign seed " + seed + ": statuses " + statuses + "; " + tally);

        assertThat(statuses.keySet()).contains(202, 400, 404, 405, 413, 415);
        assertThat(tally.lost()).as(tally.toString()).isZero();
        assertThat(tally.duplicated()).isZero();
        assertThat(tally.unaccounted()).as("an outcome for a command nobody was told was accepted").isZero();
        assertThat(tally.inDlq()).isZero();
    }

    private record Request(String method, String target, Map<String, String> headers, byte[] body) {
    }

    private record Answer(int status, String body) {
    }

    private static Request generate(Random random, int i) {
        String method = METHODS[random.nextInt(METHODS.length)];
        String target = PATHS[random.nextInt(PATHS.length)].replace("%s", random.nextInt(4) == 0 ? "not-a-uuid" : UUID.randomUUID().toString());
        Map<String, String> headers = new TreeMap<>();
        if (random.nextInt(5) > 0) {
            headers.put("Content-Type", TYPES[random.nextInt(TYPES.length)]);
        }
        switch (random.nextInt(8)) {
            case 0 -> headers.put("Idempotency-Key", "k" + random.nextInt(50));
            case 1 -> headers.put("Idempotency-Key", "x".repeat(random.nextInt(300)));
            case 2 -> headers.put("Idempotency-Key", "ключ");
            case 3 -> headers.put("X-Filler", "y".repeat(8000));
            case 4 -> headers.put("Content-Length-Lie", "0");
            default -> { }
        }
        byte[] body = switch (random.nextInt(10)) {
            case 0 -> {
                byte[] bytes = new byte[random.nextInt(500)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 1 -> ("{\"title\":" + "[".repeat(random.nextInt(3000)) + "}").getBytes(StandardCharsets.UTF_8);
            case 2 -> ("{\"title\":\"" + "x".repeat(65_000 + random.nextInt(10_000)) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 3 -> new byte[0];
            default -> json(random, i).getBytes(StandardCharsets.UTF_8);
        };
        if (i % 2000 == 1999) {
            body = new byte[11 * 1024 * 1024]; // over API Gateway's own 10 MB limit
        }
        return new Request(method, target, headers, body);
    }

    /** A valid book or review, often with a field or two replaced by a boundary value, an odd field added or one removed. */
    private static String json(Random random, int i) {
        Map<String, String> fields = new TreeMap<>();
        if (random.nextBoolean()) {
            fields.put("title", "\"Campaign " + i + "\"");
            fields.put("author", "\"A\"");
            fields.put("publisher", "\"P\"");
            fields.put("year", "2001");
        } else {
            fields.put("reviewer", "\"R\"");
            fields.put("rating", "4");
            fields.put("book_id", "\"" + UUID.randomUUID() + "\"");
            fields.put("rate", "3");
        }
        for (int m = random.nextInt(3); m > 0; m--) {
            String field = FIELDS[random.nextInt(FIELDS.length)];
            if (random.nextInt(4) == 0) {
                fields.remove(field);
            } else {
                fields.put(field, VALUES[random.nextInt(VALUES.length)]);
            }
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return json.append('}').toString();
    }

    /** Raw HTTP/1.1 over a socket: no client library to tidy up what we mean to send. */
    private static Answer send(int port, Request request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(request.method + " " + request.target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
            request.headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(request.body.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            try {
                out.write(request.body);
                out.flush();
            } catch (IOException closedEarly) {
                // The server may answer (413) and close before reading an oversized body.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            String text = response.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new Answer(499, text); // the server closed without a status: not a 5xx, but counted apart
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyAt = text.indexOf("\r\n\r\n");
            return new Answer(status, bodyAt < 0 ? "" : text.substring(bodyAt + 4));
        }
    }
}
