package dev.bookstore.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.command.CommandIds;
import dev.bookstore.local.lambda.LocalFunction;
import dev.bookstore.local.lambda.ScheduleEventSource;
import dev.bookstore.local.sqs.LocalQueues;
import dev.bookstore.local.template.Dashboard;
import dev.bookstore.local.template.SamTemplate;
import dev.bookstore.telemetry.Metrics;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The runner in-process on free ports, driven over HTTP and the SQS API only, as a user would. */
class LocalStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static LocalStack stack;
    static Http http;
    static SqsClient sqs;
    /** The functions' JSON log lines and EMF metrics, as CloudWatch Logs would receive them. */
    static Path functionLog;

    @BeforeAll
    static void start() throws IOException {
        functionLog = Files.createTempFile("local-stack-functions", ".log");
        stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml")).withFunctionLogs(functionLog),
                new PrintStream(OutputStream.nullOutputStream()));
        http = new Http(stack.apiUrl());
        sqs = stack.queues().client();
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            assertThat(stack.contractViolations()).as("exchanges that broke openapi.yaml").isEmpty();
        } finally {
            stack.close();
            Files.deleteIfExists(functionLog);
        }
    }

    @Test
    void aBookCreatedIsVisibleThroughGet() {
        Http.Response accepted = http.post("/books", "{\"title\":\"Kindred\",\"author\":\"Octavia E. Butler\",\"publisher\":\"Doubleday\",\"year\":1979}");

        assertThat(accepted.status()).isEqualTo(202);
        String bookId = accepted.json().get("bookId").asText();
        assertThat(accepted.header("Location")).isEqualTo("/books/" + bookId);
        awaitApplied(accepted.json().get("commandId").asText());
        JsonNode book = http.get("/books/" + bookId).json();
        assertThat(book.get("title").asText()).isEqualTo("Kindred");
        assertThat(http.get("/books?author=Octavia%20E.%20Butler").json().get("items").get(0).get("id").asText()).isEqualTo(bookId);
    }

    @Test
    void aReviewSentRightAfterItsBookEndsApplied() {
        String bookId = http.post("/books", "{\"title\":\"Dawn\",\"author\":\"Octavia E. Butler\",\"publisher\":\"Warner\",\"year\":1987}")
                .json().get("bookId").asText();
        Http.Response review = http.post("/books/" + bookId + "/reviews", "{\"reviewer\":\"Lilith\",\"rating\":5}");

        assertThat(review.status()).isEqualTo(202);
        awaitApplied(review.json().get("commandId").asText());
        JsonNode book = http.get("/books/" + bookId).json();
        assertThat(book.get("reviewCount").asInt()).isEqualTo(1);
        assertThat(http.get("/books/" + bookId + "/reviews").json().get("items").get(0).get("reviewer").asText()).isEqualTo("Lilith");
    }

    /** Through the runner's HTTP server and queues: a change with If-Match, 304 on a current ETag, deletions final. */
    @Test
    void aBookIsChangedWithIfMatchAndDeletedForGood() {
        Http.Response created = http.post("/books", "{\"title\":\"Dawn\",\"author\":\"Octavia E. Butler\",\"publisher\":\"Warner\",\"year\":1987}");
        String bookId = created.json().get("bookId").asText();
        Http.Response reviewed = http.post("/books/" + bookId + "/reviews", "{\"reviewer\":\"Lilith\",\"rating\":4}");
        awaitApplied(created.json().get("commandId").asText());
        awaitApplied(reviewed.json().get("commandId").asText());
        String reviewId = reviewed.json().get("reviewId").asText();
        Http.Response read = http.get("/books/" + bookId);

        Http.Response patch = http.send("PATCH", "/books/" + bookId, "{\"title\":\"Dawn (Xenogenesis 1)\"}",
                "Content-Type", "application/merge-patch+json", "If-Match", read.header("ETag"));
        Http.Response stale = http.send("PATCH", "/books/" + bookId, "{\"year\":1988}", "Content-Type", "application/json",
                "If-Match", read.header("ETag"));
        awaitOutcome(patch.json().get("commandId").asText(), "APPLIED");
        awaitOutcome(stale.json().get("commandId").asText(), "REJECTED");
        Http.Response changed = http.get("/books/" + bookId);
        Http.Response notModified = http.send("GET", "/books/" + bookId, null, "If-None-Match", changed.header("ETag"));
        Http.Response withdrawn = http.send("DELETE", "/books/" + bookId + "/reviews/" + reviewId, null);
        awaitOutcome(withdrawn.json().get("commandId").asText(), "APPLIED");
        Http.Response reviewGone = http.get("/books/" + bookId + "/reviews/" + reviewId);
        Http.Response deleted = http.send("DELETE", "/books/" + bookId, null);
        awaitOutcome(deleted.json().get("commandId").asText(), "APPLIED");
        Http.Response late = http.send("PATCH", "/books/" + bookId, "{\"year\":1989}", "Content-Type", "application/json");

        assertThat(read.header("ETag")).isEqualTo("\"1-1-4.00\"");
        assertThat(patch.status()).isEqualTo(202);
        assertThat(patch.json().get("issuedAt").asText()).isNotBlank();
        assertThat(http.get("/commands/" + stale.json().get("commandId").asText()).json().get("reason").asText()).isEqualTo("VERSION_CONFLICT");
        assertThat(changed.json().get("title").asText()).isEqualTo("Dawn (Xenogenesis 1)");
        assertThat(changed.json().get("version").asInt()).isEqualTo(2);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(reviewGone.status()).isEqualTo(410);
        assertThat(http.get("/books/" + bookId).status()).isEqualTo(410);
        assertThat(http.get("/books/" + bookId + "/reviews").status()).isEqualTo(410);
        assertThat(http.get("/books?author=Octavia%20E.%20Butler").json().get("items").findValuesAsText("id")).doesNotContain(bookId);
        awaitOutcome(late.json().get("commandId").asText(), "REJECTED");
        assertThat(http.get("/commands/" + late.json().get("commandId").asText()).json().get("reason").asText()).isEqualTo("BOOK_DELETED");

        // The book's feed tells the same story, one event per change that altered it, in commit order (docs/events.md).
        JsonNode feed = http.get("/books/" + bookId + "/changes").json();
        assertThat(feed.get("items").findValuesAsText("type")).containsExactly("BookCreated", "ReviewCreated", "BookUpdated",
                "ReviewDeleted", "BookDeleted");
        assertThat(feed.get("items").findValuesAsText("commandId")).containsExactly(created.json().get("commandId").asText(),
                reviewed.json().get("commandId").asText(), patch.json().get("commandId").asText(), withdrawn.json().get("commandId").asText(),
                deleted.json().get("commandId").asText());
        assertThat(feed.get("items").get(2).get("data").get("title").asText()).isEqualTo("Dawn (Xenogenesis 1)");
        assertThat(http.get("/books/" + bookId + "/changes?after=" + feed.get("next").asText()).json().get("items")).isEmpty();
    }

    @Test
    void oneTraceIdFollowsARequestThroughTheQueueToTheWritersLogLine() throws IOException {
        String traceId = "1-" + String.format("%08x", System.currentTimeMillis() / 1000) + "-" + CommandIds.fresh().toString().replace("-", "").substring(0, 24);
        Http.Response accepted = http.post("/books", "{\"title\":\"Traced\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}",
                "X-Amzn-Trace-Id", "Root=" + traceId + ";Sampled=1");
        String commandId = accepted.json().get("commandId").asText();
        awaitApplied(commandId);

        JsonNode ingest = await().atMost(Duration.ofSeconds(5)).until(() -> logLine("command accepted", commandId), line -> line != null);
        JsonNode written = await().atMost(Duration.ofSeconds(5)).until(() -> logLine("message settled", commandId), line -> line != null);
        assertThat(ingest.path("traceId").asText()).isEqualTo(traceId);
        assertThat(written.path("traceId").asText()).as("the writer's line, from the message's AWSTraceHeader").isEqualTo(traceId);
        assertThat(written.path("correlationId").asText()).isEqualTo(ingest.path("correlationId").asText()).isNotEmpty();

        // A request that brings no trace starts one, and it too reaches the writer.
        String other = http.post("/books", "{\"title\":\"Untraced\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}")
                .json().get("commandId").asText();
        awaitApplied(other);
        String started = await().atMost(Duration.ofSeconds(5)).until(() -> logLine("command accepted", other), line -> line != null).path("traceId").asText();
        assertThat(started).matches("1-[0-9a-f]{8}-[0-9a-f]{24}").isNotEqualTo(traceId);
        assertThat(await().atMost(Duration.ofSeconds(5)).until(() -> logLine("message settled", other), line -> line != null).path("traceId").asText())
                .isEqualTo(started);
    }

    @Test
    void theDashboardDrawsOnlyMetricsTheFunctionsEmit() throws IOException {
        // One of each thing the dashboard draws: a command accepted and one refused, a book and a review applied, a read,
        // and a message each writer rejects (a body that is no command).
        String bookId = http.post("/books", "{\"title\":\"Drawn\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}").json().get("bookId").asText();
        assertThat(http.post("/books", "{\"title\":\"\"}").status()).isEqualTo(400);
        awaitApplied(http.post("/books/" + bookId + "/reviews", "{\"reviewer\":\"R\",\"rating\":4,\"text\":\"Fine\"}").json().get("commandId").asText());
        assertThat(http.get("/books/" + bookId).status()).isEqualTo(200);
        sqs.sendMessage(r -> r.queueUrl(stack.queueUrl("BooksQueue")).messageBody("no command"));
        sqs.sendMessage(r -> r.queueUrl(stack.queueUrl("ReviewsQueue")).messageBody("no command"));

        SamTemplate template = SamTemplate.read(RepositoryFiles.find("template.yaml"));
        String body = String.valueOf(((Map<?, ?>) template.properties("PipelineDashboard").get("DashboardBody")).get("Fn::Sub"))
                .replace("${ProxyConnectionBudget}", template.parameters().get("ProxyConnectionBudget"));
        Dashboard dashboard = Dashboard.read(body);
        List<Dashboard.Metric> own = dashboard.metrics().stream().filter(m -> m.namespace().equals(Metrics.NAMESPACE)).toList();
        assertThat(dashboard.unreadable()).isEmpty();
        assertThat(own).extracting(Dashboard.Metric::name).contains("Applied", "Rejected", "BatchLatency", "ColdStart", "Accepted", "EventsPublished", "LongestLag");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<Dashboard.Metric> emitted = emittedMetrics();
            assertThat(own).allSatisfy(drawn -> assertThat(emitted).as("%s %s %s", drawn.name(), drawn.dimensionNames(), drawn.dimensions())
                    .anySatisfy(line -> {
                        assertThat(line.name()).isEqualTo(drawn.name());
                        assertThat(line.dimensionNames()).isEqualTo(drawn.dimensionNames());
                        assertThat(line.dimensions()).containsAllEntriesOf(drawn.dimensions());
                    }));
        });
    }

    /** Every metric the functions wrote in the embedded metric format, as CloudWatch would extract it. */
    static List<Dashboard.Metric> emittedMetrics() throws IOException {
        List<Dashboard.Metric> metrics = new ArrayList<>();
        for (String text : Files.readAllLines(functionLog)) {
            if (!text.startsWith("{") || !text.contains("\"_aws\"")) {
                continue;
            }
            JsonNode line = JSON.readTree(text);
            for (JsonNode directive : line.at("/_aws/CloudWatchMetrics")) {
                for (JsonNode dimensionSet : directive.path("Dimensions")) {
                    Map<String, String> dimensions = new LinkedHashMap<>();
                    dimensionSet.forEach(name -> dimensions.put(name.asText(), line.path(name.asText()).asText()));
                    directive.path("Metrics").forEach(metric -> metrics.add(new Dashboard.Metric(directive.path("Namespace").asText(),
                            metric.path("Name").asText(), dimensions, new TreeSet<>(dimensions.keySet()), false)));
                }
            }
        }
        return metrics;
    }

    /** The function log line with this message and command id, or null. */
    static JsonNode logLine(String message, String commandId) throws IOException {
        for (String line : Files.readAllLines(functionLog)) {
            if (line.contains(commandId) && line.contains(message)) {
                JsonNode json = JSON.readTree(line);
                if (message.equals(json.path("message").asText()) && commandId.equals(json.path("commandId").asText())) {
                    return json;
                }
            }
        }
        return null;
    }

    @Test
    void anIdempotencyKeyRetryYieldsOneBook() {
        String author = "Key " + UUID.randomUUID();
        String body = "{\"title\":\"Once\",\"author\":\"" + author + "\",\"publisher\":\"P\",\"year\":2001}";

        Http.Response first = http.post("/books", body, "Idempotency-Key", "retry-" + author.hashCode());
        Http.Response retry = http.post("/books", body, "Idempotency-Key", "retry-" + author.hashCode());

        assertThat(retry.json().get("commandId")).isEqualTo(first.json().get("commandId"));
        assertThat(retry.json().get("bookId")).isEqualTo(first.json().get("bookId"));
        awaitApplied(first.json().get("commandId").asText());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> stack.queues().depth("BooksQueue") == 0);
        assertThat(http.get("/books?author=" + author.replace(" ", "%20")).json().get("items")).hasSize(1);
    }

    /**
     * A batch sent twice with a key per item, as a client retries one whose answer it lost: the same ids for every item,
     * and one book per item applied; the same for the reviews of one of them.
     */
    @Test
    void aBatchRetriedWithItsItemsKeysAppliesOneBookAndOneReviewPerItem() {
        String author = "Batch " + UUID.randomUUID();
        String key = author.replace(' ', '-');
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            items.append(i == 0 ? "" : ",").append("{\"title\":\"Batched ").append(i).append("\",\"author\":\"").append(author)
                    .append("\",\"publisher\":\"P\",\"year\":2001,\"idempotencyKey\":\"").append(key).append('-').append(i).append("\"}");
        }
        String batch = "{\"items\":[" + items + "]}";

        Http.Response first = http.post("/books/batch", batch);
        Http.Response retry = http.post("/books/batch", batch);

        assertThat(first.status()).isEqualTo(207);
        assertThat(retry.status()).isEqualTo(207);
        assertThat(first.json().get("accepted").asInt()).isEqualTo(30);
        for (int i = 0; i < 30; i++) {
            JsonNode a = first.json().get("results").get(i);
            JsonNode b = retry.json().get("results").get(i);
            assertThat(b.get("status").asInt()).isEqualTo(202);
            assertThat(b.get("commandId")).as("item %d", i).isEqualTo(a.get("commandId"));
            assertThat(b.get("bookId")).as("item %d", i).isEqualTo(a.get("bookId"));
            assertThat(a.get("location").asText()).isEqualTo("/books/" + a.get("bookId").asText());
        }
        String bookId = first.json().get("results").get(0).get("bookId").asText();
        String reviews = "{\"items\":[{\"reviewer\":\"R1\",\"rating\":5,\"idempotencyKey\":\"" + key + "-r1\"},"
                + "{\"reviewer\":\"R2\",\"rating\":3,\"idempotencyKey\":\"" + key + "-r2\"}]}";
        Http.Response reviewed = http.post("/books/" + bookId + "/reviews/batch", reviews);
        Http.Response reviewedAgain = http.post("/books/" + bookId + "/reviews/batch", reviews);
        assertThat(reviewedAgain.json().get("results").findValuesAsText("reviewId"))
                .isEqualTo(reviewed.json().get("results").findValuesAsText("reviewId")).hasSize(2);

        first.json().get("results").forEach(result -> awaitApplied(result.get("commandId").asText()));
        reviewed.json().get("results").forEach(result -> awaitApplied(result.get("commandId").asText()));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> stack.queues().depth("BooksQueue") + stack.queues().depth("ReviewsQueue") == 0);
        JsonNode listed = http.get("/books?limit=100&author=" + author.replace(" ", "%20")).json().get("items");
        assertThat(listed).hasSize(30);
        assertThat(listed.findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(first.json().get("results").findValuesAsText("bookId"));
        JsonNode book = http.get("/books/" + bookId).json();
        assertThat(book.get("reviewCount").asInt()).isEqualTo(2);
        assertThat(book.get("averageRating").asDouble()).isEqualTo(4.0);
    }

    /** As on API Gateway, /books/batch is its own resource: it is not a book id, whatever the method. */
    @Test
    void theBatchPathIsItsOwnResourceNotABookId() {
        Http.Response get = http.get("/books/batch");
        Http.Response patch = http.send("PATCH", "/books/batch", "{\"year\":2001}", "Content-Type", "application/json");
        Http.Response reviews = http.get("/books/" + UUID.randomUUID() + "/reviews/batch");

        assertThat(List.of(get, patch, reviews)).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("Allow")).isEqualTo("POST");
        });
    }

    @Test
    void aClientErrorLeavesTheQueuesUntouched() {
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.queues().depth("BooksQueue") + stack.queues().depth("ReviewsQueue") == 0);

        Http.Response invalid = http.post("/books", "{\"title\":\"\"}");
        Http.Response notJson = http.send("POST", "/books", "title=x", "Content-Type", "application/x-www-form-urlencoded");
        Http.Response badReview = http.post("/books/not-a-uuid/reviews", "{\"reviewer\":\"A\",\"rating\":3}");

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(notJson.status()).isEqualTo(415);
        assertThat(badReview.status()).isEqualTo(400);
        assertThat(stack.queues().depth("BooksQueue") + stack.queues().depth("ReviewsQueue")).isZero();
    }

    @Test
    void unknownPathsAndMethodsAreProblemsAsApiGatewayWouldAnswer() {
        Http.Response unknown = http.get("/authors");
        Http.Response wrongMethod = http.send("PUT", "/books/" + UUID.randomUUID(), null);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("type").asText()).isEqualTo("urn:bookstore:problem:not-found");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("DELETE, GET, PATCH");
    }

    @Test
    void aPoisonMessageEndsInItsDlqAfterMaxReceiveCountWhileOthersKeepFlowing() {
        String poison = "{\"commandId\":\"" + CommandIds.fresh() + "\",\"type\":\"CreateBook\",\"version\":9,\"payload\":{}}";
        sqs.sendMessage(r -> r.queueUrl(stack.queueUrl("BooksQueue")).messageBody(poison));

        Http.Response meanwhile = http.post("/books", "{\"title\":\"Flowing\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}");
        awaitApplied(meanwhile.json().get("commandId").asText());
        await().atMost(Duration.ofSeconds(40)).until(() -> stack.queues().depth("BooksDeadLetterQueue") == 1);

        String inDlq = sqs.receiveMessage(r -> r.queueUrl(stack.queueUrl("BooksDeadLetterQueue")).visibilityTimeout(0)).messages().get(0).body();
        assertThat(inDlq).isEqualTo(poison);
        assertThat(stack.queues().depth("BooksQueue")).isZero();
    }

    /** --fast-retries makes the template's 12-hour wait 24 s: the review backs off that long, then is rejected, not dead-lettered. */
    @Test
    void underFastRetriesAReviewForAMissingBookWaitsItsBackOffThenIsRejectedRatherThanDeadLettered() {
        long sent = System.nanoTime();
        Http.Response review = http.post("/books/" + UUID.randomUUID() + "/reviews", "{\"reviewer\":\"Nobody\",\"rating\":2}");

        String commandId = review.json().get("commandId").asText();
        JsonNode outcome = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/commands/" + commandId).json(), json -> !json.get("status").asText().equals("PENDING"));
        Duration waited = Duration.ofNanos(System.nanoTime() - sent);
        assertThat(outcome.get("status").asText()).isEqualTo("REJECTED");
        assertThat(outcome.get("reason").asText()).isEqualTo("BOOK_NOT_FOUND");
        assertThat(waited).as("its whole back-off, not four 2 s visibility timeouts").isGreaterThan(Duration.ofSeconds(20));
        assertThat(stack.queues().depth("ReviewsDeadLetterQueue")).isZero();
    }

    @Test
    void eachExecutionEnvironmentHoldsOneConnection() {
        for (int i = 0; i < 20; i++) {
            http.get("/books?limit=1");
        }
        int environments = stack.functions().values().stream().mapToInt(f -> f.environmentsCreated()).sum();

        assertThat(stack.database().functionConnections(false))
                .as("one pooled connection per environment that has touched the database, at most")
                .isLessThanOrEqualTo(environments);
    }

    @Test
    void eachFunctionConnectsAsTheDatabaseRoleOfItsDuty() throws Exception {
        assertThat(stack.functions().get("QueryApi").environment()).containsEntry("BOOKSTORE_DB_USER", "bookstore_reader");
        assertThat(stack.functions().get("BookWriter").environment()).containsEntry("BOOKSTORE_DB_USER", "bookstore_writer");
        http.get("/books?limit=1");

        // What the local proxy hands the read function: the reader role, which may not write.
        Properties reader = new Properties();
        reader.setProperty("user", "bookstore_reader");
        try (Connection c = DriverManager.getConnection(stack.database().proxyUrl(), reader); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("bookstore_reader");
            }
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM books"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
    }

    /**
     * The Retention function runs on its template schedule (rate(1 hour)); fired now, as its schedule fires it, it
     * connects as its own role and deletes what is older than the window.
     */
    @Test
    void theRetentionScheduleRunsTheFunctionAsItsRoleWithAScheduledEvent() throws Exception {
        assertThat(stack.schedules()).extracting(s -> s.function().spec().logicalId()).containsExactlyInAnyOrder("Retention", "EventPublisher");
        ScheduleEventSource hourly = stack.schedules().stream().filter(s -> s.function().spec().logicalId().equals("Retention")).findFirst().orElseThrow();
        assertThat(hourly.spec().period()).isEqualTo(Duration.ofHours(1));
        assertThat(hourly.function().environment()).containsEntry("BOOKSTORE_DB_USER", "bookstore_retention")
                .containsEntry("BOOKSTORE_IDEMPOTENCY_WINDOW_DAYS", "30");
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO command_outcomes (command_id, type, status, resource_id, recorded_at) VALUES ('" + old
                    + "', 'CreateBook', 'APPLIED', gen_random_uuid(), now() - interval '31 days'), ('" + recent
                    + "', 'CreateBook', 'APPLIED', gen_random_uuid(), now() - interval '29 days')");
        }

        LocalFunction.Invocation run = hourly.fire();

        assertThat(run.failed()).as(run.errorType() + ": " + run.errorMessage()).isFalse();
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT command_id FROM command_outcomes WHERE command_id IN ('" + old + "', '" + recent + "')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, UUID.class)).isEqualTo(recent);
            assertThat(rs.next()).isFalse();
        }
    }

    /** An alarm on the functions' own metrics (their EMF lines) watches a metric one of them emits, by the dimensions it has. */
    @Test
    void theAlarmsOnTheFunctionsOwnMetricsWatchWhatTheyEmit() {
        http.post("/books", "{\"title\":\"Alarmed\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}");
        SamTemplate template = SamTemplate.read(RepositoryFiles.find("template.yaml"));
        Map<String, Map<String, String>> watched = new LinkedHashMap<>();
        template.resources().forEach((id, resource) -> {
            if ("AWS::CloudWatch::Alarm".equals(template.type(id)) && Metrics.NAMESPACE.equals(template.properties(id).get("Namespace"))) {
                Map<String, String> dimensions = new LinkedHashMap<>();
                for (Object dimension : (List<?>) template.properties(id).get("Dimensions")) {
                    dimensions.put(String.valueOf(((Map<?, ?>) dimension).get("Name")), String.valueOf(((Map<?, ?>) dimension).get("Value")));
                }
                watched.put(id + " " + template.properties(id).get("MetricName"), dimensions);
            }
        });
        assertThat(watched).as("alarms on the functions' own metrics").isNotEmpty();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<Dashboard.Metric> emitted = emittedMetrics();
            watched.forEach((alarm, dimensions) -> assertThat(emitted).as(alarm + " " + dimensions).anySatisfy(line -> {
                assertThat(line.name()).isEqualTo(alarm.substring(alarm.indexOf(' ') + 1));
                assertThat(new TreeSet<>(line.dimensionNames())).isEqualTo(new TreeSet<>(dimensions.keySet()));
                assertThat(line.dimensions()).containsAllEntriesOf(dimensions);
            }));
        });
    }

    /**
     * Push: a change made over HTTP reaches ChangesFollowerQueue (the template's rule target) as EventBridge delivers to
     * a queue: the event envelope, its detail the change event as the feed shows it; and it is marked published.
     */
    @Test
    void aChangeReachesTheFollowerQueueAsTheBusDeliversIt() throws Exception {
        String bookId = http.post("/books", "{\"title\":\"Pushed\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}").json().get("bookId").asText();

        JsonNode event = awaitFollowed(detail -> detail.path("bookId").asText().equals(bookId));

        assertThat(event.get("source").asText()).isEqualTo("bookstore");
        assertThat(event.get("detail-type").asText()).isEqualTo("BookCreated");
        assertThat(event.get("version").asText()).isEqualTo("0");
        assertThat(event.get("account").asText()).isEqualTo(LocalQueues.ACCOUNT);
        JsonNode detail = event.get("detail");
        JsonNode feed = http.get("/books/" + bookId + "/changes").json().get("items").get(0);
        assertThat(detail).as("the bus carries the event the feed shows").isEqualTo(feed);
        assertThat(detail.at("/data/title").asText()).isEqualTo("Pushed");
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT published_at IS NOT NULL FROM change_events WHERE event_id = '" + detail.get("eventId").asText() + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).as("marked published").isTrue();
        }
    }

    /** The sweep (its schedule's empty batch) publishes an event no nudge announced, as it does for a lost one. */
    @Test
    void theSweepPublishesWhatNoNudgeAnnounced() throws Exception {
        ScheduleEventSource sweep = stack.schedules().stream().filter(s -> s.function().spec().logicalId().equals("EventPublisher"))
                .findFirst().orElseThrow();
        assertThat(sweep.spec().period()).isEqualTo(Duration.ofMinutes(1));
        UUID bookId = UUID.randomUUID();
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement()) {
            // As a writer appends it (ChangeEventMapper.appendEvents), with no nudge after.
            s.execute("WITH taken AS (UPDATE change_feed_position SET last_seq = last_seq + 1 RETURNING last_seq) "
                    + "INSERT INTO change_events (seq, event_id, type, book_id, version, command_id, data) SELECT last_seq, gen_random_uuid(), "
                    + "'BookCreated', '" + bookId + "', 1, gen_random_uuid(), '{\"id\":\"" + bookId + "\"}' FROM taken");
        }

        int sweepsBefore = sweepRuns().size();
        java.sql.Timestamp fired = single("SELECT clock_timestamp()", java.sql.Timestamp.class);
        LocalFunction.Invocation run = sweep.fire();
        java.sql.Timestamp returned = single("SELECT clock_timestamp()", java.sql.Timestamp.class);

        assertThat(run.failed()).as(run.errorType() + ": " + run.errorMessage()).isFalse();
        // The sweep's own run published it: a run started by anything else (a stray nudge) would leave the sweep
        // nothing to publish, or mark the event outside the sweep's invocation.
        List<JsonNode> sweeps = sweepRuns();
        assertThat(sweeps).hasSize(sweepsBefore + 1);
        assertThat(sweeps.get(sweeps.size() - 1).path("published").asLong()).isPositive();
        java.sql.Timestamp published = single("SELECT published_at FROM change_events WHERE book_id = '" + bookId + "'", java.sql.Timestamp.class);
        assertThat(published).isAfterOrEqualTo(fired).isBeforeOrEqualTo(returned);
        JsonNode event = awaitFollowed(detail -> detail.path("bookId").asText().equals(bookId.toString()));
        assertThat(event.at("/detail/type").asText()).isEqualTo("BookCreated");
    }

    /** The publisher's "publish run" log lines of runs the schedule started, oldest first. */
    private static List<JsonNode> sweepRuns() throws IOException {
        List<JsonNode> runs = new ArrayList<>();
        for (String line : Files.readAllLines(functionLog)) {
            if (line.contains("\"publish run\"")) {
                JsonNode json = JSON.readTree(line);
                if ("sweep".equals(json.path("trigger").asText())) {
                    runs.add(json);
                }
            }
        }
        return runs;
    }

    private static <T> T single(String sql, Class<T> type) throws java.sql.SQLException {
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getObject(1, type);
        }
    }

    /** Reads ChangesFollowerQueue until an event whose detail matches; the others are left for their own tests. */
    private static JsonNode awaitFollowed(java.util.function.Predicate<JsonNode> wanted) {
        String queue = stack.queueUrl("ChangesFollowerQueue");
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (var message : sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(0)).messages()) {
                JsonNode event = JSON.readTree(message.body());
                if (wanted.test(event.get("detail"))) {
                    found[0] = event;
                    sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(message.receiptHandle()));
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    static void awaitOutcome(String commandId, String expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/commands/" + commandId).json().get("status").asText(), status -> status.equals(expected));
    }

    static void awaitApplied(String commandId) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/commands/" + commandId).json().get("status").asText(), status -> status.equals("APPLIED"));
    }
}
