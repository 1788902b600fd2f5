package dev.bookstore.client;

import static dev.bookstore.client.ScriptedServer.drop;
import static dev.bookstore.client.ScriptedServer.json;
import static dev.bookstore.client.ScriptedServer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A batch sends again only what is not settled, each item under its first key, and answers each item in order. */
class BatchTest {

    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID COMMAND_1 = UUID.fromString("0190f5a2-7c1e-7d3a-9b41-2f6e8c0d1a12");
    private static final UUID BOOK_1 = UUID.fromString("2c4d6e8f-0a1b-5c3d-9e7f-6a5b4c3d2e1f");
    private static final List<NewBook> BOOKS = List.of(
            Fixtures.LE_GUIN,
            new NewBook("The Dispossessed", "Ursula K. Le Guin", "Harper & Row", 1974),
            new NewBook("", "Ursula K. Le Guin", "Ace Books", 1969));

    private ScriptedServer server;
    private BookstoreClient client;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedServer.start();
        client = BookstoreClient.builder().endpoint(server.uri()).retryPolicy(QUICK).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void onlyTheItemAnswered503IsSentAgainWithItsKeyAndTheResultsKeepTheirOrder() throws Exception {
        server.then(json(207, "{\"accepted\":1,\"results\":["
                        + queued(0, Fixtures.COMMAND, Fixtures.BOOK) + ","
                        + "{\"index\":1,\"status\":503,\"problem\":" + problemJson(503, Problem.QUEUE_UNAVAILABLE, "") + "},"
                        + "{\"index\":2,\"status\":400,\"problem\":" + problemJson(400, Problem.VALIDATION_FAILED,
                        ",\"errors\":[{\"field\":\"title\",\"in\":\"body\",\"detail\":\"must not be blank\"}]") + "}]}",
                "Retry-After", "1"))
                .then(json(207, "{\"accepted\":1,\"results\":[" + queued(0, COMMAND_1, BOOK_1) + "]}"));

        List<BatchItemResult> results = client.createBooks(BOOKS);

        var rounds = server.received();
        assertThat(rounds).hasSize(2);
        JsonNode first = JSON.readTree(rounds.get(0).body()).get("items");
        JsonNode second = JSON.readTree(rounds.get(1).body()).get("items");
        assertThat(first).hasSize(3);
        List<String> keys = List.of(first.get(0).get("idempotencyKey").asText(), first.get(1).get("idempotencyKey").asText(),
                first.get(2).get("idempotencyKey").asText());
        assertThat(keys).doesNotHaveDuplicates();
        assertThat(second).hasSize(1);
        assertThat(second.get(0)).isEqualTo(first.get(1));
        assertThat(rounds.get(0).header("Idempotency-Key")).isNull();
        assertThat(Duration.ofNanos(rounds.get(1).nanoTime() - rounds.get(0).nanoTime())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));

        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isInstanceOfSatisfying(BatchItemResult.Queued.class, queued -> {
            assertThat(queued.index()).isZero();
            assertThat(queued.accepted().commandId()).isEqualTo(Fixtures.COMMAND);
            assertThat(queued.idempotencyKey()).isEqualTo(keys.get(0));
        });
        assertThat(results.get(1)).isInstanceOfSatisfying(BatchItemResult.Queued.class, queued -> {
            assertThat(queued.index()).isEqualTo(1);
            assertThat(queued.accepted().commandId()).isEqualTo(COMMAND_1);
            assertThat(queued.accepted().bookId()).isEqualTo(BOOK_1);
            assertThat(queued.accepted().statusUrl()).isEqualTo("/commands/" + COMMAND_1);
            assertThat(queued.idempotencyKey()).isEqualTo(keys.get(1));
        });
        assertThat(results.get(2)).isInstanceOfSatisfying(BatchItemResult.Refused.class, refused -> {
            assertThat(refused.index()).isEqualTo(2);
            assertThat(refused.problem().errors()).extracting(Problem.FieldError::field).containsExactly("title");
            assertThat(refused.idempotencyKey()).isEqualTo(keys.get(2));
        });
    }

    @Test
    void anItemWhoseOutcomeStaysUnknownKeepsItsKeyAndCommand() {
        String unknownItem = "{\"index\":0,\"status\":503,\"problem\":" + problemJson(503, Problem.QUEUE_OUTCOME_UNKNOWN,
                "," + Fixtures.outcomeUnknownFields(Fixtures.COMMAND, Fixtures.BOOK)) + "}";
        server.otherwise(json(207, "{\"accepted\":0,\"results\":[" + unknownItem + "]}"));

        List<BatchItemResult> results = client.createBooks(List.of(Fixtures.LE_GUIN), List.of("order-9-1"));

        assertThat(server.received()).hasSize(QUICK.maxAttempts());
        assertThat(results).singleElement().isEqualTo(new BatchItemResult.OutcomeUnknown(0, "order-9-1", Fixtures.COMMAND,
                ((BatchItemResult.OutcomeUnknown) results.get(0)).problem()));
    }

    @Test
    void aLostAnswerSendsEveryItemAgainWithItsKey() throws Exception {
        server.then(drop()).then(json(207, "{\"accepted\":2,\"results\":[" + queued(0, Fixtures.COMMAND, Fixtures.BOOK) + ","
                + queued(1, COMMAND_1, BOOK_1) + "]}"));

        List<BatchItemResult> results = client.createBooks(BOOKS.subList(0, 2));

        var rounds = server.received();
        assertThat(rounds).hasSize(2);
        assertThat(JSON.readTree(rounds.get(1).body())).isEqualTo(JSON.readTree(rounds.get(0).body()));
        assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(BatchItemResult.Queued.class));
    }

    @Test
    void aBatchRefusedAsAWholeIsAProblem() {
        server.then(problem(400, Problem.VALIDATION_FAILED, ""));

        ProblemException refused = catchThrowableOfType(ProblemException.class, () -> client.createBooks(BOOKS));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(server.received()).hasSize(1);
    }

    private static String queued(int index, UUID command, UUID book) {
        return "{\"index\":" + index + ",\"status\":202,\"commandId\":\"" + command + "\",\"bookId\":\"" + book
                + "\",\"issuedAt\":\"2026-12-01T10:00:00.123456Z\",\"location\":\"/books/" + book
                + "\",\"statusUrl\":\"/commands/" + command + "\"}";
    }

    private static String problemJson(int status, String type, String more) {
        return "{\"type\":\"" + type + "\",\"title\":\"t\",\"status\":" + status + ",\"detail\":\"scripted\"" + more + "}";
    }
}
