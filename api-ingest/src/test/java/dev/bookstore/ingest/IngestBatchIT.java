package dev.bookstore.ingest;

import static dev.bookstore.ingest.Fixtures.body;
import static dev.bookstore.ingest.Fixtures.event;
import static dev.bookstore.ingest.Fixtures.withHeader;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.config.Settings;
import dev.bookstore.ingest.handler.ApiIngestHandler;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The batch routes against ElasticMQ: each item answered on its own, ten to a SendMessageBatch call, and a 202 only
 * for what SQS took. Faults ElasticMQ cannot make (an entry refused, an answer lost) come from {@link SqsTap} in front
 * of it, which never stores anything itself.
 */
class IngestBatchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE = "Root=1-6743f1a2-3c1d2e4f5a6b7c8d9e0f1a2b;Parent=53995c3f42cd8ad8;Sampled=1";

    static EmbeddedSqs sqs;
    static String books;
    static String reviews;

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private ApiIngestHandler handler;

    @BeforeAll
    static void startSqs() {
        sqs = EmbeddedSqs.start();
        books = sqs.createQueue("books-commands");
        reviews = sqs.createQueue("reviews-commands");
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @BeforeEach
    void freshEnvironment() {
        sqs.client().purgeQueue(r -> r.queueUrl(books));
        sqs.client().purgeQueue(r -> r.queueUrl(reviews));
        handler = handler(sqs.endpoint());
    }

    @Test
    void eachItemIsCheckedOnItsOwnAndOnlyTheGoodOnesAreQueuedInOrder() {
        String items = "[" + book(0) + ",{\"title\":\"\",\"author\":\"A\",\"publisher\":\"P\",\"year\":1200},\"not an item\","
                + withKey(book(3), "order-3") + ",{\"title\":\"T\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001,\"idempotencyKey\":\"bad key\"},"
                + "{\"title\":\"T\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001,\"isbn\":\"978-0-441-47812-5\",\"pages\":3}," + book(6) + "]";

        APIGatewayProxyResponseEvent response = send(handler, "post-books-batch", "{\"items\":" + items + "}");

        JsonNode answer = body(response);
        JsonNode results = answer.get("results");
        assertThat(response.getStatusCode()).isEqualTo(207);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json").doesNotContainKey("Retry-After");
        assertThat(results).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
        }
        assertThat(statuses(results)).containsExactly(202, 400, 400, 202, 400, 400, 202);
        assertThat(answer.get("accepted").asInt()).isEqualTo(3);
        assertThat(fields(results.get(1))).containsExactlyInAnyOrder("title", "year");
        assertThat(fields(results.get(2))).containsExactly("");
        assertThat(fields(results.get(4))).containsExactly("idempotencyKey");
        assertThat(fields(results.get(5))).containsExactly("pages");
        assertThat(results.get(1).at("/problem/type").asText()).isEqualTo("urn:bookstore:problem:validation-failed");
        assertThat(results.get(1).at("/problem/instance").asText()).isEqualTo("/books/batch");
        JsonNode first = results.get(0);
        String bookId = first.get("bookId").asText();
        assertThat(first.get("location").asText()).isEqualTo("/prod/books/" + bookId);
        assertThat(first.get("statusUrl").asText()).isEqualTo("/prod/commands/" + first.get("commandId").asText());
        assertThat(first.get("issuedAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(first.has("reviewId")).isFalse();
        Map<String, JsonNode> queued = queued(books);
        assertThat(queued.keySet()).containsExactlyInAnyOrder(first.get("commandId").asText(), results.get(3).get("commandId").asText(),
                results.get(6).get("commandId").asText());
        JsonNode keyed = queued.get(results.get(3).get("commandId").asText());
        assertThat(keyed.get("idempotencyKey").asText()).isEqualTo("order-3");
        assertThat(keyed.get("payload").has("idempotencyKey")).as("the key is the envelope's, not the book's").isFalse();
        assertThat(keyed.at("/payload/title").asText()).isEqualTo("Book 3");
        assertThat(keyed.get("issuedAt").asText()).isEqualTo(results.get(3).get("issuedAt").asText());
    }

    /** Ten entries to a call: the calls counted where they leave, the messages where they land. */
    @Test
    void aHundredItemsGoToSqsInTenSendMessageBatchCallsOfTen() throws Exception {
        try (SqsTap tap = new SqsTap(sqs.endpoint())) {
            APIGatewayProxyResponseEvent response = send(handler(tap.endpoint()), "post-books-batch", batch(100, IngestBatchIT::book));

            JsonNode results = body(response).get("results");
            assertThat(statuses(results)).hasSize(100).containsOnly(202);
            assertThat(tap.calls("SendMessageBatch")).isEqualTo(10);
            assertThat(tap.batchSizes()).containsOnly(10);
            assertThat(tap.calls("SendMessage")).isZero();
            List<Message> messages = receiveAll(books);
            assertThat(messages).hasSize(100);
            assertThat(messages).allSatisfy(m -> {
                assertThat(m.messageAttributes().get("type").stringValue()).isEqualTo("CreateBook");
                assertThat(m.messageAttributes().get("version").stringValue()).isEqualTo("1");
                assertThat(m.messageAttributes().get("correlationId").stringValue()).isEqualTo("77375676-0c1d-4b79-853a-f982474efe18");
                assertThat(m.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER)).isEqualTo(TRACE);
            });
            List<String> answered = results.findValuesAsText("commandId");
            assertThat(messages.stream().map(m -> json(m.body()).get("commandId").asText()).toList()).containsExactlyInAnyOrderElementsOf(answered);
            for (int i = 0; i < 100; i++) {
                assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
            }
        }
    }

    @Test
    void aRequestBrokenAsAWholeIsRefusedWholeAndNothingIsQueued() throws Exception {
        try (SqsTap tap = new SqsTap(sqs.endpoint())) {
            ApiIngestHandler tapped = handler(tap.endpoint());
            List<APIGatewayProxyRequestEvent> refused = List.of(
                    event("post-books-batch", batch(101, IngestBatchIT::book)),
                    event("post-books-batch", "{\"items\":[]}"),
                    event("post-books-batch", "{}"),
                    event("post-books-batch", "{\"items\":" + book(0) + "}"),
                    event("post-books-batch", "[" + book(0) + "]"),
                    event("post-books-batch", "{\"items\":[" + book(0) + "],\"dryRun\":true}"),
                    event("post-books-batch", "{\"items\":[" + book(0)),
                    withHeader(event("post-books-batch", batch(2, IngestBatchIT::book)), "Idempotency-Key", "whole-batch"),
                    withHeader(event("post-books-batch", batch(2, IngestBatchIT::book)), "If-Match", "\"1\""),
                    withHeader(event("post-books-batch", batch(2, IngestBatchIT::book)), "Content-Type", "text/plain"),
                    event("post-books-batch", "{\"items\":[" + ("{\"title\":\"" + "x".repeat(20_000) + "\"},").repeat(60) + book(0) + "]}"),
                    reviewsOf("not-a-uuid", batch(2, IngestBatchIT::review)));
            List<Integer> statuses = new ArrayList<>();
            for (APIGatewayProxyRequestEvent request : refused) {
                APIGatewayProxyResponseEvent response = tapped.handleRequest(request, new TestLambdaContext());
                statuses.add(response.getStatusCode());
                assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
            }

            assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 400, 400, 400, 400, 415, 413, 400);
            assertThat(tap.calls("SendMessageBatch") + tap.calls("SendMessage")).as("calls to SQS").isZero();
            assertThat(sqs.depth(books) + sqs.depth(reviews)).isZero();
            APIGatewayProxyResponseEvent tooMany = tapped.handleRequest(refused.get(0), new TestLambdaContext());
            assertThat(body(tooMany).get("errors").get(0).get("field").asText()).isEqualTo("items");
            assertThat(body(tooMany).get("errors").get(0).get("detail").asText()).contains("1 to 100").contains("101");
            APIGatewayProxyResponseEvent keyed = tapped.handleRequest(refused.get(7), new TestLambdaContext());
            assertThat(body(keyed).get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
        }
    }

    /**
     * SQS refuses some entries of a call and takes the rest: an entry refused for good is "not queued", one refused for
     * now is sent again and ends queued, once; a 202 only for what SQS has.
     */
    @Test
    void entriesSqsRefusesAreAnsweredEachOnItsOwnWithA202OnlyForWhatItTook() throws Exception {
        try (SqsTap tap = new SqsTap(sqs.endpoint())) {
            tap.refuseForGood(body -> body.contains("Refused"));
            tap.refuseForNow(body -> body.contains("Throttled"), 2);
            IntFunction<String> item = i -> "{\"title\":\"" + (i % 5 == 1 ? "Refused " : i % 5 == 2 ? "Throttled " : "Book ") + i
                    + "\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001" + (i % 2 == 0 ? ",\"idempotencyKey\":\"k-" + i + "\"" : "") + "}";

            APIGatewayProxyResponseEvent response = send(handler(tap.endpoint()), "post-books-batch", batch(25, item));

            JsonNode results = body(response).get("results");
            assertThat(response.getStatusCode()).isEqualTo(207);
            assertThat(response.getHeaders()).containsEntry("Retry-After", "2");
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                JsonNode result = results.get(i);
                if (i % 5 == 1) {
                    assertThat(result.get("status").asInt()).as("item %d", i).isEqualTo(503);
                    assertThat(result.at("/problem/type").asText()).isEqualTo("urn:bookstore:problem:queue-unavailable");
                    assertThat(result.at("/problem/detail").asText()).contains("nothing was queued");
                    assertThat(result.has("commandId") || result.get("problem").has("commandId")).isFalse();
                } else {
                    assertThat(result.get("status").asInt()).as("item %d", i).isEqualTo(202);
                    accepted.add(result.get("commandId").asText());
                }
            }
            assertThat(body(response).get("accepted").asInt()).isEqualTo(20);
            assertThat(tap.batchSizes()).as("three calls, then the throttled entries again, twice").containsExactly(10, 10, 5, 5, 5);
            List<Message> messages = receiveAll(books);
            assertThat(messages.stream().map(m -> json(m.body()).get("commandId").asText()).toList())
                    .as("each queued command once, and nothing else").containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(logLine().get("error").asText()).contains("SQS refused the entry (InvalidMessageContents, sender's fault)");
            assertThat(logLine().get("refused").asText()).isEqualTo("{QUEUE_UNAVAILABLE=5}");
        }
    }

    /**
     * One call's answer is lost every time it is sent: each of its entries may be queued, and is answered so with its
     * command id; the other calls' entries are 202. A retry of the keyed items names the same commands.
     */
    @Test
    void aCallWhoseAnswerIsLostMakesEachOfItsEntriesOutcomeUnknownAndTheOthersAreAccepted() throws Exception {
        IntFunction<String> item = i -> withKey(i == 12 ? "{\"title\":\"Lost 12\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}" : book(i),
                "lost-" + i);
        String request = batch(25, item);
        JsonNode results;
        try (SqsTap tap = new SqsTap(sqs.endpoint())) {
            tap.loseAnswersOfCallsWith(body -> body.contains("Lost 12"));
            results = body(send(handler(tap.endpoint()), "post-books-batch", request)).get("results");
            assertThat(tap.calls("SendMessageBatch")).as("the lost call sent again within the budget").isGreaterThan(3);
        }

        for (int i = 0; i < 25; i++) {
            JsonNode result = results.get(i);
            if (i >= 10 && i < 20) {
                assertThat(result.get("status").asInt()).as("item %d", i).isEqualTo(503);
                JsonNode problem = result.get("problem");
                assertThat(problem.get("type").asText()).isEqualTo("urn:bookstore:problem:queue-outcome-unknown");
                assertThat(problem.get("detail").asText()).contains("may have been queued").contains("same idempotencyKey is always safe")
                        .contains("/commands/" + problem.get("commandId").asText());
                assertThat(problem.get("bookId").asText()).hasSize(36);
            } else {
                assertThat(result.get("status").asInt()).as("item %d", i).isEqualTo(202);
            }
        }
        List<String> mayBeQueued = new ArrayList<>();
        for (int i = 10; i < 20; i++) {
            mayBeQueued.add(results.get(i).at("/problem/commandId").asText());
        }
        assertThat(receiveAll(books).stream().map(m -> json(m.body()).get("commandId").asText()).distinct().toList())
                .as("SQS did store the lost call's entries").containsAll(mayBeQueued).hasSize(25);

        JsonNode retried = body(send(handler, "post-books-batch", request)).get("results");
        for (int i = 0; i < 25; i++) {
            String before = results.get(i).has("commandId") ? results.get(i).get("commandId").asText() : results.get(i).at("/problem/commandId").asText();
            assertThat(retried.get(i).get("status").asInt()).isEqualTo(202);
            assertThat(retried.get(i).get("commandId").asText()).as("item %d retried", i).isEqualTo(before);
        }
    }

    @Test
    void whenSqsCannotBeReachedEveryItemIsNotQueuedAndTheAnswerIsStill207() {
        int closedPort = 1;
        APIGatewayProxyResponseEvent response = send(handler("http://127.0.0.1:" + closedPort), "post-books-batch", batch(12, IngestBatchIT::book));

        JsonNode answer = body(response);
        assertThat(response.getStatusCode()).isEqualTo(207);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "2");
        assertThat(answer.get("accepted").asInt()).isZero();
        assertThat(answer.get("results")).hasSize(12).allSatisfy(result -> {
            assertThat(result.get("status").asInt()).isEqualTo(503);
            assertThat(result.at("/problem/type").asText()).isEqualTo("urn:bookstore:problem:queue-unavailable");
        });
        assertThat(logLine().get("level").asText()).isEqualTo("ERROR");
        assertThat(logLine().get("error").asText()).contains("SQS did not store the command").contains("Connection refused");
    }

    /** An item's key is the single route's Idempotency-Key: the same ids on either route, and a conflict is the item's 422. */
    @Test
    void anItemsKeyWorksAsTheSingleRoutesHeader() {
        String lefthand = "{\"title\":\"The Left Hand of Darkness\",\"author\":\"Ursula K. Le Guin\",\"publisher\":\"Ace Books\","
                + "\"year\":1969,\"isbn\":\"978-0-441-47812-5\"}";
        JsonNode single = body(handler.handleRequest(withHeader(event("post-books"), "Idempotency-Key", "order-7"), new TestLambdaContext()));
        String request = "{\"items\":[" + withKey(lefthand, "order-7") + "," + withKey(book(1), "order-8") + ","
                + withKey(book(2), "order-8") + "," + withKey(book(1), "order-8") + "]}";

        JsonNode first = body(send(handler, "post-books-batch", request)).get("results");
        JsonNode elsewhere = body(send(handler(sqs.endpoint()), "post-books-batch", request)).get("results");

        assertThat(first.get(0).get("commandId")).isEqualTo(single.get("commandId"));
        assertThat(first.get(0).get("bookId")).isEqualTo(single.get("bookId"));
        assertThat(first.get(2).get("status").asInt()).isEqualTo(422);
        assertThat(first.get(2).at("/problem/type").asText()).isEqualTo("urn:bookstore:problem:idempotency-key-reused");
        assertThat(first.get(3).get("commandId")).as("the same key and item again: the same command").isEqualTo(first.get(1).get("commandId"));
        for (int i : new int[] {0, 1, 3}) {
            assertThat(elsewhere.get(i).get("commandId")).as("item %d in another environment", i).isEqualTo(first.get(i).get("commandId"));
            assertThat(elsewhere.get(i).get("bookId")).isEqualTo(first.get(i).get("bookId"));
        }
        JsonNode changed = body(send(handler, "post-books-batch", "{\"items\":[" + withKey(book(9), "order-7") + "]}")).get("results");
        assertThat(changed.get(0).get("status").asInt()).as("a key this environment queued, with another book").isEqualTo(422);
    }

    @Test
    void aReviewsBatchGoesToTheReviewsQueueForTheBookInItsPath() {
        String bookId = "0b6c5e7e-8a3b-4a4f-9a51-0c0e1b8f1a10";
        APIGatewayProxyResponseEvent response = handler.handleRequest(reviewsOf(bookId,
                "{\"items\":[{\"reviewer\":\"Genly Ai\",\"rating\":5,\"text\":\"Cold, and warm.\"},{\"reviewer\":\"Estraven\",\"rating\":9}]}"),
                new TestLambdaContext());

        JsonNode results = body(response).get("results");
        assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(0).get("bookId").asText()).isEqualTo(bookId);
        String reviewId = results.get(0).get("reviewId").asText();
        assertThat(results.get(0).get("location").asText()).isEqualTo("/prod/books/" + bookId + "/reviews/" + reviewId);
        assertThat(fields(results.get(1))).containsExactly("rating");
        List<Message> queued = receiveAll(reviews);
        assertThat(queued).hasSize(1);
        assertThat(json(queued.get(0).body()).at("/payload/reviewId").asText()).isEqualTo(reviewId);
        assertThat(sqs.depth(books)).isZero();
    }

    /** One log line a request, counting its items and quoting none; metrics per item, as the single route counts its requests. */
    @Test
    void aBatchWritesOneLogLineWithCountsAndPerItemMetrics() {
        String items = "{\"items\":[{\"reviewer\":\"Jane Private\",\"rating\":5,\"text\":\"I live at 1 Elm St\"},"
                + "{\"reviewer\":\"Jane Private\",\"rating\":9},{\"reviewer\":\"Jane Private\",\"rating\":0},{\"reviewer\":\"John\",\"rating\":4}]}";
        handler.handleRequest(reviewsOf("0b6c5e7e-8a3b-4a4f-9a51-0c0e1b8f1a10", items), new TestLambdaContext());

        String logged = logs.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = logged.lines().map(IngestBatchIT::json).filter(l -> !l.has("ColdStart")).toList();
        assertThat(logged).doesNotContain("Jane").doesNotContain("Elm").doesNotContain("reviewer");
        assertThat(lines).hasSize(3);
        JsonNode line = lines.get(0);
        assertThat(line.get("message").asText()).isEqualTo("batch answered");
        assertThat(line.get("route").asText()).isEqualTo("POST /books/{bookId}/reviews/batch");
        assertThat(line.get("status").asInt()).isEqualTo(207);
        assertThat(line.get("items").asInt()).isEqualTo(4);
        assertThat(line.get("accepted").asInt()).isEqualTo(2);
        assertThat(line.get("refused").asText()).isEqualTo("{VALIDATION_FAILED=2}");
        assertThat(line.get("correlationId").asText()).isEqualTo("77375676-0c1d-4b79-853a-f982474efe18");
        assertThat(lines.get(1).get("Accepted").asInt()).isEqualTo(2);
        assertThat(lines.get(1).get("Route").asText()).isEqualTo("POST /books/{bookId}/reviews/batch");
        assertThat(lines.get(1).at("/_aws/CloudWatchMetrics/0/Dimensions/0")).extracting(JsonNode::asText).containsExactly("Service", "Route");
        assertThat(lines.get(2).get("Rejected").asInt()).isEqualTo(2);
        assertThat(lines.get(2).get("Reason").asText()).isEqualTo("VALIDATION_FAILED");
    }

    static String book(int i) {
        return "{\"title\":\"Book " + i + "\",\"author\":\"Author " + i + "\",\"publisher\":\"P\",\"year\":2001}";
    }

    static String review(int i) {
        return "{\"reviewer\":\"Reader " + i + "\",\"rating\":" + (1 + i % 5) + "}";
    }

    static String withKey(String item, String key) {
        ObjectNode json = (ObjectNode) json(item);
        return json.put("idempotencyKey", key).toString();
    }

    static String batch(int size, IntFunction<String> item) {
        ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < size; i++) {
            items.add(json(item.apply(i)));
        }
        return JSON.createObjectNode().set("items", items).toString();
    }

    private static APIGatewayProxyRequestEvent reviewsOf(String bookId, String body) {
        APIGatewayProxyRequestEvent request = event("post-reviews-batch", body);
        request.setPathParameters(Map.of("bookId", bookId));
        request.setPath("/books/" + bookId + "/reviews/batch");
        request.getRequestContext().setPath("/prod/books/" + bookId + "/reviews/batch");
        return request;
    }

    private static APIGatewayProxyResponseEvent send(ApiIngestHandler handler, String fixture, String body) {
        return handler.handleRequest(event(fixture, body), new TestLambdaContext("api-ingest", 512,
                System.currentTimeMillis() + 30_000, System.out, TRACE));
    }

    private static List<Integer> statuses(JsonNode results) {
        List<Integer> statuses = new ArrayList<>();
        results.forEach(result -> statuses.add(result.get("status").asInt()));
        return statuses;
    }

    private static List<String> fields(JsonNode result) {
        return result.at("/problem/errors").findValuesAsText("field");
    }

    private JsonNode logLine() {
        return logs.toString(StandardCharsets.UTF_8).lines().map(IngestBatchIT::json).filter(l -> l.has("level")).reduce((a, b) -> b).orElseThrow();
    }

    private static Map<String, JsonNode> queued(String queue) {
        Map<String, JsonNode> byCommand = new HashMap<>();
        receiveAll(queue).forEach(m -> byCommand.put(json(m.body()).get("commandId").asText(), json(m.body())));
        return byCommand;
    }

    /** Every message in the queue, each received once (they stay invisible for the test's length). */
    private static List<Message> receiveAll(String queue) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> some = sqs.client().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(300)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (some.isEmpty()) {
                return all;
            }
            all.addAll(some);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private ApiIngestHandler handler(String endpoint) {
        IngestConfig config = IngestConfig.from(new Settings(Map.of(IngestConfig.BOOKS_QUEUE_URL, books, IngestConfig.REVIEWS_QUEUE_URL, reviews,
                IngestConfig.SQS_ENDPOINT, endpoint, "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test")));
        PrintStream out = new PrintStream(logs, true, StandardCharsets.UTF_8);
        Clock clock = Clock.systemUTC();
        IngestApi api = new IngestApi(new CommandPublisher(CommandPublisher.client(config), config,
                new dev.bookstore.command.CommandCodec(clock)), new IdempotencyKeys(), clock);
        return new ApiIngestHandler(api, new dev.bookstore.telemetry.LogLine("api-ingest", out, clock),
                new dev.bookstore.telemetry.Metrics("api-ingest", out, clock));
    }
}
