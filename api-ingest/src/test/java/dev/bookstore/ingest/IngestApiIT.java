package dev.bookstore.ingest;

import static dev.bookstore.ingest.Fixtures.body;
import static dev.bookstore.ingest.Fixtures.event;
import static dev.bookstore.ingest.Fixtures.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.config.Settings;
import dev.bookstore.ingest.handler.ApiIngestHandler;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The handler against ElasticMQ: what really lands in the queue. */
class IngestApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        handler = handler(environment(sqs.endpoint()));
    }

    @Test
    void aBookIsQueuedWithTheDocumentedEnvelopeAndAttributes() throws Exception {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event("post-books"), new TestLambdaContext());

        JsonNode accepted = body(response);
        String bookId = accepted.get("bookId").asText();
        String commandId = accepted.get("commandId").asText();
        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(accepted.get("status").asText()).isEqualTo("PENDING");
        assertThat(response.getHeaders()).containsEntry("Location", "/prod/books/" + bookId)
                .containsEntry("Link", "</prod/commands/" + commandId + ">; rel=\"monitor\"")
                .containsEntry("Content-Type", "application/json");

        Message message = receiveOne(books);
        JsonNode envelope = JSON.readTree(message.body());
        assertThat(envelope.get("commandId").asText()).isEqualTo(commandId);
        assertThat(envelope.get("type").asText()).isEqualTo("CreateBook");
        assertThat(envelope.get("version").asInt()).isEqualTo(1);
        assertThat(envelope.get("correlationId").asText()).isEqualTo("77375676-0c1d-4b79-853a-f982474efe18");
        assertThat(envelope.get("issuedAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(envelope.has("idempotencyKey")).isFalse();
        assertThat(envelope.get("payload")).isEqualTo(JSON.readTree("{\"bookId\":\"" + bookId + "\",\"title\":\"The Left Hand of Darkness\","
                + "\"author\":\"Ursula K. Le Guin\",\"publisher\":\"Ace Books\",\"year\":1969,\"isbn\":\"9780441478125\"}"));
        assertThat(message.messageAttributes().get("type").stringValue()).isEqualTo("CreateBook");
        assertThat(message.messageAttributes().get("version").dataType()).isEqualTo("Number");
        assertThat(message.messageAttributes().get("version").stringValue()).isEqualTo("1");
        assertThat(message.messageAttributes().get("correlationId").stringValue()).isEqualTo("77375676-0c1d-4b79-853a-f982474efe18");
        assertThat(sqs.depth(reviews)).isZero();
    }

    /** SnapStart's hooks: priming queues nothing and opens no socket; after a restore the handler takes requests as ever. */
    @Test
    void primingSendsNothingAndOpensNoSocket() {
        ApiIngestHandler fresh = new ApiIngestHandler(environment(sqs.endpoint()));
        long socketsBefore = dev.bookstore.testkit.OpenSockets.count();

        fresh.priming().beforeCheckpoint(null);

        assertThat(dev.bookstore.testkit.OpenSockets.count()).as("sockets after beforeCheckpoint").isLessThanOrEqualTo(socketsBefore);
        assertThat(sqs.depth(books) + sqs.depth(reviews)).isZero();
        fresh.priming().afterRestore(null);
        assertThat(fresh.handleRequest(event("post-books"), new TestLambdaContext()).getStatusCode()).isEqualTo(202);
    }

    @Test
    void aBookChangeGoesToTheBooksQueueWithItsIfMatchAndAReviewChangeToTheReviewsQueue() throws Exception {
        APIGatewayProxyResponseEvent patch = handler.handleRequest(Fixtures.withHeader(event("patch-book"), "If-Match", "\"3-2-4.50\""),
                new TestLambdaContext());
        JsonNode patchEnvelope = JSON.readTree(receiveOne(books).body());
        APIGatewayProxyResponseEvent withdrawal = handler.handleRequest(event("delete-review"), new TestLambdaContext());
        JsonNode withdrawalEnvelope = JSON.readTree(receiveOne(reviews).body());

        assertThat(patch.getStatusCode()).isEqualTo(202);
        assertThat(patch.getHeaders()).doesNotContainKey("Location");
        assertThat(body(patch).get("issuedAt").asText()).isEqualTo(patchEnvelope.get("issuedAt").asText());
        assertThat(patchEnvelope.get("type").asText()).isEqualTo("UpdateBook");
        assertThat(patchEnvelope.get("payload")).isEqualTo(JSON.readTree("{\"bookId\":\"0b6c5e7e-8a3b-4a4f-9a51-0c0e1b8f1a10\","
                + "\"changes\":{\"title\":\"The Left Hand of Darkness (Ace, 1969)\",\"isbn\":null},\"expectedVersion\":3}"));
        assertThat(body(withdrawal).get("reviewId").asText()).isEqualTo("5d2f7c1a-3e4b-4c6d-8e9f-0a1b2c3d4e5f");
        assertThat(withdrawalEnvelope.get("type").asText()).isEqualTo("DeleteReview");
        assertThat(withdrawalEnvelope.get("payload").has("expectedVersion")).isFalse();
    }

    @Test
    void aWeakOrListedIfMatchOrABodyOnADeleteIsRefusedAndNothingIsQueued() {
        APIGatewayProxyResponseEvent weak = handler.handleRequest(Fixtures.withHeader(event("patch-book"), "If-Match", "W/\"3\""),
                new TestLambdaContext());
        APIGatewayProxyResponseEvent listed = handler.handleRequest(Fixtures.withHeader(event("delete-book"), "If-Match", "\"3\", \"4\""),
                new TestLambdaContext());
        APIGatewayProxyResponseEvent withBody = handler.handleRequest(event("delete-book", "{\"why\":\"typo\"}"), new TestLambdaContext());
        APIGatewayProxyResponseEvent onCreate = handler.handleRequest(Fixtures.withHeader(event("post-books"), "If-Match", "\"1\""),
                new TestLambdaContext());

        assertThat(List.of(weak, listed, withBody, onCreate)).allSatisfy(r -> assertThat(r.getStatusCode()).isEqualTo(400));
        assertThat(body(weak).get("errors").findValuesAsText("field")).containsExactly("If-Match");
        assertThat(body(onCreate).get("errors").findValuesAsText("field")).containsExactly("If-Match");
        assertThat(sqs.depth(books) + sqs.depth(reviews)).isZero();
    }

    @Test
    void aReviewGoesToTheReviewsQueue() throws Exception {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event("post-review"), new TestLambdaContext());

        JsonNode accepted = body(response);
        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(accepted.get("bookId").asText()).isEqualTo("0b6c5e7e-8a3b-4a4f-9a51-0c0e1b8f1a10");
        JsonNode envelope = JSON.readTree(receiveOne(reviews).body());
        assertThat(envelope.get("type").asText()).isEqualTo("CreateReview");
        assertThat(envelope.at("/payload/reviewId").asText()).isEqualTo(accepted.get("reviewId").asText());
        assertThat(envelope.at("/payload/rating").asInt()).isEqualTo(5);
        assertThat(envelope.at("/payload/text").asText()).isEqualTo("Cold, and warm.");
    }

    @Test
    void theOriginalSamplesRoutesQueueTheSameCommands() throws Exception {
        APIGatewayProxyResponseEvent book = handler.handleRequest(event("put-book"), new TestLambdaContext());
        APIGatewayProxyResponseEvent review = handler.handleRequest(event("put-review"), new TestLambdaContext());

        assertThat(book.getStatusCode()).isEqualTo(202);
        assertThat(review.getStatusCode()).isEqualTo(202);
        assertThat(JSON.readTree(receiveOne(books).body()).at("/payload/title").asText()).isEqualTo("Kindred");
        JsonNode reviewEnvelope = JSON.readTree(receiveOne(reviews).body());
        assertThat(reviewEnvelope.at("/payload/rating").asInt()).isEqualTo(4);
        assertThat(reviewEnvelope.at("/payload/text").asText()).isEqualTo("Unsettling.");
    }

    @Test
    void aRetryWithTheSameKeyAndBodyYieldsTheSameIdsEvenInAnotherEnvironment() throws Exception {
        JsonNode first = body(handler.handleRequest(keyed("post-books", "order-7"), new TestLambdaContext()));
        JsonNode again = body(handler.handleRequest(keyed("post-books", "order-7"), new TestLambdaContext()));
        JsonNode elsewhere = body(handler(environment(sqs.endpoint())).handleRequest(keyed("post-books", "order-7"), new TestLambdaContext()));

        // The same ids; issuedAt is each request's own (the copy a writer applies first gives the command its order key).
        assertThat(withoutIssuedAt(again)).isEqualTo(withoutIssuedAt(first));
        assertThat(withoutIssuedAt(elsewhere)).isEqualTo(withoutIssuedAt(first));
        assertThat(List.of(first, again, elsewhere)).allSatisfy(answer -> assertThat(answer.get("issuedAt").isTextual()).isTrue());
        // Each retry is queued again, as the same command: the writers apply a command id once.
        List<Message> queued = sqs.client().receiveMessage(r -> r.queueUrl(books).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertThat(queued).hasSize(3).allSatisfy(message -> {
            JsonNode envelope = JSON.readTree(message.body());
            assertThat(envelope.get("commandId")).isEqualTo(first.get("commandId"));
            assertThat(envelope.get("idempotencyKey").asText()).isEqualTo("order-7");
        });
    }

    private static JsonNode withoutIssuedAt(JsonNode answer) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = answer.deepCopy();
        copy.remove("issuedAt");
        return copy;
    }

    @Test
    void aKeyReusedWithAnotherBodyIs422WhereItWasSeenAndNeverASecondResource() throws Exception {
        JsonNode first = body(handler.handleRequest(keyed("post-books", "order-8"), new TestLambdaContext()));
        sqs.client().purgeQueue(r -> r.queueUrl(books));

        APIGatewayProxyRequestEvent changed = keyed("post-books", "order-8")
                .withBody("{\"title\":\"Another\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2000}");
        APIGatewayProxyResponseEvent here = handler.handleRequest(changed, new TestLambdaContext());
        APIGatewayProxyResponseEvent elsewhere = handler(environment(sqs.endpoint())).handleRequest(changed, new TestLambdaContext());

        assertThat(here.getStatusCode()).isEqualTo(422);
        assertThat(body(here).get("type").asText()).isEqualTo("urn:bookstore:problem:idempotency-key-reused");
        // Another environment cannot know; it names the same book, which the writer then refuses to create twice.
        assertThat(elsewhere.getStatusCode()).isEqualTo(202);
        assertThat(body(elsewhere).get("bookId")).isEqualTo(first.get("bookId"));
        assertThat(body(elsewhere).get("commandId")).isNotEqualTo(first.get("commandId"));
        assertThat(sqs.depth(books)).isEqualTo(1);
    }

    @Test
    void theSameKeyFromAnotherCallerIsAnotherRequest() {
        APIGatewayProxyRequestEvent mine = keyed("post-books", "shared-key");
        APIGatewayProxyRequestEvent theirs = keyed("post-books", "shared-key");
        theirs.getRequestContext().getIdentity().setUserArn("arn:aws:iam::123456789012:user/someone-else");

        JsonNode a = body(handler.handleRequest(mine, new TestLambdaContext()));
        JsonNode b = body(handler.handleRequest(theirs, new TestLambdaContext()));

        assertThat(a.get("bookId")).isNotEqualTo(b.get("bookId"));
    }

    @Test
    void everyRefusedRequestLeavesTheQueuesEmpty() {
        List<APIGatewayProxyRequestEvent> refused = List.of(
                event("post-books", "{\"title\":1}"),
                event("post-books", "not json"),
                withHeader(event("post-books"), "Content-Type", "text/plain"),
                withHeader(event("post-books"), "Idempotency-Key", "bad key"),
                event("post-review", "{\"reviewer\":\"A\",\"rating\":9}"),
                event("put-review", "{\"book_id\":\"nope\",\"reviewer\":\"A\",\"rate\":3}"),
                event("post-books", "{\"title\":\"" + "x".repeat(70_000) + "\"}"));

        for (APIGatewayProxyRequestEvent request : refused) {
            int status = handler.handleRequest(request, new TestLambdaContext()).getStatusCode();
            assertThat(status).isBetween(400, 499);
            assertThat(sqs.depth(books) + sqs.depth(reviews)).isZero();
        }
    }

    /**
     * U+FFFF (and U+FFFE) are no characters, and SQS refuses a message holding one (ElasticMQ refuses the whole call):
     * refused by the rules, the client gets a 400 naming the field, not a 503 telling it to retry what can never pass.
     */
    @Test
    void aNoncharacterSqsCannotCarryIsA400NamingItsField() {
        APIGatewayProxyResponseEvent book = handler.handleRequest(event("post-books",
                "{\"title\":\"Book \uFFFF\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}"), new TestLambdaContext());
        APIGatewayProxyResponseEvent review = handler.handleRequest(event("post-review",
                "{\"reviewer\":\"R\",\"rating\":4,\"text\":\"\uFFFE\"}"), new TestLambdaContext());

        assertThat(book.getStatusCode()).isEqualTo(400);
        assertThat(body(book).get("errors").findValuesAsText("field")).containsExactly("title");
        assertThat(review.getStatusCode()).isEqualTo(400);
        assertThat(body(review).get("errors").findValuesAsText("field")).containsExactly("text");
        assertThat(sqs.depth(books) + sqs.depth(reviews)).isZero();
    }

    @Test
    void whenSqsIsUnreachableTheAnswerIs503NothingQueuedWithRetryAfter() {
        int closedPort = 1;
        ApiIngestHandler cutOff = handler(environment("http://127.0.0.1:" + closedPort));

        APIGatewayProxyResponseEvent response = cutOff.handleRequest(event("post-books"), new TestLambdaContext());

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "2").containsEntry("Content-Type", "application/problem+json");
        assertThat(body(response).get("type").asText()).isEqualTo("urn:bookstore:problem:queue-unavailable");
        assertThat(body(response).get("detail").asText()).contains("nothing was queued");
        assertThat(body(response).has("commandId")).isFalse();
        assertThat(json(logs.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("\"level\"")).findFirst().orElseThrow())
                .path("error").asText())
                .as("the operator is told why").contains("SQS did not store the command").contains("Connection refused");
    }

    @Test
    void anErrorAnsweredBySqsIsADefiniteRefusalWithoutRetries() {
        Map<String, String> environment = new java.util.HashMap<>(environment(sqs.endpoint()));
        environment.put(IngestConfig.BOOKS_QUEUE_URL, books.replace("books-commands", "no-such-queue"));
        long started = System.nanoTime();

        APIGatewayProxyResponseEvent response = handler(environment).handleRequest(event("post-books"), new TestLambdaContext());

        assertThat(body(response).get("type").asText()).isEqualTo("urn:bookstore:problem:queue-unavailable");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("no retry can create a queue")
                .isLessThan(CommandPublisher.BUDGET.dividedBy(2));
    }

    /** SQS took the request and its answer was lost: the command may be on the queue, and the client is told which one. */
    @Test
    void whenSqsNeverAnswersThe503SaysTheCommandMayBeQueuedAndNamesIt() throws Exception {
        try (BlackHole silent = new BlackHole()) {
            APIGatewayProxyResponseEvent response = handler(environment(silent.endpoint()))
                    .handleRequest(event("post-books"), new TestLambdaContext());
            JsonNode problem = body(response);
            String commandId = problem.get("commandId").asText();

            assertThat(response.getStatusCode()).isEqualTo(503);
            assertThat(problem.get("type").asText()).isEqualTo("urn:bookstore:problem:queue-outcome-unknown");
            assertThat(problem.get("detail").asText()).contains("may have been queued").contains("/commands/" + commandId)
                    .doesNotContain("nothing was queued");
            assertThat(problem.get("bookId").asText()).hasSize(36);
            assertThat(response.getHeaders()).containsEntry("Retry-After", "2")
                    .containsEntry("Link", "</prod/commands/" + commandId + ">; rel=\"monitor\"");
            assertThat(silent.requests.get()).as("attempts within the budget, each with the same envelope").isGreaterThan(1);
            assertThat(logs.toString(StandardCharsets.UTF_8)).contains(commandId).contains("QUEUE_OUTCOME_UNKNOWN")
                    .contains("SQS may have stored the command");
        }
    }

    @Test
    void oneLostAnswerMakesTheOutcomeUnknownEvenWhenTheLaterAttemptsAreRefused() throws Exception {
        BlackHole silent = new BlackHole();
        ApiIngestHandler ingest = handler(environment(silent.endpoint()));
        Thread closer = new Thread(() -> {
            await().atMost(java.time.Duration.ofSeconds(5)).until(() -> silent.requests.get() == 1);
            try {
                Thread.sleep(300);
                silent.close(); // the first attempt's connection drops; every later one is refused
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        closer.start();

        APIGatewayProxyResponseEvent response = ingest.handleRequest(event("post-books"), new TestLambdaContext());
        closer.join();

        assertThat(body(response).get("type").asText()).isEqualTo("urn:bookstore:problem:queue-outcome-unknown");
        assertThat(silent.requests.get()).isEqualTo(1);
    }

    /** The client's way out of an unknown outcome: the same request with the same key is the same command. */
    @Test
    void aRetryWithTheSameKeyAfterAnUnknownOutcomeIsTheSameCommand() throws Exception {
        String commandId;
        try (BlackHole silent = new BlackHole()) {
            APIGatewayProxyResponseEvent unknown = handler(environment(silent.endpoint()))
                    .handleRequest(keyed("post-books", "lost-answer"), new TestLambdaContext());
            assertThat(body(unknown).get("detail").asText()).contains("same Idempotency-Key is always safe");
            commandId = body(unknown).get("commandId").asText();
        }

        APIGatewayProxyResponseEvent retried = handler.handleRequest(keyed("post-books", "lost-answer"), new TestLambdaContext());

        assertThat(retried.getStatusCode()).isEqualTo(202);
        assertThat(body(retried).get("commandId").asText()).isEqualTo(commandId);
    }

    @Test
    void eachRequestWritesOneLogLineAndOneMetricLine() throws Exception {
        String rejectedBody = "{\"title\":\"secret-ish " + "y".repeat(200) + "\"}";
        handler.handleRequest(event("post-books"), new TestLambdaContext());
        handler.handleRequest(event("post-books", rejectedBody), new TestLambdaContext());

        List<JsonNode> all = logs.toString(StandardCharsets.UTF_8).lines().map(this::json).toList();
        // The environment's first request also counts its cold start, once, before its own lines.
        assertThat(all.get(0).get("ColdStart").asInt()).isEqualTo(1);
        assertThat(all).filteredOn(line -> line.has("ColdStart")).hasSize(1);
        List<JsonNode> lines = all.subList(1, all.size());
        JsonNode accepted = lines.get(0);
        JsonNode rejected = lines.get(2);
        assertThat(lines).hasSize(4);
        assertThat(accepted.get("route").asText()).isEqualTo("POST /books");
        assertThat(accepted.get("status").asInt()).isEqualTo(202);
        assertThat(accepted.has("commandId")).isTrue();
        assertThat(accepted.get("correlationId").asText()).isEqualTo("77375676-0c1d-4b79-853a-f982474efe18");
        assertThat(accepted.get("latencyMs").isNumber()).isTrue();
        assertThat(lines.get(1).at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText()).isEqualTo("Accepted");
        assertThat(rejected.get("problem").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(rejected.get("bodyBytes").asInt()).isEqualTo(rejectedBody.length());
        assertThat(rejected.get("contentType").asText()).isEqualTo("application/json");
        assertThat(lines.get(3).get("Reason").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(lines.get(3).get("Rejected").asInt()).isEqualTo(1);
    }

    @Test
    void noLogLineCarriesAnyOfABodysText() {
        String review = "{\"reviewer\":\"Jane Private\",\"rating\":9,\"text\":\"I live at 1 Elm St\"}";
        handler.handleRequest(event("post-review", review), new TestLambdaContext());
        handler.handleRequest(withHeader(event("post-review", review), "Content-Type", "text/plain"), new TestLambdaContext());
        handler.handleRequest(event("post-review", "Jane Private, 1 Elm St"), new TestLambdaContext());
        handler.handleRequest(event("post-review", review.replace("9", "5")), new TestLambdaContext());

        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged.lines()).hasSize(9); // a log line and a metric line per request, and the cold start
        assertThat(logged).doesNotContain("Jane").doesNotContain("Private").doesNotContain("Elm").doesNotContain("reviewer");
    }

    private JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private ApiIngestHandler handler(Map<String, String> environment) {
        IngestConfig config = IngestConfig.from(new Settings(environment));
        PrintStream out = new PrintStream(logs, true, StandardCharsets.UTF_8);
        Clock clock = Clock.systemUTC();
        IngestApi api = new IngestApi(new CommandPublisher(CommandPublisher.client(config), config,
                new dev.bookstore.command.CommandCodec(clock)), new IdempotencyKeys(), clock);
        return new ApiIngestHandler(api, new dev.bookstore.telemetry.LogLine("api-ingest", out, clock),
                new dev.bookstore.telemetry.Metrics("api-ingest", out, clock));
    }

    static Map<String, String> environment(String endpoint) {
        return Map.of(IngestConfig.BOOKS_QUEUE_URL, books, IngestConfig.REVIEWS_QUEUE_URL, reviews,
                IngestConfig.SQS_ENDPOINT, endpoint, "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
    }

    private static APIGatewayProxyRequestEvent keyed(String fixture, String key) {
        return withHeader(event(fixture), "Idempotency-Key", key);
    }

    private static Message receiveOne(String queue) {
        List<Message> messages = sqs.client().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }
}
