package dev.bookstore.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.db.Database;
import dev.bookstore.domain.Keyset;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * On 200,000 books, each list query uses its index at the first page and at a deep cursor (30,000 to
 * 190,000 rows in, with thousands left): an index scan, no sort, no sequential scan of the table. Run on a database of its own, so other tests' rows
 * and truncations do not matter.
 */
class QueryPlansIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static Database db;
    static UUID busyBook;
    static Keyset deepBook;
    static Keyset deepAuthorBook;
    static Keyset deepReview;

    @BeforeAll
    static void fill() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        Migrations.apply(dataSource);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO books (id, command_id, title, author, publisher, year, created_at) "
                    + "SELECT gen_random_uuid(), gen_random_uuid(), 'Book ' || i, "
                    + "CASE WHEN i % 5 = 0 THEN 'Prolific' ELSE 'Author ' || (i % 500) END, 'P', 2000, "
                    + "timestamptz '2026-01-01' + i * interval '1 second' FROM generate_series(1, 200000) i");
            s.execute("INSERT INTO reviews (id, command_id, book_id, reviewer, rating, created_at) "
                    + "SELECT gen_random_uuid(), gen_random_uuid(), b.id, 'r', 1 + i % 5, timestamptz '2026-02-01' + i * interval '1 second' "
                    + "FROM (SELECT id FROM books ORDER BY created_at LIMIT 1) b, generate_series(1, 20000) i");
            s.execute("INSERT INTO reviews (id, command_id, book_id, reviewer, rating) "
                    + "SELECT gen_random_uuid(), gen_random_uuid(), id, 'r', 3 FROM books WHERE title LIKE 'Book 1%'");
            s.execute("VACUUM ANALYZE books");
            s.execute("VACUUM ANALYZE reviews");
            busyBook = uuid(s, "SELECT id FROM books ORDER BY created_at LIMIT 1");
            deepBook = keyset(s, "SELECT created_at, id FROM books ORDER BY created_at DESC, id DESC OFFSET 190000 LIMIT 1");
            deepAuthorBook = keyset(s, "SELECT created_at, id FROM books WHERE author = 'Prolific' ORDER BY created_at DESC, id DESC OFFSET 30000 LIMIT 1");
            deepReview = keyset(s, "SELECT created_at, id FROM reviews WHERE book_id = '" + busyBook + "' ORDER BY created_at DESC, id DESC OFFSET 19000 LIMIT 1");
        }
        // The plans as the QueryApi function gets them: as the reader role of this database.
        PGSimpleDataSource reader = new PGSimpleDataSource();
        reader.setUrl(TestPostgres.jdbcUrlAs(url, TestPostgres.roleOf(url, "reader")));
        db = Database.pooled(reader);
    }

    @Test
    void listingBooksUsesTheNewestFirstIndexAtAnyDepth() throws Exception {
        assertIndexOnly(plan("listBooks", params(null, null)), "books_newest_idx", "books");
        assertIndexOnly(plan("listBooks", params(null, deepBook)), "books_newest_idx", "books");
    }

    @Test
    void listingOneAuthorsBooksIsAnIndexScanAtAnyDepth() throws Exception {
        // For an author with a fifth of all books the planner may walk either index (the newest-first one
        // with a filter reads about five rows per row returned); either way: no sort, no table scan,
        // and a bounded number of rows read whatever the depth.
        assertIndexOnly(plan("listBooks", params("Prolific", null)), "books_by_author_newest_idx", "books");
        JsonNode deep = plan("listBooks", params("Prolific", deepAuthorBook));
        assertThat(nodeTypes(deep)).as(deep.toString()).doesNotContain("Sort", "Incremental Sort", "Seq Scan", "Bitmap Heap Scan");
        assertThat(indexesUsed(deep)).as(deep.toString()).containsAnyOf("books_by_author_newest_idx", "books_newest_idx");
    }

    @Test
    void listingABooksReviewsUsesItsIndexAtAnyDepth() throws Exception {
        Map<String, Object> first = new HashMap<>(Map.of("bookId", busyBook, "limit", 51));
        first.put("after", null);
        Map<String, Object> deep = new HashMap<>(Map.of("bookId", busyBook, "limit", 51, "after", deepReview));
        for (Map<String, Object> params : List.of(first, deep)) {
            JsonNode plan = JSON.readTree(db.explain("dev.bookstore.mapper.ReviewMapper.findReviewPage", params, true));
            assertIndexOnly(plan, "reviews_of_book_newest_idx", "reviews");
            assertThat(indexesUsed(plan)).contains("books_pkey");
        }
    }

    /** The busiest book's detail is one row of books: its ratings are kept there (V7), its reviews are not read. */
    @Test
    void aBooksDetailReadsItsOneRowAndNoneOfItsReviews() throws Exception {
        JsonNode plan = JSON.readTree(db.explain("dev.bookstore.mapper.BookMapper.findBookDetail", Map.of("id", busyBook), true));

        assertThat(nodeTypes(plan)).doesNotContain("Seq Scan", "Sort", "Aggregate");
        assertThat(indexesUsed(plan)).containsExactly("books_pkey");
        assertThat(plan.toString()).doesNotContain("\"Relation Name\":\"reviews\"");
    }

    private static JsonNode plan(String statement, Map<String, Object> params) throws Exception {
        return JSON.readTree(db.explain("dev.bookstore.mapper.BookMapper." + statement, params, true));
    }

    private static Map<String, Object> params(String author, Keyset after) {
        Map<String, Object> params = new HashMap<>();
        params.put("author", author);
        params.put("after", after);
        params.put("limit", 51);
        return params;
    }

    /** The plan uses {@code index}, sorts nothing, scans no table whole, and reads about a page of rows at most. */
    private static void assertIndexOnly(JsonNode plan, String index, String table) {
        assertThat(rowsRead(plan)).as("rows read: " + plan).isLessThanOrEqualTo(10 * 51);
        List<String> types = nodeTypes(plan);
        assertThat(types).as(plan.toString()).doesNotContain("Sort", "Incremental Sort");
        assertThat(seqScannedTables(plan)).as(plan.toString()).doesNotContain(table);
        assertThat(indexesUsed(plan)).as(plan.toString()).contains(index);
    }

    /** Rows the scans produced or threw away, from EXPLAIN ANALYZE: what a query really cost. */
    private static long rowsRead(JsonNode plan) {
        long rows = 0;
        for (JsonNode node : plan.findParents("Node Type")) {
            if (node.get("Node Type").asText().contains("Scan")) {
                rows += node.path("Actual Rows").asLong() * Math.max(1, node.path("Actual Loops").asLong())
                        + node.path("Rows Removed by Filter").asLong() + node.path("Rows Removed by Index Recheck").asLong();
            }
        }
        return rows;
    }

    private static List<String> nodeTypes(JsonNode plan) {
        List<String> types = new ArrayList<>();
        plan.findValues("Node Type").forEach(t -> types.add(t.asText()));
        return types;
    }

    private static List<String> indexesUsed(JsonNode plan) {
        List<String> indexes = new ArrayList<>();
        plan.findValues("Index Name").forEach(i -> indexes.add(i.asText()));
        return indexes;
    }

    private static List<String> seqScannedTables(JsonNode plan) {
        List<String> tables = new ArrayList<>();
        for (JsonNode node : plan.findParents("Node Type")) {
            if ("Seq Scan".equals(node.get("Node Type").asText())) {
                tables.add(node.get("Relation Name").asText());
            }
        }
        return tables;
    }

    private static UUID uuid(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }

    private static Keyset keyset(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new Keyset(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getObject(2, UUID.class));
        }
    }
}
