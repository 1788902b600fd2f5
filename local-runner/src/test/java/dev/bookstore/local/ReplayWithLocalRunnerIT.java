package dev.bookstore.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.replay.cli.BookstoreDlq;
import dev.bookstore.replay.handler.DlqReplayHandler;
import dev.bookstore.testkit.CommandMessages;
import dev.bookstore.testkit.RepositoryFiles;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator's walk through on the local runner: a command stuck in the DLQ is peeked at, replayed, and applied. */
class ReplayWithLocalRunnerIT {

    static LocalStack stack;
    static Path audit;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml")).withFunctionLogs(null),
                new PrintStream(OutputStream.nullOutputStream()));
        audit = Files.createTempDirectory("audit").resolve("dlq-audit.jsonl");
    }

    @AfterAll
    static void stop() {
        try {
            assertThat(stack.contractViolations()).as("exchanges that broke openapi.yaml").isEmpty();
        } finally {
            stack.close();
        }
    }

    @Test
    void aCreateBookInTheDlqIsReplayedAndTheBookAppears() throws Exception {
        CommandEnvelope command = CommandMessages.envelope(CommandMessages.book("Back from the dead"));
        stack.queues().client().sendMessage(r -> r.queueUrl(stack.queueUrl("BooksDeadLetterQueue")).messageBody(CommandMessages.json(command)));

        String peek = cli("peek", "--queue", "books", "--database-url", stack.database().jdbcUrl());
        String replay = cli("replay", "--queue", "books", "--all", "--yes");

        assertThat(peek).contains("CreateBook v1", command.commandId().toString(), "Back from the dead", "outcome: none recorded");
        assertThat(replay).contains("moved 1 of 1 selected");
        String bookId = command.payload().resourceId().toString();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/books/" + bookId).statusCode() == 200);
        assertThat(cli("peek", "--queue", "books", "--database-url", stack.database().jdbcUrl())).contains("0 message(s)");
        assertThat(cli("list")).containsPattern("books\\s+0");
    }

    @Test
    void theDlqReplayLambdaReplaysTheSameWay() throws Exception {
        CommandEnvelope command = CommandMessages.envelope(CommandMessages.book("Replayed by the Lambda"));
        stack.queues().client().sendMessage(r -> r.queueUrl(stack.queueUrl("BooksDeadLetterQueue")).messageBody(CommandMessages.json(command)));
        DlqReplayHandler handler = new DlqReplayHandler(Map.of(
                DlqReplayHandler.BOOKS_QUEUE_URL, stack.queueUrl("BooksQueue"), DlqReplayHandler.BOOKS_DLQ_URL, stack.queueUrl("BooksDeadLetterQueue"),
                DlqReplayHandler.REVIEWS_QUEUE_URL, stack.queueUrl("ReviewsQueue"), DlqReplayHandler.REVIEWS_DLQ_URL, stack.queueUrl("ReviewsDeadLetterQueue"),
                DlqReplayHandler.SQS_ENDPOINT, stack.sqsEndpoint(), "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));

        Map<String, Object> dryRun = handler.handleRequest(Map.of("queue", "books", "commandIds", List.of(command.commandId().toString()),
                "dryRun", true), new TestLambdaContext());
        Map<String, Object> done = handler.handleRequest(Map.of("queue", "books", "commandIds", List.of(command.commandId().toString())),
                new TestLambdaContext());

        assertThat(dryRun).containsEntry("selected", 1).containsEntry("moved", 0);
        assertThat(done).containsEntry("moved", 1).containsEntry("failed", 0);
        String bookId = command.payload().resourceId().toString();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/books/" + bookId).statusCode() == 200);
    }

    private static String cli(String... arguments) {
        String[] args = new String[arguments.length + 3];
        args[0] = arguments[0];
        args[1] = "--endpoint-url";
        args[2] = stack.sqsEndpoint();
        args[3] = "--audit-file=" + audit;
        System.arraycopy(arguments, 1, args, 4, arguments.length - 1);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BookstoreDlq.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(out + "\n" + err).isZero();
        return out.toString();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
