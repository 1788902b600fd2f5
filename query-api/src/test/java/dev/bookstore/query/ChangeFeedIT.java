package dev.bookstore.query;

import static dev.bookstore.query.QueryFixtures.body;
import static dev.bookstore.query.QueryFixtures.event;
import static dev.bookstore.query.QueryFixtures.storeBook;
import static dev.bookstore.query.QueryFixtures.withPath;
import static dev.bookstore.query.QueryFixtures.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bookstore.db.Database;
import dev.bookstore.domain.ChangeEvent;
import dev.bookstore.domain.NewBook;
import dev.bookstore.migration.Migrations;
import dev.bookstore.query.handler.QueryApiHandler;
import dev.bookstore.testkit.ApiContract;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.TestPostgres;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /changes and GET /books/{bookId}/changes on real PostgreSQL, as the reader role, each answer checked against openapi.yaml. */
class ChangeFeedIT {

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
        postgres.truncate("reviews", "books", "command_outcomes", "change_events");
        postgres.execute("UPDATE change_feed_position SET last_seq = 0");
        handler = new QueryApiHandler(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrlAs(postgres.readerRole())));
    }

    @Test
    void theFeedPagesInCommitOrderAndItsLastPositionWaitsForWhatComesNext() {
        NewBook kindred = storeBook(db, "Kindred", "Octavia E. Butler");
        NewBook dawn = storeBook(db, "Dawn", "Octavia E. Butler");
        append(created(kindred), created(dawn));
        append(updated(kindred, 2));

        JsonNode first = feed(Map.of("limit", "2"));
        JsonNode second = feed(Map.of("limit", "2", "after", first.get("next").asText()));
        JsonNode caughtUp = feed(Map.of("limit", "2", "after", second.get("next").asText()));
        append(updated(dawn, 2));
        JsonNode later = feed(Map.of("after", caughtUp.get("next").asText()));

        assertThat(first.get("items")).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L);
        assertThat(second.get("items")).extracting(e -> e.get("seq").asLong()).containsExactly(3L);
        assertThat(caughtUp.get("items")).isEmpty();
        assertThat(caughtUp.get("next").asText()).as("at the end, the same position to come back with").isEqualTo(second.get("next").asText());
        assertThat(later.get("items")).extracting(e -> e.get("seq").asLong()).containsExactly(4L);
        JsonNode event = first.get("items").get(0);
        assertThat(event.get("type").asText()).isEqualTo("BookCreated");
        assertThat(event.get("bookId").asText()).isEqualTo(kindred.id().toString());
        assertThat(event.get("resourceVersion").asInt()).isEqualTo(1);
        assertThat(event.get("version").asInt()).as("the event format's").isEqualTo(1);
        assertThat(event.has("reviewId")).isFalse();
        assertThat(event.get("data").get("title").asText()).isEqualTo("Kindred");
        assertThat(event.get("occurredAt").asText()).endsWith("Z");
    }

    @Test
    void aBooksFeedHoldsItsOwnEventsOnlyAndAnUnknownBookIsA404() {
        NewBook kindred = storeBook(db, "Kindred", "Octavia E. Butler");
        NewBook dawn = storeBook(db, "Dawn", "Octavia E. Butler");
        append(created(kindred), created(dawn), updated(kindred, 2));

        JsonNode own = body(call(withPath(event("get-book-changes"), "bookId", kindred.id().toString())));
        APIGatewayProxyResponseEvent unknown = call(withPath(event("get-book-changes"), "bookId", UUID.randomUUID().toString()));
        APIGatewayProxyResponseEvent quiet = call(withPath(event("get-book-changes"), "bookId", storeBook(db, "Quiet", "A").id().toString()));

        assertThat(own.get("items")).extracting(e -> e.get("resourceVersion").asInt()).containsExactly(1, 2);
        assertThat(own.get("items")).extracting(e -> e.get("bookId").asText()).containsOnly(kindred.id().toString());
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(quiet.getStatusCode()).as("a book with no events yet").isEqualTo(200);
    }

    @Test
    void aPositionOfAnotherFeedOrAListsCursorIsA400NamingAfter() {
        NewBook kindred = storeBook(db, "Kindred", "Octavia E. Butler");
        append(created(kindred));
        String bookPosition = body(call(withPath(event("get-book-changes"), "bookId", kindred.id().toString()))).get("next").asText();
        storeBook(db, "Second", "A");
        String listCursor = body(call(withQuery(event("get-books"), Map.of("limit", "1")))).get("next").asText();

        for (String after : List.of(bookPosition, listCursor, "AAAA", "%%%", "")) {
            APIGatewayProxyResponseEvent refused = call(withQuery(event("get-changes"), Map.of("after", after)));
            assertThat(refused.getStatusCode()).as(after).isEqualTo(400);
            assertThat(body(refused).get("errors").findValuesAsText("field")).as(after).containsExactly("after");
        }
        assertThat(call(withQuery(event("get-changes"), Map.of("limit", "101"))).getStatusCode()).isEqualTo(400);
        assertThat(call(withQuery(event("get-changes"), Map.of("cursor", listCursor))).getStatusCode()).as("a list's parameter").isEqualTo(400);
    }

    private JsonNode feed(Map<String, String> query) {
        APIGatewayProxyResponseEvent response = call(withQuery(event("get-changes"), new HashMap<>(query)));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return body(response);
    }

    private APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent request) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(request, new TestLambdaContext());
        CONTRACT.check(request, response);
        return response;
    }

    /** Events as the writer appends them: in one transaction, numbered after the last. */
    private static void append(ChangeEvent... events) {
        db.inTransaction(m -> m.events().appendEvents(List.of(events)));
    }

    private static ChangeEvent created(NewBook book) {
        return change("BookCreated", book, 1);
    }

    private static ChangeEvent updated(NewBook book, int version) {
        return change("BookUpdated", book, version);
    }

    private static ChangeEvent change(String type, NewBook book, int version) {
        UUID command = UUID.randomUUID();
        String data = "{\"id\":\"" + book.id() + "\",\"title\":\"" + book.title() + "\",\"author\":\"" + book.author() + "\",\"publisher\":\""
                + book.publisher() + "\",\"year\":" + book.year() + ",\"isbn\":null,\"version\":" + version + "}";
        return new ChangeEvent(UUID.randomUUID(), type, book.id(), null, version, command, "test", data);
    }
}
