package dev.bookstore.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.local.Http;
import dev.bookstore.testkit.ForgedCursors;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tens of thousands of generated requests against the running stack — random bytes, random and mutated
 * JSON, boundary values, oversized bodies, wrong content types, header abuse, path tricks, odd methods —
 * then forged page cursors on every listing. No 5xx (nor a batch item answered with one), the runner keeps
 * serving, nothing is queued but what was answered 202 (for a request or a batch's item), no answer and no command's outcome shows the database's internals, and no function's
 * log line quotes a request body.
 */
class BadInputCampaignIT {

    private static final int REQUESTS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PATHS = {"/books", "/book", "/review", "/books/%s/reviews", "/books/%s", "/commands/%s",
            "/books/../commands/x", "/books/%2e%2e/%2e%2e/etc/passwd", "//books", "/books/", "/books/%00", "/books/%E2%80%AE",
            "/books?limit=%ff", "/books?limit=-1&limit=5", "/books?cursor=" + "A".repeat(3000), "/BOOKS", "/books;jsessionid=1",
            "/books/" + "a".repeat(4000), "/books/%s/reviews/extra", "/", "/favicon.ico", "/books/batch", "/books/%s/reviews/batch",
            "/books/batch/extra"};
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
        Map<Integer, Integer> itemStatuses = new TreeMap<>();
        Map<Integer, Integer> cursorStatuses;
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
                Internals.assertNoneIn(answer.body, "seed " + seed + " request " + i + ": " + request.method + " " + request.target);
                if (answer.status == 202) {
                    run.ledger.accepted(new Http.Response(202, Map.of(), answer.body));
                } else if (answer.status == 207) {
                    // A batch: each item answered on its own, none with a 5xx while SQS is well; each 202 is a command taken.
                    for (JsonNode result : JSON.readTree(answer.body).get("results")) {
                        itemStatuses.merge(result.get("status").asInt(), 1, Integer::sum);
                        assertThat(result.get("status").asInt()).as("seed %d request %d: %s %s item %s", seed, i, request.method,
                                request.target, result).isLessThan(500);
                        if (result.get("status").asInt() == 202) {
                            run.ledger.acceptedItem(result);
                        }
                    }
                }
            }
            Http.Response stillServing = run.http.post("/books", "{\"title\":\"After\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}");
            run.ledger.accepted(stillServing);
            String reviewed = acceptReviewedBookAndDuplicateIsbns(run);
            run.drain();
            cursorStatuses = forgedCursorsAreRefused(run, random, seed, reviewed);
            assertNoCommandShowsInternals(run);
            try (Stream<String> logged = Files.lines(run.data.resolve("functions.jsonl"))) {
                assertThat(logged.filter(line -> line.contains("Campaign "))).as("function log lines quoting a body").isEmpty();
            }
            tally = run.tally("bad-input campaign (" + REQUESTS + " requests)");
        }
        // Printed once the stack is closed: while it runs, standard output is the functions' log.
        System.out.println("campaign seed " + seed + ": statuses " + statuses + "; batch items " + itemStatuses + "; forged cursors "
                + cursorStatuses + "; " + tally);

        assertThat(statuses.keySet()).contains(202, 207, 400, 404, 405, 413, 415);
        assertThat(itemStatuses.keySet()).as("batch items accepted and refused").contains(202, 400);
        assertThat(tally.lost()).as(tally.toString()).isZero();
        assertThat(tally.duplicated()).isZero();
        assertThat(tally.unaccounted()).as("an outcome for a command nobody was told was accepted").isZero();
        assertThat(tally.inDlq()).isZero();
        assertThat(tally.reasons()).containsKey("DUPLICATE_ISBN");
    }

    /**
     * A book with two reviews, so its reviews are a listing with a cursor, and one ISBN in both its forms, so at
     * least one command is rejected DUPLICATE_ISBN: the database's own refusal, whose words must not reach a client.
     */
    private static String acceptReviewedBookAndDuplicateIsbns(FaultSuiteIT.Run run) {
        Http.Response book = run.http.post("/books", "{\"title\":\"Reviewed\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}");
        run.ledger.accepted(book);
        String bookId = book.json().get("bookId").asText();
        for (int rating = 4; rating <= 5; rating++) {
            run.ledger.accepted(run.http.post("/books/" + bookId + "/reviews", "{\"reviewer\":\"R\",\"rating\":" + rating + "}"));
        }
        for (String isbn : List.of("978-0-441-47812-5", "0441478123")) {
            run.ledger.accepted(run.http.post("/books", "{\"title\":\"Twice\",\"author\":\"A\",\"publisher\":\"P\",\"year\":1969,"
                    + "\"isbn\":\"" + isbn + "\"}"));
        }
        return bookId;
    }

    /**
     * On each listing, cursors made from its real one (truncated, extended, re-versioned, with timestamps PostgreSQL or
     * the API cannot hold) and from random bytes are a 400 naming the cursor, never a 5xx; in-range ones are pages.
     */
    private static Map<Integer, Integer> forgedCursorsAreRefused(FaultSuiteIT.Run run, Random random, long seed, String reviewedBook) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (String listing : List.of("/books?", "/books?author=A&", "/book?", "/books/" + reviewedBook + "/reviews?")) {
            Http.Response first = run.http.get(listing + "limit=1");
            assertThat(first.status()).as(listing).isEqualTo(200);
            String real = first.json().get("next").asText();
            for (String cursor : ForgedCursors.of(real, random.nextLong(), 40).values()) {
                Http.Response answer = run.http.get(listing + "cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                statuses.merge(answer.status(), 1, Integer::sum);
                String what = "seed " + seed + ": " + listing + "cursor=" + cursor;
                assertThat(answer.status()).as(what).isEqualTo(400);
                assertThat(answer.json().get("errors")).as(what).anySatisfy(error -> {
                    assertThat(error.get("field").asText()).isEqualTo("cursor");
                    assertThat(error.get("in").asText()).isEqualTo("query");
                });
                Internals.assertNoneIn(answer.body(), what);
            }
            for (String cursor : ForgedCursors.inRange(real).values()) {
                Http.Response answer = run.http.get(listing + "cursor=" + cursor);
                statuses.merge(answer.status(), 1, Integer::sum);
                assertThat(answer.status()).as("seed " + seed + ": " + listing + "cursor=" + cursor).isEqualTo(200);
            }
        }
        return statuses;
    }

    /** Every accepted command's status, as its client reads it: no SQL state, constraint, table or column in it. */
    private static void assertNoCommandShowsInternals(FaultSuiteIT.Run run) {
        for (Ledger.Entry entry : run.ledger.entries().values()) {
            Http.Response status = run.http.get("/commands/" + entry.commandId());
            assertThat(status.status()).isEqualTo(200);
            Internals.assertNoneIn(status.body(), "GET /commands/" + entry.commandId());
            if ("DUPLICATE_ISBN".equals(status.json().path("reason").asText())) {
                assertThat(status.json().get("detail").asText()).isEqualTo("isbn: another book has this ISBN");
            }
        }
    }

    /**
     * What of the database must never reach a client, from the migrations themselves so a new one is covered:
     * an SQL state (the word SQLSTATE, or a five-character code after "state"); a constraint or index
     * name, and each table's implicit {@code _pkey}; a function name; a table that is not an API word
     * (command_outcomes, command_waits, flyway_schema_history) and any table named the way PostgreSQL's
     * messages do ({@code relation "books"}); a column that is no API field and looks like an identifier
     * (isbn13, command_id, created_at: an underscore or a digit; book_id is the original API's own field); and
     * PostgreSQL's phrasing of a violation ("duplicate key value", "violates", "Failing row contains", "Key (").
     */
    static final class Internals {

        private static final Set<String> API_FIELDS = Set.of("book_id");
        private static final Pattern FORBIDDEN = forbidden();

        static void assertNoneIn(String body, String what) {
            Matcher found = FORBIDDEN.matcher(body);
            if (found.find()) {
                throw new AssertionError(what + " shows the database's internals (\"" + found.group() + "\"): " + body);
            }
        }

        private static Pattern forbidden() {
            Set<String> names = new TreeSet<>(List.of("command_outcomes", "command_waits", "flyway_schema_history"));
            Path migrations = RepositoryFiles.find("schema-migrations").resolve("src/main/resources/db/migration");
            try (Stream<Path> files = Files.list(migrations)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                    String sql = Files.readString(file);
                    collect(sql, "CONSTRAINT (\\w+)", names);
                    collect(sql, "CREATE (?:UNIQUE )?INDEX (\\w+)", names);
                    collect(sql, "CREATE FUNCTION (\\w+)", names);
                    Matcher table = Pattern.compile("CREATE TABLE (\\w+) \\((.*?)\\n\\);", Pattern.DOTALL).matcher(sql);
                    while (table.find()) {
                        names.add(table.group(1) + "_pkey");
                        Matcher column = Pattern.compile("(?m)^\\s+(\\w*[_0-9]\\w*)\\s+(?:uuid|varchar|char|smallint|timestamptz|text)").matcher(table.group(2));
                        while (column.find()) {
                            names.add(column.group(1));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            names.removeAll(API_FIELDS);
            assertThat(names).contains("books_isbn_key", "reviews_book_id_fkey", "books_pkey", "isbn13", "command_id");
            String words = names.stream().map(Pattern::quote).collect(Collectors.joining("|"));
            return Pattern.compile("(?i)sql ?state|\\bstate\\W{1,4}[0-9][0-9A-Z]{4}\\b|\\b(?:relation|table) \\\\?\"|duplicate key value"
                    + "|violates|failing row contains|\\bkey \\(|\\b(?:" + words + ")\\b");
        }

        private static void collect(String sql, String regex, Set<String> names) {
            Matcher matcher = Pattern.compile(regex).matcher(sql);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
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
            default -> (target.contains("/batch") && random.nextInt(4) > 0 ? batch(random, i) : json(random, i)).getBytes(StandardCharsets.UTF_8);
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

    /** One to five of {@link #json}'s bodies as a batch's items, some with an idempotencyKey, good or bad. */
    private static String batch(Random random, int i) {
        StringBuilder items = new StringBuilder("{\"items\":[");
        for (int n = 1 + random.nextInt(5); n > 0; n--) {
            String item = json(random, i);
            if (random.nextInt(3) == 0 && item.length() > 2) {
                item = "{\"idempotencyKey\":" + (random.nextInt(4) == 0 ? VALUES[random.nextInt(VALUES.length)] : "\"k" + random.nextInt(50) + "\"") + ","
                        + item.substring(1);
            }
            items.append(item).append(n > 1 ? "," : "");
        }
        return items.append("]}").toString();
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
