package dev.bookstore.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.migration.Migrations;
import dev.bookstore.query.handler.QueryApiHandler;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The QueryApi handler's {@code GET /books?limit=50} on the first page and on the deepest one, and
 * {@code GET /books/{id}}, against the baseline of an {@code OFFSET} query at the same depth on the same
 * server and connection settings: what a keyset cursor saves. And {@code GET /books/{id}} of a book with a tenth as
 * many reviews as there are books against one with none: the ratings kept on the book row (V7) make it one row either
 * way; the baseline is the recount over its reviews that the detail used to run.
 */
public final class QueryLatency {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Measure run(Scale scale) throws Exception {
        int books = scale.readBooks();
        int samples = scale.readSamples();
        PrintStream console = System.out;
        try (BenchPostgres postgres = new BenchPostgres()) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(postgres.jdbcUrl());
            Migrations.apply(dataSource);
            UUID someBook;
            UUID popularBook;
            int popularReviews = books / 10;
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("INSERT INTO books (id, command_id, title, author, publisher, year, created_at) "
                        + "SELECT gen_random_uuid(), gen_random_uuid(), 'Book ' || i, 'Author ' || (i % 1000), 'Publisher', 2000, "
                        + "timestamptz '2026-01-01' + i * interval '1 second' FROM generate_series(1, " + books + ") i");
                s.execute("VACUUM ANALYZE books");
                try (ResultSet rs = s.executeQuery("SELECT id FROM books ORDER BY created_at LIMIT 1 OFFSET " + books / 2)) {
                    rs.next();
                    someBook = rs.getObject(1, UUID.class);
                }
                try (ResultSet rs = s.executeQuery("SELECT id FROM books ORDER BY created_at LIMIT 1 OFFSET " + books / 3)) {
                    rs.next();
                    popularBook = rs.getObject(1, UUID.class);
                }
                s.execute("INSERT INTO reviews (id, command_id, book_id, reviewer, rating, created_at) "
                        + "SELECT gen_random_uuid(), gen_random_uuid(), '" + popularBook + "', 'Reader ' || i, 1 + i % 5, "
                        + "timestamptz '2026-01-01' + i * interval '1 second' FROM generate_series(1, " + popularReviews + ") i");
                s.execute("VACUUM ANALYZE reviews");
            }
            System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the handler's log lines
            QueryApiHandler handler = new QueryApiHandler(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrl()));
            String deepCursor = deepestCursor(handler);

            long[] first = new long[samples];
            long[] deepest = new long[samples];
            long[] offset = new long[scale.offsetSamples()];
            long[] detail = new long[samples];
            long[] popular = new long[samples];
            long[] recount = new long[samples];
            int depth = ((books - 1) / 50) * 50;
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl() + "&prepareThreshold=0");
                 PreparedStatement offsetQuery = c.prepareStatement("SELECT id, title, author, publisher, year, isbn, created_at "
                         + "FROM books ORDER BY created_at DESC, id DESC OFFSET ? LIMIT 51");
                 PreparedStatement recountQuery = c.prepareStatement("SELECT count(*), round(avg(rating), 2) FROM reviews "
                         + "WHERE book_id = ? AND deleted_at IS NULL")) {
                offsetQuery.setInt(1, depth);
                recountQuery.setObject(1, popularBook);
                for (int round = 0; round < 2; round++) { // the first round warms the JIT and the cache
                    for (int i = 0; i < samples; i++) {
                        first[i] = timed(() -> ok(handler.handleRequest(list(null), new TestLambdaContext())));
                        deepest[i] = timed(() -> ok(handler.handleRequest(list(deepCursor), new TestLambdaContext())));
                        detail[i] = timed(() -> ok(handler.handleRequest(book(someBook), new TestLambdaContext())));
                        popular[i] = timed(() -> ok(handler.handleRequest(book(popularBook), new TestLambdaContext())));
                        recount[i] = timed(() -> {
                            try (ResultSet rs = recountQuery.executeQuery()) {
                                rs.next();
                            }
                        });
                    }
                    for (int i = 0; i < offset.length; i++) {
                        offset[i] = timed(() -> {
                            try (ResultSet rs = offsetQuery.executeQuery()) {
                                while (rs.next()) {
                                    rs.getString(2);
                                }
                            }
                        });
                    }
                }
            }
            System.setOut(console);
            Percentiles f = new Percentiles(first);
            Percentiles d = new Percentiles(deepest);
            Percentiles o = new Percentiles(offset);
            Percentiles b = new Percentiles(detail);
            Percentiles p = new Percentiles(popular);
            Percentiles r = new Percentiles(recount);
            return new Measure("Reads", "QueryApi handler called directly, " + books + " books (one with " + popularReviews + " reviews), " + samples + " samples per route ("
                    + offset.length + " for OFFSET), limit=50")
                    .figure("GET /books?limit=50, first page, p50", f.millis(50), "ms")
                    .figure("GET /books?limit=50, first page, p99", f.millis(99), "ms")
                    .figure("GET /books?limit=50, deepest page, p50", d.millis(50), "ms")
                    .figure("GET /books?limit=50, deepest page, p99", d.millis(99), "ms")
                    .figure("baseline: OFFSET " + depth + " LIMIT 51 in plain SQL, p50", o.millis(50), "ms")
                    .figure("baseline: OFFSET " + depth + " LIMIT 51 in plain SQL, p99", o.millis(99), "ms")
                    .figure("GET /books/{id}, p99", b.millis(99), "ms")
                    .figure("GET /books/{id} of a book with " + popularReviews + " reviews, p99", p.millis(99), "ms")
                    .figure("baseline: recount of its " + popularReviews + " reviews in plain SQL, p99", r.millis(99), "ms")
                    .target("p99 of the deepest page", d.millis(99), "<=", 10)
                    .target("p99 of the first page", f.millis(99), "<=", 10)
                    .target("p99 of GET /books/{id}", b.millis(99), "<=", 10)
                    .target("deepest / first page, p99", d.millis(99) / f.millis(99), "<=", 1.5)
                    .target("GET /books/{id}, " + popularReviews + " reviews / none, p99", p.millis(99) / b.millis(99), "<=", 1.5)
                    .note(String.format("OFFSET at the same depth is %.0f x slower than the deepest keyset page (p99)", o.millis(99) / d.millis(99)))
                    .note(String.format("the recount the detail used to run over %d reviews is %.1f x the whole GET of that book now (p99)",
                            popularReviews, r.millis(99) / p.millis(99)));
        } finally {
            System.setOut(console);
        }
    }

    interface Step {
        void run() throws Exception;
    }

    private static long timed(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return System.nanoTime() - start;
    }

    private static void ok(APIGatewayProxyResponseEvent response) {
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("expected 200, got " + response.getStatusCode() + ": " + response.getBody());
        }
    }

    /** Walks every page once to find the cursor of the last. */
    private static String deepestCursor(QueryApiHandler handler) throws Exception {
        String cursor = null;
        String last = null;
        do {
            last = cursor;
            APIGatewayProxyResponseEvent page = handler.handleRequest(list(cursor), new TestLambdaContext());
            var next = JSON.readTree(page.getBody()).get("next");
            cursor = next.isNull() ? null : next.asText();
        } while (cursor != null);
        return last;
    }

    static APIGatewayProxyRequestEvent list(String cursor) {
        Map<String, String> query = new HashMap<>(Map.of("limit", "50"));
        if (cursor != null) {
            query.put("cursor", cursor);
        }
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/books").withPath("/books")
                .withQueryStringParameters(query);
    }

    static APIGatewayProxyRequestEvent book(UUID id) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/books/{bookId}").withPath("/books/" + id)
                .withPathParameters(Map.of("bookId", id.toString()));
    }
}
