package dev.bookstore.ingest;

import static dev.bookstore.ingest.Fixtures.event;
import static dev.bookstore.ingest.Fixtures.withHeader;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.config.Settings;
import dev.bookstore.ingest.handler.ApiIngestHandler;
import dev.bookstore.testkit.ApiContract;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated requests — random bytes, random JSON, mutated valid bodies, boundary values,
 * deep nesting, huge numbers, wrong content types, odd keys and paths — against the real handler and
 * ElasticMQ, on the single routes and the batch routes. Only 202 or 4xx may come back, or a 207 answering each item
 * with 202 or 4xx, and after every request the queues hold exactly what was accepted.
 */
class IngestFuzzIT {

    /** Each answer checked against openapi.yaml: the spec lists it, and a 202 went only to a request the spec allows. */
    private static final ApiContract CONTRACT = ApiContract.ofRepository();
    private static final int REQUESTS = 3_000;
    private static final String[] FIXTURES = {"post-books", "post-review", "put-book", "put-review", "post-books-batch", "post-reviews-batch"};
    /** Each batch fixture, and the single fixture whose body its items are made from. */
    private static final Map<String, String> ITEMS_OF = Map.of("post-books-batch", "post-books", "post-reviews-batch", "post-review");
    private static final String[] STRINGS = {"", " ", "x", "Ursula K. Le Guin", "tab\there", "nul\u0000", "line\nbreak", "😀📚",
            "\ud800", "\uffff", "a".repeat(100), "a".repeat(101), "a".repeat(200), "a".repeat(201), "a".repeat(500), "a".repeat(501),
            "0306406152", "978-0-306-40615-7", "9780306406158", "0b6c5e7e-8a3b-4a4f-9a51-0c0e1b8f1a10", "<script>", "' OR 1=1 --"};
    private static final Object[] NUMBERS = {0, 1, 4, 5, 6, -1, 9, 1449, 1450, 1969, 2027, 2028, 2100, Integer.MAX_VALUE,
            Long.MAX_VALUE, 4.5, 5.0, 1e308, new BigInteger("9".repeat(39))};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
            "application/problem+json", "text/plain", "application/xml", "multipart/form-data; boundary=x", "", "application/json; charset=utf-16",
            null};
    private static final String[] KEYS = {null, null, "k1", "k2", "", " ", "x".repeat(128), "x".repeat(129), "ключ", "a\u0000b"};

    static EmbeddedSqs sqs;
    static String books;
    static String reviews;

    @BeforeAll
    static void startSqs() {
        sqs = EmbeddedSqs.start();
        books = sqs.createQueue("fuzz-books");
        reviews = sqs.createQueue("fuzz-reviews");
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @Test
    void onlyAcceptedOrClientErrorsAndNothingQueuedForAClientError() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        ApiIngestHandler handler = handler();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int accepted = 0;

        Map<Integer, Integer> itemStatuses = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            APIGatewayProxyRequestEvent request = request(random);
            APIGatewayProxyResponseEvent response = handler.handleRequest(request, new TestLambdaContext());
            int status = response.getStatusCode();
            statuses.merge(status, 1, Integer::sum);
            String what = "seed " + seed + ", request " + i + ": " + describe(request);
            assertThat(CONTRACT.violations(ApiContract.exchange(request, response))).as(what).isEmpty();
            if (request.getResource().endsWith("/batch") && status == 207) {
                accepted += batchAnswered(request, response, itemStatuses, what);
            } else {
                assertThat(status).as(what).satisfiesAnyOf(s -> assertThat(s).isEqualTo(202), s -> assertThat(s).isBetween(400, 499));
                if (status == 202) {
                    accepted++;
                    continue;
                }
            }
            assertThat(sqs.depth(books) + sqs.depth(reviews)).as("%s: the queues hold what was accepted, and nothing else", what)
                    .isEqualTo(accepted);
        }

        System.out.println("fuzz seed " + seed + ": statuses " + statuses + "; batch items " + itemStatuses);
        // Two thirds of the requests go to the single routes, a third to the batch routes.
        assertThat(statuses.get(202)).as("some requests are valid, or the campaign tests little").isGreaterThan(REQUESTS / 30);
        assertThat(itemStatuses.get(202)).as("some batch items are valid").isGreaterThan(REQUESTS / 20);
        assertThat(statuses.keySet()).contains(207, 400, 413, 415);
        assertThat(itemStatuses.keySet()).as("batch items accepted and refused").contains(202, 400);
    }

    /**
     * A 207 answers each item of the request at its index, with 202 or a client error only (SQS is well here), and
     * counts its 202s; returns that count.
     */
    private static int batchAnswered(APIGatewayProxyRequestEvent request, APIGatewayProxyResponseEvent response,
                                     Map<Integer, Integer> itemStatuses, String what) {
        JsonNode items = Fixtures.body(new APIGatewayProxyResponseEvent().withBody(request.getBody())).get("items");
        JsonNode answer = Fixtures.body(response);
        JsonNode results = answer.get("results");
        assertThat(results.size()).as("%s: one result per item", what).isEqualTo(items.size());
        int accepted = 0;
        for (int i = 0; i < results.size(); i++) {
            JsonNode result = results.get(i);
            int status = result.get("status").asInt();
            itemStatuses.merge(status, 1, Integer::sum);
            assertThat(result.get("index").asInt()).as(what).isEqualTo(i);
            assertThat(status).as("%s, item %d", what, i).satisfiesAnyOf(s -> assertThat(s).isEqualTo(202), s -> assertThat(s).isBetween(400, 499));
            if (status == 202) {
                accepted++;
                assertThat(result.get("commandId").asText()).as(what).hasSize(36);
            } else {
                assertThat(result.at("/problem/status").asInt()).as(what).isEqualTo(status);
            }
        }
        assertThat(answer.get("accepted").asInt()).as(what).isEqualTo(accepted);
        return accepted;
    }

    private static APIGatewayProxyRequestEvent request(Random random) {
        String fixture = FIXTURES[random.nextInt(FIXTURES.length)];
        APIGatewayProxyRequestEvent request = event(fixture);
        switch (random.nextInt(10)) {
            case 0 -> request.setBody(randomBytes(random, request));
            case 1 -> request.setBody(randomJson(random, 0).toString());
            case 2 -> request.setBody(deep(random));
            case 3 -> request.setBody("{\"title\":\"" + "x".repeat(60_000 + random.nextInt(10_000)) + "\"}");
            default -> request.setBody(ITEMS_OF.containsKey(fixture) ? batch(random, event(ITEMS_OF.get(fixture)).getBody())
                    : mutate(random, request.getBody()));
        }
        if (random.nextInt(4) == 0) {
            withHeader(request, "Content-Type", CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]);
        }
        String key = KEYS[random.nextInt(KEYS.length)];
        // A batch refuses the header whole (its items carry their keys): sent seldom there, or few batches get to their items.
        if (key != null && (!ITEMS_OF.containsKey(fixture) || random.nextInt(10) == 0)) {
            withHeader(request, "Idempotency-Key", key);
        }
        if (request.getPathParameters() != null && random.nextInt(5) == 0) {
            request.setPathParameters(Map.of("bookId", STRINGS[random.nextInt(STRINGS.length)]));
        }
        return request;
    }

    /**
     * A batch of single bodies, each mutated or not, some with a key (well-formed or not), at times one or none too
     * many, or with something else where the items belong.
     */
    private static String batch(Random random, String validItem) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        switch (random.nextInt(12)) {
            case 0 -> body.set("items", randomJson(random, 1));
            case 1 -> body.putArray("items");
            case 2 -> body.put("extra", 1).putArray("items").add(Fixtures.body(new APIGatewayProxyResponseEvent().withBody(validItem)));
            default -> {
                ArrayNode items = body.putArray("items");
                int size = random.nextInt(8) == 0 ? 99 + random.nextInt(3) : 1 + random.nextInt(12);
                for (int i = 0; i < size; i++) {
                    JsonNode item = Fixtures.body(new APIGatewayProxyResponseEvent().withBody(random.nextInt(3) == 0 ? validItem : mutate(random, validItem)));
                    String key = KEYS[random.nextInt(KEYS.length)];
                    if (key != null && item.isObject()) {
                        ((ObjectNode) item).put("idempotencyKey", key);
                    } else if (random.nextInt(20) == 0 && item.isObject()) {
                        ((ObjectNode) item).set("idempotencyKey", randomJson(random, 3));
                    }
                    items.add(random.nextInt(30) == 0 ? randomJson(random, 2) : item);
                }
            }
        }
        return body.toString();
    }

    private static String mutate(Random random, String validBody) {
        ObjectNode body = (ObjectNode) Fixtures.body(new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent()
                .withBody(validBody));
        List<String> fields = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        int mutations = random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            String field = random.nextInt(8) == 0 ? "extra" + m : fields.get(random.nextInt(fields.size()));
            switch (random.nextInt(5)) {
                case 0 -> body.remove(field);
                case 1 -> body.put(field, STRINGS[random.nextInt(STRINGS.length)]);
                case 2 -> body.putPOJO(field, NUMBERS[random.nextInt(NUMBERS.length)]);
                case 3 -> body.putNull(field);
                default -> body.set(field, randomJson(random, 2));
            }
        }
        return body.toString();
    }

    private static JsonNode randomJson(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = depth > 4 ? random.nextInt(4) : random.nextInt(6);
        switch (kind) {
            case 0:
                return f.textNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 1:
                return f.pojoNode(NUMBERS[random.nextInt(NUMBERS.length)]);
            case 2:
                return f.booleanNode(random.nextBoolean());
            case 3:
                return f.nullNode();
            case 4:
                ArrayNode array = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomJson(random, depth + 1));
                }
                return array;
            default:
                ObjectNode object = f.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(i % 2 == 0 ? "title" : "k" + random.nextInt(50), randomJson(random, depth + 1));
                }
                return object;
        }
    }

    private static String deep(Random random) {
        int depth = 20 + random.nextInt(2000);
        return "{\"title\":" + "[".repeat(depth) + "1" + "]".repeat(depth) + "}";
    }

    private static String randomBytes(Random random, APIGatewayProxyRequestEvent request) {
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);
        if (random.nextBoolean()) {
            request.setIsBase64Encoded(true);
            return Base64.getEncoder().encodeToString(bytes);
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String describe(APIGatewayProxyRequestEvent request) {
        String body = request.getBody() == null ? "" : request.getBody();
        return request.getHttpMethod() + " " + request.getPath() + " " + body.substring(0, Math.min(200, body.length()));
    }

    private static ApiIngestHandler handler() {
        IngestConfig config = IngestConfig.from(new Settings(Map.of(IngestConfig.BOOKS_QUEUE_URL, books,
                IngestConfig.REVIEWS_QUEUE_URL, reviews, IngestConfig.SQS_ENDPOINT, sqs.endpoint(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test")));
        Clock clock = Clock.systemUTC();
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        return new ApiIngestHandler(new IngestApi(new CommandPublisher(CommandPublisher.client(config), config,
                new dev.bookstore.command.CommandCodec(clock)), new IdempotencyKeys(), clock),
                new dev.bookstore.telemetry.LogLine("fuzz", discard, clock), new dev.bookstore.telemetry.Metrics("fuzz", discard, clock));
    }
}
