package dev.bookstore.client;

import static dev.bookstore.client.ScriptedServer.json;
import static dev.bookstore.client.ScriptedServer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** awaitOutcome polls with a growing back-off until the command is final, and gives up on time. */
class AwaitOutcomeTest {

    private static final Duration FIRST = Duration.ofMillis(50);

    private ScriptedServer server;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pollsWithAGrowingBackOffUntilApplied() {
        server.then(pending()).then(pending()).then(json(200, "{\"commandId\":\"" + Fixtures.COMMAND + "\",\"status\":\"APPLIED\","
                + "\"type\":\"CreateBook\",\"resourceId\":\"" + Fixtures.BOOK + "\",\"resource\":\"/books/" + Fixtures.BOOK
                + "\",\"version\":1,\"recordedAt\":\"2026-12-01T10:00:01Z\"}"));

        CommandStatus outcome = client(new PollPolicy(FIRST, Duration.ofSeconds(1))).awaitOutcome(Fixtures.COMMAND, Duration.ofSeconds(30));

        assertThat(outcome.status()).isEqualTo(CommandStatus.Status.APPLIED);
        assertThat(outcome.resourceId()).isEqualTo(Fixtures.BOOK);
        assertThat(outcome.isFinal()).isTrue();
        List<ScriptedServer.Received> polls = server.received();
        assertThat(polls).hasSize(3).allSatisfy(poll -> assertThat(poll.rawPathAndQuery()).isEqualTo("/commands/" + Fixtures.COMMAND));
        assertThat(gap(polls, 1)).isGreaterThanOrEqualTo(FIRST);
        assertThat(gap(polls, 2)).isGreaterThanOrEqualTo(FIRST.multipliedBy(2));
    }

    @Test
    void aCommandThatStaysPendingTimesOutAtTheDeadlineNamingItsLastStatus() {
        server.otherwise(pending());
        // A first poll interval far longer than the timeout: waiting it out would overrun the deadline by seconds.
        BookstoreClient client = client(new PollPolicy(Duration.ofSeconds(5), Duration.ofSeconds(10)));
        Duration timeout = Duration.ofMillis(300);

        long start = System.nanoTime();
        OutcomeTimeoutException timedOut = catchThrowableOfType(OutcomeTimeoutException.class,
                () -> client.awaitOutcome(Fixtures.COMMAND, timeout));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plusSeconds(3));
        assertThat(timedOut.commandId()).isEqualTo(Fixtures.COMMAND);
        assertThat(timedOut.lastStatus()).hasValueSatisfying(status -> assertThat(status.status()).isEqualTo(CommandStatus.Status.PENDING));
        assertThat(timedOut.getMessage()).contains(Fixtures.COMMAND.toString(), "PENDING");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void aPollAnswered503WaitsForItsRetryAfter() {
        server.then(problem(503, Problem.DATABASE_UNAVAILABLE, "", "Retry-After", "1")).then(json(200,
                "{\"commandId\":\"" + Fixtures.COMMAND + "\",\"status\":\"REJECTED\",\"reason\":\"DUPLICATE_ISBN\"}"));

        CommandStatus outcome = client(new PollPolicy(Duration.ofMillis(10), Duration.ofMillis(20)))
                .awaitOutcome(Fixtures.COMMAND, Duration.ofSeconds(30));

        assertThat(outcome.status()).isEqualTo(CommandStatus.Status.REJECTED);
        assertThat(outcome.reason()).isEqualTo("DUPLICATE_ISBN");
        assertThat(gap(server.received(), 1)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    private BookstoreClient client(PollPolicy polls) {
        return BookstoreClient.builder().endpoint(server.uri()).pollPolicy(polls).build();
    }

    private static ScriptedServer.Reply pending() {
        return json(200, "{\"commandId\":\"" + Fixtures.COMMAND + "\",\"status\":\"PENDING\"}");
    }

    private static Duration gap(List<ScriptedServer.Received> polls, int poll) {
        return Duration.ofNanos(polls.get(poll).nanoTime() - polls.get(poll - 1).nanoTime());
    }
}
