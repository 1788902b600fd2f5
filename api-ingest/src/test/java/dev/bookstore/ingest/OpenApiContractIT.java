package dev.bookstore.ingest;

import static dev.bookstore.ingest.Fixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bookstore.config.Settings;
import dev.bookstore.ingest.handler.ApiIngestHandler;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.RepositoryFiles;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code openapi.yaml} true for the write routes: its routes are the handler's, its examples
 * are accepted, its limits are where the handler draws them, and its response schemas name the
 * fields the handler returns.
 */
class OpenApiContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The routes that create from a JSON body; the changes (PATCH, DELETE) are checked apart. */
    private static final Set<String> CREATES = Set.of(IngestApi.POST_BOOKS, IngestApi.POST_REVIEWS, IngestApi.PUT_BOOK, IngestApi.PUT_REVIEW);
    private static final Set<String> CHANGES = Set.of(IngestApi.PATCH_BOOK, IngestApi.DELETE_BOOK, IngestApi.PATCH_REVIEW,
            IngestApi.DELETE_REVIEW);
    static JsonNode openapi;
    static EmbeddedSqs sqs;
    static ApiIngestHandler handler;

    @BeforeAll
    static void setUp() throws IOException {
        openapi = new YAMLMapper().readTree(Files.readString(RepositoryFiles.find("openapi.yaml")));
        sqs = EmbeddedSqs.start();
        handler = new ApiIngestHandler(Map.of(IngestConfig.BOOKS_QUEUE_URL, sqs.createQueue("books"),
                IngestConfig.REVIEWS_QUEUE_URL, sqs.createQueue("reviews"), IngestConfig.SQS_ENDPOINT, sqs.endpoint(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    @Test
    void theWriteRoutesOfTheDocumentAreTheHandlersRoutes() {
        Set<String> documented = new HashSet<>();
        openapi.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("get")) {
                documented.add(method.toUpperCase() + " " + path.getKey());
            }
        }));

        assertThat(documented).isEqualTo(IngestApi.ROUTES);
    }

    @Test
    void everyExampleIsAcceptedAndTheAnswerHasTheDocumentedFields() {
        for (String route : CREATES) {
            JsonNode operation = operation(route);
            JsonNode example = operation.at("/requestBody/content/application~1json/example");

            APIGatewayProxyResponseEvent response = send(route, example.toString());

            assertThat(response.getStatusCode()).as(route).isEqualTo(202);
            JsonNode schema = resolve(operation.at("/responses/202/content/application~1json/schema"));
            assertThat(fieldNames(body(response))).as(route).isEqualTo(fieldNames(schema.get("properties")));
        }
    }

    @Test
    void theDocumentedLimitsAreWhereTheHandlerDrawsThem() {
        for (String route : CREATES) {
            JsonNode operation = operation(route);
            ObjectNode example = (ObjectNode) operation.at("/requestBody/content/application~1json/example");
            JsonNode schema = resolve(operation.at("/requestBody/content/application~1json/schema"));
            schema.get("properties").fields().forEachRemaining(property -> {
                String field = property.getKey();
                JsonNode rule = property.getValue();
                if (rule.has("maxLength")) {
                    int max = rule.get("maxLength").asInt();
                    assertThat(send(route, with(example, field, "x".repeat(max))).getStatusCode()).as(route + " " + field + " at max")
                            .isEqualTo(202);
                    assertThat(invalidFields(send(route, with(example, field, "x".repeat(max + 1))))).as(route + " " + field + " over max")
                            .containsExactly(field);
                }
                if (rule.has("minimum")) {
                    int min = rule.get("minimum").asInt();
                    assertThat(send(route, with(example, field, min)).getStatusCode()).as(route + " " + field + " at minimum").isEqualTo(202);
                    assertThat(invalidFields(send(route, with(example, field, min - 1)))).containsExactly(field);
                }
                if (rule.has("maximum")) {
                    int max = rule.get("maximum").asInt();
                    assertThat(send(route, with(example, field, max)).getStatusCode()).as(route + " " + field + " at maximum").isEqualTo(202);
                    assertThat(invalidFields(send(route, with(example, field, max + 1)))).containsExactly(field);
                }
            });
        }
    }

    @Test
    void requiredFieldsAreRequiredAndOthersAreNotAndNothingElseIsAllowed() {
        for (String route : CREATES) {
            JsonNode operation = operation(route);
            ObjectNode example = (ObjectNode) operation.at("/requestBody/content/application~1json/example");
            JsonNode schema = resolve(operation.at("/requestBody/content/application~1json/schema"));
            Set<String> required = new HashSet<>();
            schema.get("required").forEach(field -> required.add(field.asText()));

            schema.get("properties").fieldNames().forEachRemaining(field -> {
                ObjectNode without = example.deepCopy();
                without.remove(field);
                APIGatewayProxyResponseEvent response = send(route, without.toString());
                if (required.contains(field)) {
                    assertThat(invalidFields(response)).as(route + " without " + field).containsExactly(field);
                } else {
                    assertThat(response.getStatusCode()).as(route + " without " + field).isEqualTo(202);
                }
            });
            assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
            assertThat(invalidFields(send(route, with(example, "unexpected", "x")))).containsExactly("unexpected");
        }
    }

    @Test
    void everyChangeExampleIsAcceptedAndTheAnswerHasTheDocumentedFields() {
        JsonNode schema = openapi.at("/components/schemas/ChangeAccepted");
        Set<String> required = new HashSet<>();
        schema.get("required").forEach(field -> required.add(field.asText()));
        for (String route : CHANGES) {
            JsonNode operation = operation(route);
            assertThat(operation.at("/responses/202/$ref").asText()).as(route).isEqualTo("#/components/responses/ChangeAccepted");
            JsonNode example = operation.at("/requestBody/content/application~1merge-patch+json/example");

            APIGatewayProxyResponseEvent response = send(route, example.isMissingNode() ? null : example.toString());

            assertThat(response.getStatusCode()).as(route).isEqualTo(202);
            assertThat(fieldNames(schema.get("properties"))).as(route).containsAll(fieldNames(body(response)));
            assertThat(fieldNames(body(response))).as(route).containsAll(required);
            assertThat(body(response).has("reviewId")).as(route).isEqualTo(route.contains("reviews"));
        }
    }

    @Test
    void aPatchIsHeldToTheLimitsOfItsSchema() {
        for (String route : Set.of(IngestApi.PATCH_BOOK, IngestApi.PATCH_REVIEW)) {
            JsonNode schema = resolve(operation(route).at("/requestBody/content/application~1merge-patch+json/schema"));
            assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
            assertThat(invalidFields(send(route, "{}"))).as(route + " empty").containsExactly("");
            schema.get("properties").fields().forEachRemaining(property -> {
                String field = property.getKey();
                JsonNode rule = property.getValue();
                if (rule.has("maxLength")) {
                    int max = rule.get("maxLength").asInt();
                    assertThat(send(route, JSON.createObjectNode().put(field, "x".repeat(max)).toString()).getStatusCode()).isEqualTo(202);
                    assertThat(invalidFields(send(route, JSON.createObjectNode().put(field, "x".repeat(max + 1)).toString())))
                            .as(route + " " + field).containsExactly(field);
                }
                boolean removable = rule.path("nullable").asBoolean(false);
                APIGatewayProxyResponseEvent removed = send(route, "{\"" + field + "\":null}");
                if (removable) {
                    assertThat(removed.getStatusCode()).as(route + " " + field + ": null").isEqualTo(202);
                } else {
                    assertThat(invalidFields(removed)).as(route + " " + field + ": null").containsExactly(field);
                }
            });
        }
    }

    @Test
    void aProblemHasTheDocumentedFields() {
        APIGatewayProxyResponseEvent response = send("POST /books", "{}");

        JsonNode schema = openapi.at("/components/schemas/Problem");
        assertThat(schema.get("properties").has("errors")).isTrue();
        assertThat(fieldNames(schema.get("properties"))).containsAll(fieldNames(body(response)));
        schema.get("required").forEach(field -> assertThat(body(response).has(field.asText())).isTrue());
    }

    private static APIGatewayProxyResponseEvent send(String route, String body) {
        String fixture = switch (route) {
            case IngestApi.POST_BOOKS -> "post-books";
            case IngestApi.POST_REVIEWS -> "post-review";
            case IngestApi.PUT_BOOK -> "put-book";
            case IngestApi.PATCH_BOOK -> "patch-book";
            case IngestApi.DELETE_BOOK -> "delete-book";
            case IngestApi.PATCH_REVIEW -> "patch-review";
            case IngestApi.DELETE_REVIEW -> "delete-review";
            default -> "put-review";
        };
        APIGatewayProxyRequestEvent request = Fixtures.event(fixture, body);
        return handler.handleRequest(request, new TestLambdaContext());
    }

    private static java.util.List<String> invalidFields(APIGatewayProxyResponseEvent response) {
        assertThat(response.getStatusCode()).isEqualTo(400);
        return body(response).get("errors").findValuesAsText("field");
    }

    private static String with(ObjectNode example, String field, Object value) {
        ObjectNode copy = example.deepCopy();
        copy.set(field, JSON.valueToTree(value));
        return copy.toString();
    }

    private static JsonNode operation(String route) {
        String[] parts = route.split(" ", 2);
        return openapi.get("paths").get(parts[1]).get(parts[0].toLowerCase());
    }

    private static JsonNode resolve(JsonNode schema) {
        if (schema.has("$ref")) {
            return openapi.at(schema.get("$ref").asText().substring(1));
        }
        return schema;
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
