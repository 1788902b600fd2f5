package dev.bookstore.query;

import static dev.bookstore.query.QueryFixtures.body;
import static dev.bookstore.query.QueryFixtures.event;
import static dev.bookstore.query.QueryFixtures.storeBook;
import static dev.bookstore.query.QueryFixtures.storeReview;
import static dev.bookstore.query.QueryFixtures.withPath;
import static dev.bookstore.query.QueryFixtures.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bookstore.db.Database;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.migration.Migrations;
import dev.bookstore.query.handler.QueryApiHandler;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import dev.bookstore.testkit.ForgedCursors;
import dev.bookstore.testkit.ApiContract;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryApiIT {

    private static final ApiContract CONTRACT = ApiContract.ofRepository();

    static TestPostgres postgres;
    static Database db;
    private QueryApiHandler handler;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        db = Database.pooled(postgres.dataSource());
    }

    @BeforeEach
    void freshEnvironment() {
        postgres.truncate("reviews", "books", "command_outcomes");
        // As the reader role, as on AWS: a statement the migrations grant it no privilege for fails the test.
        handler = new QueryApiHandler(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrlAs(postgres.readerRole())));
    }

    @Test
    void listBooksPagesNewestFirstWithAnOpaqueCursor() {
        List<NewBook> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add(storeBook(db, "Book " + i, "A"));
        }

        JsonNode first = body(get(withQuery(event("get-books"), Map.of("limit", "2"))));
        JsonNode second = body(get(withQuery(event("get-books"), Map.of("limit", "2", "cursor", first.get("next").asText()))));
        JsonNode last = body(get(withQuery(event("get-books"), Map.of("limit", "2", "cursor", second.get("next").asText()))));

        assertThat(first.get("items")).extracting(item -> item.get("title").asText()).containsExactly("Book 4", "Book 3");
        assertThat(second.get("items")).extracting(item -> item.get("title").asText()).containsExactly("Book 2", "Book 1");
        assertThat(last.get("items")).extracting(item -> item.get("title").asText()).containsExactly("Book 0");
        assertThat(last.get("next").isNull()).isTrue();
        JsonNode book = first.get("items").get(0);
        assertThat(book.get("id").asText()).isEqualTo(stored.get(4).id().toString());
        assertThat(book.get("isbn").isNull()).isTrue();
        assertThat(book.get("createdAt").asText()).endsWith("Z");
    }

    @Test
    void listBooksOfOneAuthorAndTheDefaultPageSize() {
        for (int i = 0; i < 25; i++) {
            storeBook(db, "Mine " + i, "Octavia E. Butler");
        }
        storeBook(db, "Theirs", "Someone Else");

        JsonNode theirs = body(get(withQuery(event("get-books"), Map.of("author", "Octavia E. Butler"))));

        assertThat(theirs.get("items")).hasSize(20).allSatisfy(item -> assertThat(item.get("author").asText()).isEqualTo("Octavia E. Butler"));
        assertThat(theirs.get("next").isTextual()).isTrue();
    }

    @Test
    void aBookCarriesItsReviewCountAndAverageRating() {
        NewBook none = storeBook(db, "None", "A");
        NewBook one = storeBook(db, "One", "A");
        NewBook many = storeBook(db, "Many", "A");
        storeReview(db, one.id(), 3);
        for (int rating : new int[] {5, 4, 4, 2}) {
            storeReview(db, many.id(), rating);
        }

        JsonNode withNone = body(get(withPath(event("get-book"), "bookId", none.id().toString())));
        JsonNode withOne = body(get(withPath(event("get-book"), "bookId", one.id().toString())));
        JsonNode withMany = body(get(withPath(event("get-book"), "bookId", many.id().toString())));

        assertThat(withNone.get("reviewCount").asInt()).isZero();
        assertThat(withNone.get("averageRating").isNull()).isTrue();
        assertThat(withOne.get("reviewCount").asInt()).isEqualTo(1);
        assertThat(withOne.get("averageRating").decimalValue()).isEqualByComparingTo("3");
        assertThat(withMany.get("reviewCount").asInt()).isEqualTo(4);
        assertThat(withMany.get("averageRating").decimalValue()).isEqualByComparingTo("3.75");
        assertThat(withMany.get("title").asText()).isEqualTo("Many");
    }

    @Test
    void aBooksReviewsArePagedNewestFirst() {
        NewBook book = storeBook(db, "Reviewed", "A");
        List<NewReview> reviews = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reviews.add(storeReview(db, book.id(), 1 + i));
        }
        APIGatewayProxyRequestEvent request = withPath(event("get-reviews"), "bookId", book.id().toString());

        JsonNode first = body(get(withQuery(request, Map.of("limit", "2"))));
        JsonNode rest = body(get(withQuery(withPath(event("get-reviews"), "bookId", book.id().toString()),
                Map.of("limit", "2", "cursor", first.get("next").asText()))));

        assertThat(first.get("items")).extracting(item -> item.get("rating").asInt()).containsExactly(3, 2);
        assertThat(rest.get("items")).extracting(item -> item.get("id").asText()).containsExactly(reviews.get(0).id().toString());
        assertThat(rest.get("next").isNull()).isTrue();
        assertThat(first.get("items").get(0).get("bookId").asText()).isEqualTo(book.id().toString());
    }

    /** Lists and a review page carry a tag of their content: 304 while it holds, 200 with a new tag once it changes. */
    @Test
    void listsAnswer304ToTheirCurrentTagAndDeletedRowsLeaveThem() {
        NewBook book = storeBook(db, "Tagged", "Tagger");
        NewReview review = storeReview(db, book.id(), 5);
        APIGatewayProxyRequestEvent books = withQuery(event("get-books"), Map.of("author", "Tagger"));
        APIGatewayProxyResponseEvent first = get(books);
        String tag = first.getHeaders().get("ETag");
        APIGatewayProxyResponseEvent reviews = get(withPath(event("get-reviews"), "bookId", book.id().toString()));

        APIGatewayProxyResponseEvent unchanged = get(QueryFixtures.withHeader(withQuery(event("get-books"), Map.of("author", "Tagger")),
                "If-None-Match", "W/" + tag));
        APIGatewayProxyResponseEvent reviewsUnchanged = get(QueryFixtures.withHeader(withPath(event("get-reviews"), "bookId",
                book.id().toString()), "If-None-Match", reviews.getHeaders().get("ETag")));
        postgres.execute("UPDATE reviews SET deleted_at = now() WHERE id = '" + review.id() + "'");
        APIGatewayProxyResponseEvent reviewsChanged = get(QueryFixtures.withHeader(withPath(event("get-reviews"), "bookId",
                book.id().toString()), "If-None-Match", reviews.getHeaders().get("ETag")));
        postgres.execute("UPDATE books SET deleted_at = now() WHERE id = '" + book.id() + "'");
        APIGatewayProxyResponseEvent changed = get(QueryFixtures.withHeader(withQuery(event("get-books"), Map.of("author", "Tagger")),
                "If-None-Match", tag));

        assertThat(tag).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(unchanged.getStatusCode()).isEqualTo(304);
        assertThat(unchanged.getBody()).isNull();
        assertThat(reviewsUnchanged.getStatusCode()).isEqualTo(304);
        assertThat(reviewsChanged.getStatusCode()).isEqualTo(200);
        assertThat(body(reviewsChanged).get("items")).isEmpty();
        assertThat(changed.getStatusCode()).isEqualTo(200);
        assertThat(body(changed).get("items")).isEmpty();
        assertThat(changed.getHeaders().get("ETag")).isNotEqualTo(tag);
        assertThat(get(withPath(event("get-book"), "bookId", book.id().toString())).getStatusCode()).isEqualTo(410);
    }

    @Test
    void aCommandIsPendingUntilItsOutcomeIsRecordedAndNeverCached() {
        NewBook book = storeBook(db, "Applied", "A");
        NewReview review = storeReview(db, book.id(), 4);
        UUID rejected = UUID.randomUUID();
        db.inTransaction(m -> m.outcomes().recordOutcomes(List.of(
                CommandOutcome.applied(book.commandId(), "CreateBook", book.id()),
                CommandOutcome.applied(review.commandId(), "CreateReview", review.id()),
                CommandOutcome.rejected(rejected, "CreateBook", "DUPLICATE_ISBN", "ISBN 9780306406157 is taken"))));

        APIGatewayProxyResponseEvent pending = get(withPath(event("get-command"), "commandId", UUID.randomUUID().toString()));
        JsonNode applied = body(get(withPath(event("get-command"), "commandId", book.commandId().toString())));
        JsonNode reviewApplied = body(get(withPath(event("get-command"), "commandId", review.commandId().toString())));
        JsonNode refused = body(get(withPath(event("get-command"), "commandId", rejected.toString())));

        assertThat(pending.getHeaders()).containsEntry("Cache-Control", "no-store");
        assertThat(body(pending).get("status").asText()).isEqualTo("PENDING");
        assertThat(applied.get("status").asText()).isEqualTo("APPLIED");
        assertThat(applied.get("resource").asText()).isEqualTo("/books/" + book.id());
        // A review has a URL of its own now (GET /books/{bookId}/reviews/{reviewId}).
        assertThat(reviewApplied.get("resource").asText()).isEqualTo("/books/" + book.id() + "/reviews/" + review.id());
        assertThat(reviewApplied.get("version").asInt()).isEqualTo(1);
        assertThat(reviewApplied.get("resourceId").asText()).isEqualTo(review.id().toString());
        assertThat(refused.get("status").asText()).isEqualTo("REJECTED");
        assertThat(refused.get("reason").asText()).isEqualTo("DUPLICATE_ISBN");
        assertThat(refused.get("detail").asText()).contains("9780306406157");
        assertThat(refused.has("resource")).isFalse();
    }

    @Test
    void theOriginalGetBookKeepsItsShapeButIsPaged() {
        for (int i = 0; i < 102; i++) {
            storeBook(db, "Legacy " + i, "A");
        }

        JsonNode first = body(get(event("get-book-legacy")));
        JsonNode rest = body(get(withQuery(event("get-book-legacy"), Map.of("cursor", first.get("next").asText()))));

        assertThat(first.get("books")).hasSize(100);
        assertThat(first.get("books").get(0).fieldNames()).toIterable().containsExactly("id", "title", "author", "publisher", "year");
        assertThat(rest.get("books")).hasSize(2);
        assertThat(rest.get("next").isNull()).isTrue();
    }

    @Test
    void everyClientErrorIsAProblemNamingItsField() {
        storeBook(db, "One", "A");
        storeBook(db, "Two", "A");
        String authorsCursor = body(get(withQuery(event("get-books"), Map.of("author", "A", "limit", "1")))).get("next").asText();

        assertProblem(withQuery(event("get-books"), Map.of("limit", "0")), 400, "limit@query");
        assertProblem(withQuery(event("get-books"), Map.of("limit", "101")), 400, "limit@query");
        assertProblem(withQuery(event("get-books"), Map.of("limit", "ten")), 400, "limit@query");
        assertProblem(withQuery(event("get-books"), Map.of("limit", "-5", "cursor", "%%%")), 400, "limit@query", "cursor@query");
        assertProblem(withQuery(event("get-books"), Map.of("cursor", "AAAA")), 400, "cursor@query");
        assertProblem(withQuery(event("get-books"), Map.of("cursor", authorsCursor)), 400, "cursor@query");
        assertProblem(withQuery(event("get-books"), Map.of("author", " ")), 400, "author@query");
        assertProblem(withQuery(event("get-books"), Map.of("author", "x".repeat(101))), 400, "author@query");
        assertProblem(withPath(event("get-book"), "bookId", "42"), 400, "bookId@path");
        assertProblem(withPath(event("get-book"), "bookId", UUID.randomUUID().toString()), 404);
        assertProblem(withPath(event("get-reviews"), "bookId", "not-a-uuid"), 400, "bookId@path");
        assertProblem(withPath(event("get-reviews"), "bookId", UUID.randomUUID().toString()), 404);
        assertProblem(withPath(event("get-command"), "commandId", "x"), 400, "commandId@path");
        assertProblem(withQuery(event("get-book-legacy"), Map.of("limit", "500")), 400, "limit@query");
        assertProblem(event("get-books").withHttpMethod("DELETE"), 404);
        // A misspelt parameter is named, not ignored in favour of the default; so is one given twice, with the rest.
        assertProblem(withQuery(event("get-books"), Map.of("limt", "5")), 400, "limt@query");
        assertProblem(withQuery(withPath(event("get-book"), "bookId", "42"), Map.of("limit", "5")), 400, "limit@query", "bookId@path");
        APIGatewayProxyRequestEvent twice = withQuery(event("get-books"), Map.of("limit", "5", "author", " "));
        twice.setMultiValueQueryStringParameters(Map.of("limit", List.of("-1", "5"), "author", List.of(" ")));
        assertProblem(twice, 400, "limit@query", "author@query");
    }

    @Test
    void aForgedOrOutOfRangeCursorIsA400NamingTheCursorOnEveryListing() {
        NewBook book = storeBook(db, "One", "A");
        storeBook(db, "Two", "A");
        storeReview(db, book.id(), 4);
        storeReview(db, book.id(), 5);
        List<APIGatewayProxyRequestEvent> listings = List.of(event("get-books"), withQuery(event("get-books"), Map.of("author", "A")),
                event("get-book-legacy"), withPath(event("get-reviews"), "bookId", book.id().toString()));

        for (APIGatewayProxyRequestEvent listing : listings) {
            Map<String, String> query = listing.getQueryStringParameters() == null ? Map.of() : listing.getQueryStringParameters();
            String real = body(get(withQuery(listing, with(query, "limit", "1")))).get("next").asText();
            ForgedCursors.of(real, 14).forEach((how, forged) ->
                    assertProblem(withQuery(listing, with(query, "cursor", forged)), 400, "cursor@query"));
            ForgedCursors.inRange(real).forEach((how, cursor) ->
                    assertThat(get(withQuery(listing, with(query, "cursor", cursor))).getStatusCode()).as(how).isEqualTo(200));
        }
    }

    @Test
    void aValueOfTheRequestThatTheDatabaseRefusesIsA400AndOnlyTheLogHasTheDatabasesWords() {
        storeBook(db, "One", "A");
        storeBook(db, "Two", "A");
        String cursor = body(get(withQuery(event("get-books"), Map.of("limit", "1")))).get("next").asText();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(logs, true, StandardCharsets.UTF_8);
        Clock clock = Clock.systemUTC();
        QueryApiHandler refusing = new QueryApiHandler(Database.pooled(timestampsPastPostgresRange(postgres.dataSourceAs(postgres.readerRole()))),
                new LogLine("query-api", out, clock), new Metrics("query-api", out, clock));

        APIGatewayProxyResponseEvent response = refusing.handleRequest(withQuery(event("get-books"), Map.of("cursor", cursor)),
                new TestLambdaContext());

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(body(response).get("type").asText()).isEqualTo("urn:bookstore:problem:validation-failed");
        assertThat(response.getBody()).doesNotContainIgnoringCase("sqlstate").doesNotContain("22008").doesNotContain("timestamp");
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"sqlState\":\"22008\"");
    }

    @Test
    void whileTheDatabaseIsDownReadsAre503WithRetryAfterAndThenRecover() {
        storeBook(db, "Survives", "A");
        get(event("get-books"));

        postgres.stop();
        APIGatewayProxyResponseEvent down;
        try {
            down = get(event("get-books"));
        } finally {
            postgres.start();
        }
        APIGatewayProxyResponseEvent back = get(event("get-books"));

        assertThat(down.getStatusCode()).isEqualTo(503);
        assertThat(down.getHeaders()).containsEntry("Retry-After", "1").containsEntry("Content-Type", "application/problem+json");
        assertThat(body(down).get("type").asText()).isEqualTo("urn:bookstore:problem:database-unavailable");
        assertThat(back.getStatusCode()).isEqualTo(200);
        assertThat(body(back).get("items")).hasSize(1);
    }

    private void assertProblem(APIGatewayProxyRequestEvent request, int status, String... fields) {
        APIGatewayProxyResponseEvent response = get(request);
        assertThat(response.getStatusCode()).as(request.getPath() + " " + request.getQueryStringParameters()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = body(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        if (fields.length > 0) {
            List<String> named = new ArrayList<>();
            problem.get("errors").forEach(e -> named.add(e.get("field").asText() + "@" + e.get("in").asText()));
            assertThat(named).containsExactlyInAnyOrder(fields);
        }
    }

    private static Map<String, String> with(Map<String, String> query, String name, String value) {
        Map<String, String> more = new HashMap<>(query);
        more.put(name, value);
        return more;
    }

    /**
     * Real PostgreSQL, made to see a client's value it cannot hold: every timestamp a statement is given becomes the
     * year 300000, past timestamptz's last, as a forged cursor would be if nothing checked it.
     */
    private static DataSource timestampsPastPostgresRange(DataSource dataSource) {
        OffsetDateTime tooLate = OffsetDateTime.of(300_000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        return proxy(DataSource.class, (p, method, args) -> {
            Object result = call(method, dataSource, args);
            return !(result instanceof Connection connection) ? result : proxy(Connection.class, (cp, cm, cargs) -> {
                Object statement = call(cm, connection, cargs);
                return !(statement instanceof PreparedStatement prepared) ? statement : proxy(PreparedStatement.class, (sp, sm, sargs) -> {
                    if (sm.getName().equals("setObject") && sargs[1] instanceof OffsetDateTime) {
                        sargs[1] = tooLate;
                    }
                    return call(sm, prepared, sargs);
                });
            });
        });
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Every answer is also checked against openapi.yaml: a status it does not list, or a field it does not name, fails. */
    private APIGatewayProxyResponseEvent get(APIGatewayProxyRequestEvent request) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(request, new TestLambdaContext());
        CONTRACT.check(request, response);
        return response;
    }
}
