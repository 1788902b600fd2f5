package dev.bookstore.query;

import static dev.bookstore.query.QueryFixtures.body;
import static dev.bookstore.query.QueryFixtures.event;
import static dev.bookstore.query.QueryFixtures.storeBook;
import static dev.bookstore.query.QueryFixtures.storeReview;
import static dev.bookstore.query.QueryFixtures.withPath;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bookstore.db.Database;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.migration.Migrations;
import dev.bookstore.query.handler.QueryApiHandler;
import dev.bookstore.testkit.ApiContract;
import dev.bookstore.testkit.RepositoryFiles;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.TestPostgres;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps {@code openapi.yaml} true for the read routes: the same routes, and answers with exactly the documented fields. */
class QueryOpenApiContractIT {

    static JsonNode openapi;
    static ApiContract contract;
    static QueryApiHandler handler;
    static NewBook book;
    static NewReview review;

    @BeforeAll
    static void setUp() throws Exception {
        openapi = new YAMLMapper().readTree(Files.readString(RepositoryFiles.find("openapi.yaml")));
        contract = ApiContract.ofRepository();
        TestPostgres postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        postgres.truncate("reviews", "books", "command_outcomes");
        Database db = Database.pooled(postgres.dataSource());
        book = storeBook(db, "Documented", "A");
        storeBook(db, "Second", "A");
        review = storeReview(db, book.id(), 4);
        storeReview(db, book.id(), 2);
        db.inTransaction(m -> m.outcomes().recordOutcomes(List.of(CommandOutcome.applied(review.commandId(), "CreateReview", review.id()))));
        handler = new QueryApiHandler(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrlAs(postgres.readerRole())));
    }

    @Test
    void theReadRoutesOfTheDocumentAreTheHandlersRoutes() {
        Set<String> documented = new HashSet<>();
        openapi.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (method.equals("get")) {
                documented.add("GET " + path.getKey());
            }
        }));

        assertThat(documented).isEqualTo(QueryApi.ROUTES);
    }

    @Test
    void eachAnswerHasExactlyTheDocumentedFields() {
        Map<String, JsonNode> answers = Map.of(
                QueryApi.LIST_BOOKS, body(call(QueryFixtures.withQuery(event("get-books"), Map.of("limit", "1")), new TestLambdaContext())),
                QueryApi.GET_BOOK, body(call(withPath(event("get-book"), "bookId", book.id().toString()), new TestLambdaContext())),
                QueryApi.LIST_REVIEWS, body(call(QueryFixtures.withQuery(
                        withPath(event("get-reviews"), "bookId", book.id().toString()), Map.of("limit", "1")), new TestLambdaContext())),
                QueryApi.GET_COMMAND, body(call(withPath(event("get-command"), "commandId", review.commandId().toString()),
                        new TestLambdaContext())),
                QueryApi.LEGACY_LIST_BOOKS, body(call(QueryFixtures.withQuery(event("get-book-legacy"), Map.of("limit", "1")),
                        new TestLambdaContext())));

        answers.forEach((route, answer) -> {
            JsonNode schema = resolve(operation(route).at("/responses/200/content/application~1json/schema"));
            assertMatches(route, answer, schema);
        });
    }

    /** Every required field present, nothing undocumented, and the same for the items of arrays. */
    private static void assertMatches(String where, JsonNode value, JsonNode schema) {
        Set<String> documented = new HashSet<>();
        schema.get("properties").fieldNames().forEachRemaining(documented::add);
        Set<String> present = new HashSet<>();
        value.fieldNames().forEachRemaining(present::add);
        assertThat(documented).as(where).containsAll(present);
        if (schema.has("required")) {
            schema.get("required").forEach(field -> assertThat(present).as(where).contains(field.asText()));
        }
        schema.get("properties").properties().forEach(property -> {
            JsonNode items = property.getValue().get("items");
            JsonNode array = value.get(property.getKey());
            if (items != null && array != null && array.isArray()) {
                assertThat(array).as(where + "." + property.getKey()).isNotEmpty();
                array.forEach(item -> assertMatches(where + "." + property.getKey() + "[]", item, resolve(items)));
            }
        });
    }

    /** The handler's answer, checked against openapi.yaml by the validator as well. */
    private static APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent request, TestLambdaContext context) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(request, context);
        contract.check(request, response);
        return response;
    }

    private static JsonNode operation(String route) {
        String[] parts = route.split(" ", 2);
        return openapi.get("paths").get(parts[1]).get(parts[0].toLowerCase());
    }

    private static JsonNode resolve(JsonNode schema) {
        return schema.has("$ref") ? openapi.at(schema.get("$ref").asText().substring(1)) : schema;
    }
}
