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
import dev.bookstore.testkit.ApiContract;
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
 * fields the handler returns, the batch routes' results item by item included.
 */
class OpenApiContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The routes that create from a JSON body; the changes (PATCH, DELETE) are checked apart. */
    private static final Set<String> CREATES = Set.of(IngestApi.POST_BOOKS, IngestApi.POST_REVIEWS, IngestApi.PUT_BOOK, IngestApi.PUT_REVIEW);
    private static final Set<String> CHANGES = Set.of(IngestApi.PATCH_BOOK, IngestApi.DELETE_BOOK, IngestApi.PATCH_REVIEW,
            IngestApi.DELETE_REVIEW);
    private static final Set<String> BATCHES = Set.of(IngestApi.POST_BOOKS_BATCH, IngestApi.POST_REVIEWS_BATCH);
    static JsonNode openapi;
    static ApiContract contract;
    static EmbeddedSqs sqs;
    static ApiIngestHandler handler;

    @BeforeAll
    static void setUp() throws IOException {
        openapi = new YAMLMapper().readTree(Files.readString(RepositoryFiles.find("openapi.yaml")));
        contract = ApiContract.ofRepository();
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

    /**
     * Each batch route's example is answered 207 as documented: one result per item at its index, a 202 result with
     * exactly the fields of BatchItemAccepted (a review's id only for a review), any other with those of
     * BatchItemRefused and a problem of the documented shape, whose status is the result's.
     */
    @Test
    void eachBatchExampleIsAnsweredWithTheDocumentedResults() {
        JsonNode results = resolve(openapi.at("/components/responses/BatchResults/content/application~1json/schema"));
        JsonNode accepted = openapi.at("/components/schemas/BatchItemAccepted");
        JsonNode refused = openapi.at("/components/schemas/BatchItemRefused");
        JsonNode problem = openapi.at("/components/schemas/Problem");
        for (String route : BATCHES) {
            JsonNode operation = operation(route);
            assertThat(operation.at("/responses/207/$ref").asText()).as(route).isEqualTo("#/components/responses/BatchResults");
            JsonNode example = operation.at("/requestBody/content/application~1json/example");

            APIGatewayProxyResponseEvent response = send(route, example.toString());

            assertThat(response.getStatusCode()).as(route).isEqualTo(207);
            JsonNode answer = body(response);
            assertThat(fieldNames(answer)).as(route).isEqualTo(fieldNames(results.get("properties")));
            assertThat(answer.get("results")).as(route).hasSize(example.get("items").size());
            Set<Integer> statuses = new HashSet<>();
            for (int i = 0; i < example.get("items").size(); i++) {
                JsonNode result = answer.get("results").get(i);
                int status = result.get("status").asInt();
                statuses.add(status);
                assertThat(result.get("index").asInt()).isEqualTo(i);
                if (status == 202) {
                    Set<String> documented = fieldNames(accepted.get("properties"));
                    if (!route.contains("reviews")) {
                        documented.remove("reviewId");
                    }
                    assertThat(fieldNames(result)).as(route + " item " + i).isEqualTo(documented);
                } else {
                    assertThat(fieldNames(result)).as(route + " item " + i).isEqualTo(fieldNames(refused.get("properties")));
                    assertThat(fieldNames(problem.get("properties"))).containsAll(fieldNames(result.get("problem")));
                    problem.get("required").forEach(field -> assertThat(result.get("problem").has(field.asText())).isTrue());
                    assertThat(result.get("problem").get("status").asInt()).isEqualTo(status);
                }
            }
            assertThat(answer.get("accepted").asInt()).isEqualTo((int) java.util.stream.StreamSupport.stream(answer.get("results").spliterator(), false)
                    .filter(r -> r.get("status").asInt() == 202).count());
            assertThat(statuses).as(route + ": the example shows each kind of result").contains(202);
        }
        assertThat(body(send(IngestApi.POST_BOOKS_BATCH, operation(IngestApi.POST_BOOKS_BATCH)
                .at("/requestBody/content/application~1json/example").toString())).findValuesAsText("status")).contains("400");
    }

    /** A batch item is its single route's body plus idempotencyKey; the item and request limits are where the handler draws them. */
    @Test
    void theBatchLimitsAreWhereTheHandlerDrawsThem() {
        for (String route : BATCHES) {
            JsonNode request = resolve(operation(route).at("/requestBody/content/application~1json/schema"));
            JsonNode items = request.at("/properties/items");
            JsonNode item = resolve(items.get("items"));
            String single = BatchSubmissions.SINGLE_ROUTES.get(route);
            JsonNode singleSchema = resolve(operation(single).at("/requestBody/content/application~1json/schema"));
            Set<String> expected = fieldNames(singleSchema.get("properties"));
            expected.add("idempotencyKey");
            assertThat(fieldNames(item.get("properties"))).as(route).isEqualTo(expected);
            assertThat(item.get("required")).as(route).isEqualTo(singleSchema.get("required"));
            assertThat(item.get("additionalProperties").asBoolean()).isFalse();
            assertThat(request.get("additionalProperties").asBoolean()).isFalse();
            assertThat(items.get("minItems").asInt()).isEqualTo(1);
            int max = items.get("maxItems").asInt();
            ObjectNode one = (ObjectNode) operation(single).at("/requestBody/content/application~1json/example");

            assertThat(send(route, copies(one, max)).getStatusCode()).as(route + " at maxItems").isEqualTo(207);
            assertThat(invalidFields(send(route, copies(one, max + 1)))).as(route + " over maxItems").containsExactly("items");
            assertThat(invalidFields(send(route, copies(one, 0)))).as(route + " with no items").containsExactly("items");
            assertThat(invalidFields(send(route, "{\"items\":[" + one + "],\"unexpected\":1}"))).containsExactly("unexpected");
        }
        assertThat(openapi.at("/components/responses/BatchTooLarge/description").asText()).contains("1 MiB");
        assertThat(BatchSubmissions.MAX_BODY_BYTES).isEqualTo(1024 * 1024);
        String padded = "{\"items\":[{\"title\":\"" + "x".repeat(BatchSubmissions.MAX_BODY_BYTES) + "\"}]}";
        assertThat(send(IngestApi.POST_BOOKS_BATCH, padded).getStatusCode()).isEqualTo(413);
    }

    /**
     * The validator that checks every exchange here is no formality: against a spec that lacks a field the handler
     * returns, lacks a status it gives, or is stricter than the handler about a request, the same exchange fails.
     */
    @Test
    void theValidatorRefusesTheSameExchangeUnderAMutatedSpec() {
        APIGatewayProxyRequestEvent request = Fixtures.event("post-books");
        APIGatewayProxyResponseEvent response = handler.handleRequest(request, new TestLambdaContext());
        assertThat(contract.violations(ApiContract.exchange(request, response))).isEmpty();

        ObjectNode lacksAField = openapi.deepCopy();
        ((ObjectNode) lacksAField.at("/components/schemas/BookAccepted/properties")).remove("issuedAt");
        ((com.fasterxml.jackson.databind.node.ArrayNode) lacksAField.at("/components/schemas/BookAccepted/required")).remove(2);
        assertThat(ApiContract.of(lacksAField.toString()).violations(ApiContract.exchange(request, response)))
                .anySatisfy(v -> assertThat(v).contains("validation.response.body.schema.additionalProperties").contains("issuedAt"));

        ObjectNode lacksAStatus = openapi.deepCopy();
        ((ObjectNode) lacksAStatus.at("/paths/~1books/post/responses")).remove("202");
        assertThat(ApiContract.of(lacksAStatus.toString()).violations(ApiContract.exchange(request, response)))
                .anySatisfy(v -> assertThat(v).contains("validation.response.status.unknown"));

        ObjectNode stricter = openapi.deepCopy();
        ((ObjectNode) stricter.at("/components/schemas/CreateBookRequest/properties/title")).put("maxLength", 5);
        assertThat(ApiContract.of(stricter.toString()).violations(ApiContract.exchange(request, response)))
                .anySatisfy(v -> assertThat(v).startsWith("accepted what the spec refuses").contains("maxLength"));
    }

    private static String copies(ObjectNode item, int count) {
        com.fasterxml.jackson.databind.node.ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            items.add(item.deepCopy());
        }
        return JSON.createObjectNode().set("items", items).toString();
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
            case IngestApi.POST_BOOKS_BATCH -> "post-books-batch";
            case IngestApi.POST_REVIEWS_BATCH -> "post-reviews-batch";
            default -> "put-review";
        };
        APIGatewayProxyRequestEvent request = Fixtures.event(fixture, body);
        APIGatewayProxyResponseEvent response = handler.handleRequest(request, new TestLambdaContext());
        contract.check(request, response);
        return response;
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
