package dev.bookstore.client;

import static dev.bookstore.client.ScriptedServer.drop;
import static dev.bookstore.client.ScriptedServer.json;
import static dev.bookstore.client.ScriptedServer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes go out again on what may pass, always under the key of their logical call, and end in the exception that
 * says what is known of them; reads go out again too. Back-off is a few milliseconds here, so a wait of a second or
 * more can only be the server's Retry-After.
 */
class RetryTest {

    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20));
    private static final UUID OTHER_BOOK = UUID.fromString("2c4d6e8f-0a1b-5c3d-9e7f-6a5b4c3d2e1f");

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
    void queueUnavailableIsSentAgainUnderTheSameKeyAfterRetryAfter() {
        server.then(problem(503, Problem.QUEUE_UNAVAILABLE, "", "Retry-After", "1")).then(Fixtures.bookAccepted());

        Accepted accepted = client.createBook(Fixtures.LE_GUIN);

        assertThat(accepted).isEqualTo(new Accepted(Fixtures.COMMAND, Fixtures.BOOK, null,
                java.time.Instant.parse("2026-12-01T10:00:00.123456Z"), "/books/" + Fixtures.BOOK,
                "/commands/" + Fixtures.COMMAND, accepted.idempotencyKey()));
        var attempts = server.received();
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).header("Idempotency-Key")).isEqualTo(attempts.get(0).header("Idempotency-Key"))
                .isEqualTo(accepted.idempotencyKey());
        assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
        assertThat(Duration.ofNanos(attempts.get(1).nanoTime() - attempts.get(0).nanoTime())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aLostAnswerIsSentAgainUnderTheSameKey() {
        server.then(drop()).then(Fixtures.bookAccepted());

        Accepted accepted = client.createBook(Fixtures.LE_GUIN);

        var attempts = server.received();
        assertThat(attempts).hasSize(2);
        assertThat(attempts).extracting(attempt -> attempt.header("Idempotency-Key")).containsOnly(accepted.idempotencyKey());
    }

    @Test
    void anInvalidRequestIsNotSentAgainAndItsProblemIsRead() {
        server.then(problem(400, Problem.VALIDATION_FAILED, "\"errors\":[{\"field\":\"title\",\"in\":\"body\",\"detail\":\"must not be blank\"},"
                + "{\"field\":\"year\",\"in\":\"body\",\"detail\":\"must be at least 1450\"}]"));

        ProblemException refused = catchThrowableOfType(ProblemException.class, () -> client.createBook(Fixtures.LE_GUIN));

        assertThat(server.received()).hasSize(1);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.problem().type()).isEqualTo(Problem.VALIDATION_FAILED);
        assertThat(refused.problem().errors()).containsExactly(
                new Problem.FieldError("title", "body", "must not be blank"),
                new Problem.FieldError("year", "body", "must be at least 1450"));
    }

    @Test
    void anOutcomeUnknownOnEveryAttemptEndsWithTheKeyAndTheCommandToAwait() {
        server.otherwise(problem(503, Problem.QUEUE_OUTCOME_UNKNOWN, Fixtures.outcomeUnknownFields(Fixtures.COMMAND, Fixtures.BOOK)));

        OutcomeUnknownException unknown = catchThrowableOfType(OutcomeUnknownException.class, () -> client.createBook(Fixtures.LE_GUIN));

        var attempts = server.received();
        assertThat(attempts).hasSize(QUICK.maxAttempts());
        assertThat(unknown.attempts()).isEqualTo(QUICK.maxAttempts());
        assertThat(attempts).extracting(attempt -> attempt.header("Idempotency-Key")).containsOnly(unknown.idempotencyKey());
        assertThat(unknown.commandId()).contains(Fixtures.COMMAND);
        assertThat(unknown.getMessage()).contains(unknown.idempotencyKey(), Fixtures.COMMAND.toString());
    }

    @Test
    void anUnknownOutcomeStaysUnknownWhenLaterAttemptsAreSurelyNotQueued() {
        server.then(drop()).otherwise(problem(503, Problem.QUEUE_UNAVAILABLE, ""));

        OutcomeUnknownException unknown = catchThrowableOfType(OutcomeUnknownException.class, () -> client.createBook(Fixtures.LE_GUIN));

        assertThat(server.received()).hasSize(QUICK.maxAttempts());
        assertThat(unknown.commandId()).isEmpty();
    }

    @Test
    void onlyRefusalsThatQueuedNothingEndAsServiceUnavailable() {
        server.then(json(429, "{\"message\":\"Too Many Requests\"}")).otherwise(problem(503, Problem.QUEUE_UNAVAILABLE, ""));

        ServiceUnavailableException unavailable = catchThrowableOfType(ServiceUnavailableException.class,
                () -> client.createBook(Fixtures.LE_GUIN));

        assertThat(server.received()).hasSize(QUICK.maxAttempts());
        assertThat(unavailable.lastProblem()).hasValueSatisfying(problem -> assertThat(problem.type()).isEqualTo(Problem.QUEUE_UNAVAILABLE));
    }

    @Test
    void aRefusalAfterALostAnswerIsAnUnknownOutcome() {
        server.then(drop()).then(json(403, "{\"message\":\"Signature expired\"}"));

        OutcomeUnknownException unknown = catchThrowableOfType(OutcomeUnknownException.class, () -> client.createBook(Fixtures.LE_GUIN));

        assertThat(unknown.getCause()).isInstanceOf(ProblemException.class);
        assertThat(((ProblemException) unknown.getCause()).status()).isEqualTo(403);
    }

    @Test
    void twoLogicalCallsHaveTwoKeys() {
        server.then(Fixtures.bookAccepted()).then(Fixtures.bookAccepted(UUID.randomUUID(), OTHER_BOOK));

        Accepted first = client.createBook(Fixtures.LE_GUIN);
        Accepted second = client.createBook(Fixtures.LE_GUIN);

        assertThat(first.idempotencyKey()).isNotEqualTo(second.idempotencyKey());
        assertThat(server.received()).extracting(attempt -> attempt.header("Idempotency-Key"))
                .containsExactly(first.idempotencyKey(), second.idempotencyKey());
    }

    @Test
    void aCallersKeyIsSentOnEveryAttemptSoAnUnknownOutcomeCanBeResumed() {
        server.then(drop()).then(Fixtures.bookAccepted());

        Accepted accepted = client.updateBook(Fixtures.BOOK, BookPatch.builder().title("Anniversary edition").removeIsbn().build(),
                ChangeOptions.ifVersion(3).withIdempotencyKey("order-9-1"));

        assertThat(accepted.idempotencyKey()).isEqualTo("order-9-1");
        assertThat(server.received()).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.method()).isEqualTo("PATCH");
            assertThat(attempt.header("Idempotency-Key")).isEqualTo("order-9-1");
            assertThat(attempt.header("If-Match")).isEqualTo("\"3\"");
            assertThat(attempt.header("Content-Type")).isEqualTo("application/merge-patch+json");
            assertThat(attempt.bodyText()).isEqualTo("{\"title\":\"Anniversary edition\",\"isbn\":null}");
        });
    }

    @Test
    void aRetryPolicyWaitsAtLeastRetryAfterAndOtherwiseGrowsWithinItsCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(400));
        for (int i = 0; i < 50; i++) {
            assertThat(policy.delayBefore(1, null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(policy.delayBefore(2, null)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(policy.delayBefore(9, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(policy.delayBefore(1, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void aReadIsSentAgainWhileTheDatabaseIsUnavailable() {
        server.then(problem(503, Problem.DATABASE_UNAVAILABLE, "")).then(drop()).then(json(200,
                "{\"items\":[{\"id\":\"" + Fixtures.BOOK + "\",\"title\":\"t\",\"author\":\"a\",\"publisher\":\"p\",\"year\":1969,"
                        + "\"isbn\":null,\"version\":1,\"createdAt\":\"2026-12-01T10:00:00Z\",\"updatedAt\":null,\"shelf\":\"new field\"}],"
                        + "\"next\":\"abc\"}"));

        Page<Book> page = client.listBooks(1, null);

        assertThat(server.received()).hasSize(3);
        assertThat(page.items()).extracting(Book::id).containsExactly(Fixtures.BOOK);
        assertThat(page.next()).isEqualTo("abc");
    }

    @Test
    void aReadThatNeverGetsAnAnswerEndsAsServiceUnavailable() {
        server.otherwise(problem(503, Problem.DATABASE_UNAVAILABLE, ""));

        ServiceUnavailableException unavailable = catchThrowableOfType(ServiceUnavailableException.class, () -> client.getBook(Fixtures.BOOK));

        assertThat(server.received()).hasSize(QUICK.maxAttempts());
        assertThat(unavailable.attempts()).isEqualTo(QUICK.maxAttempts());
    }

    @Test
    void aMissingBookIsAProblemAtOnce() {
        server.otherwise(problem(404, Problem.NOT_FOUND, ""));

        ProblemException missing = catchThrowableOfType(ProblemException.class, () -> client.getBook(Fixtures.BOOK));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(server.received()).hasSize(1);
    }
}
