package dev.bookstore.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bookstore.local.lambda.SqsEventSource;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** What the runner promises beyond the happy path: batch-response fidelity, persistence, clear errors. */
class RunnerBehaviourIT {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    /** ElasticMQ keeps one message store per JVM: every test here that keeps its queues keeps them in this directory. */
    private static Path kept;

    private static synchronized Path keptData() throws java.io.IOException {
        if (kept == null) {
            kept = Files.createTempDirectory("bookstore-runner-data");
        }
        return kept;
    }

    @Test
    void aMalformedBatchResponseFailsTheWholeBatch() throws Exception {
        Path template = Path.of(getClass().getClassLoader().getResource("malformed-response-template.yaml").toURI());
        try (LocalStack stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(template).withFunctionLogs(null), QUIET)) {
            stack.queues().client().sendMessage(r -> r.queueUrl(stack.queueUrl("WorkQueue")).messageBody("work"));

            // The response lists an id that is not in the batch: nothing may be deleted, so after 3 receives it is dead-lettered.
            await().atMost(Duration.ofSeconds(30)).until(() -> stack.queues().depth("WorkDeadLetterQueue") == 1);

            assertThat(MalformedResponseHandler.INVOCATIONS.get()).isEqualTo(3);
            assertThat(stack.queues().depth("WorkQueue")).isZero();
            assertThat(stack.eventSources().get(0).acknowledged()).isZero();
        }
    }

    /**
     * The runner checks its traffic against the spec it is given: with the repository's openapi.yaml a POST /books
     * breaks nothing; against a copy whose BookAccepted lacks issuedAt, the same request is reported, field named.
     */
    @Test
    void anAnswerTheSpecDoesNotDescribeIsReported() throws Exception {
        Path spec = Files.createTempFile("openapi-without-issuedAt", ".yaml");
        Files.writeString(spec, Files.readString(RepositoryFiles.find("openapi.yaml")).replace(
                "      required: [commandId, bookId, issuedAt, status]\n      properties:\n        commandId: {type: string, format: uuid}\n"
                        + "        bookId: {type: string, format: uuid}\n        issuedAt: {type: string, format: date-time, description: 'the order key of the command'}\n",
                "      required: [commandId, bookId, status]\n      properties:\n        commandId: {type: string, format: uuid}\n"
                        + "        bookId: {type: string, format: uuid}\n"));
        assertThat(Files.readString(spec)).as("the mutation applied").isNotEqualTo(Files.readString(RepositoryFiles.find("openapi.yaml")));
        String book = "{\"title\":\"T\",\"author\":\"A\",\"publisher\":\"P\",\"year\":1999}";
        RunnerOptions options = RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml")).withFunctionLogs(null);
        try (LocalStack stack = LocalStack.start(options, QUIET)) {
            assertThat(new Http(stack.apiUrl()).post("/books", book).status()).isEqualTo(202);
            assertThat(stack.contractViolations()).isEmpty();
        }
        try (LocalStack stack = LocalStack.start(options.withContractChecks(spec), QUIET)) {
            assertThat(new Http(stack.apiUrl()).post("/books", book).status()).isEqualTo(202);
            assertThat(stack.contractViolations()).singleElement().asString()
                    .startsWith("POST /books -> 202 breaks openapi.yaml").contains("additionalProperties").contains("issuedAt");
        } finally {
            Files.delete(spec);
        }
    }

    @Test
    void pollersScaleUpOnABacklogAndBackDownWhenItIsDrained() throws Exception {
        Path template = Path.of(getClass().getClassLoader().getResource("slow-consumer-template.yaml").toURI());
        try (LocalStack stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(template).withFunctionLogs(null), QUIET)) {
            SqsEventSource source = stack.eventSources().get(0);
            assertThat(source.activePollers()).isEqualTo(1);
            for (int i = 0; i < 300; i++) {
                int batch = i;
                stack.queues().client().sendMessageBatch(r -> r.queueUrl(stack.queueUrl("WorkQueue")).entries(
                        java.util.stream.IntStream.range(0, 10).mapToObj(n -> SendMessageBatchRequestEntry.builder()
                                .id("m" + n).messageBody("work " + batch + "/" + n).build()).toList()));
            }

            // 3,000 messages at 5 batches of 10 per 200 ms: a backlog of several seconds, which one poller would not see the end of.
            await().atMost(Duration.ofSeconds(30)).until(() -> source.activePollers() >= 3);
            await().atMost(Duration.ofSeconds(60)).until(() -> source.acknowledged() == 3000);
            await().atMost(Duration.ofSeconds(20)).until(() -> source.activePollers() == 1);
        }
    }

    @Test
    void dataSurvivesARestartUnlessEphemeral() throws Exception {
        Path data = keptData();
        RunnerOptions kept = RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml")).withDataDirectory(data, false)
                .withFunctionLogs(null);
        String bookId;
        try (LocalStack first = LocalStack.start(kept, QUIET)) {
            Http http = new Http(first.apiUrl());
            Http.Response accepted = http.post("/books", "{\"title\":\"Kept\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}");
            bookId = accepted.json().get("bookId").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/books/" + bookId).status() == 200);
        }
        try (LocalStack second = LocalStack.start(kept, QUIET)) {
            assertThat(new Http(second.apiUrl()).get("/books/" + bookId).status()).isEqualTo(200);
        }
        try (LocalStack throwAway = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml"))
                .withFunctionLogs(null), QUIET)) {
            assertThat(new Http(throwAway.apiUrl()).get("/books/" + bookId).status()).isEqualTo(404);
        }
    }

    @Test
    void aMessageAcceptedBeforeAStopIsAppliedAfterTheRestart() throws Exception {
        Path data = keptData();
        RunnerOptions kept = RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml")).withDataDirectory(data, false)
                .withFunctionLogs(null);
        String body = dev.bookstore.testkit.CommandMessages.json(dev.bookstore.testkit.CommandMessages.book("Queued before the stop"));
        String commandId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("commandId").asText();
        try (LocalStack first = LocalStack.start(kept, QUIET)) {
            // Straight to the queue while the writer is stopped, as if accepted just before Ctrl-C.
            first.eventSources().forEach(SqsEventSource::close);
            first.queues().client().sendMessage(r -> r.queueUrl(first.queueUrl("BooksQueue")).messageBody(body));
        }
        try (LocalStack second = LocalStack.start(kept, QUIET)) {
            Http http = new Http(second.apiUrl());
            await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/commands/" + commandId).json().get("status").asText().equals("APPLIED"));
        }
    }

    @Test
    void aTakenPortIsAClearErrorNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            RunnerOptions options = RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml"));
            RunnerOptions clash = new RunnerOptions(options.template(), null, true, null, taken.getLocalPort(), 0, 0, true, Duration.ZERO, null,
                    false, false, null);

            assertThatThrownBy(() -> LocalStack.start(clash, QUIET))
                    .hasMessage("port " + taken.getLocalPort() + " (the API) is taken on 127.0.0.1; stop what uses it or choose another with --api-port <port>");
        }
    }
}
