package dev.bookstore.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.client.Accepted;
import dev.bookstore.client.BatchItemResult;
import dev.bookstore.client.BookDetail;
import dev.bookstore.client.BookPatch;
import dev.bookstore.client.BookstoreClient;
import dev.bookstore.client.ChangeOptions;
import dev.bookstore.client.CommandStatus;
import dev.bookstore.client.NewBook;
import dev.bookstore.client.NewReview;
import dev.bookstore.client.PollPolicy;
import dev.bookstore.client.ProblemException;
import dev.bookstore.client.RetryPolicy;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bookstore-client against the real stack, as a caller would use it: the runner checks every request and answer it
 * makes against openapi.yaml, and SQS is reached through a gate a test can make lose SQS's answers.
 */
class ClientIT {

    private static final Duration OUTCOME = Duration.ofSeconds(60);
    static LocalStack stack;
    static BookstoreClient client;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml")).withGatedSqs().withFunctionLogs(null),
                new PrintStream(OutputStream.nullOutputStream()));
        client = BookstoreClient.builder().endpoint(URI.create(stack.apiUrl()))
                .pollPolicy(new PollPolicy(Duration.ofMillis(20), Duration.ofMillis(500))).build();
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
    void aBookIsCreatedReviewedChangedAndDeletedThroughTheClient() {
        Accepted created = client.createBook(new NewBook("The Dispossessed", "Ursula K. Le Guin", "Harper & Row", 1974, "978-0-441-47812-5"));
        assertThat(client.awaitOutcome(created.commandId(), OUTCOME).status()).isEqualTo(CommandStatus.Status.APPLIED);
        BookDetail book = client.getBook(created.bookId());
        assertThat(book.title()).isEqualTo("The Dispossessed");
        assertThat(book.version()).isEqualTo(1);

        Accepted review = client.createReview(book.id(), new NewReview("Shevek", 5, "Walls have two sides."));
        assertThat(client.awaitOutcome(review.commandId(), OUTCOME).status()).isEqualTo(CommandStatus.Status.APPLIED);
        assertThat(client.listReviews(book.id(), 10, null).items()).extracting(r -> r.id()).containsExactly(review.reviewId());

        Accepted renamed = client.updateBook(book.id(), BookPatch.builder().title("The Dispossessed: An Ambiguous Utopia").removeIsbn().build(),
                ChangeOptions.ifVersion(book.version()));
        CommandStatus applied = client.awaitOutcome(renamed.commandId(), OUTCOME);
        assertThat(applied.status()).isEqualTo(CommandStatus.Status.APPLIED);
        assertThat(applied.version()).isEqualTo(2);
        assertThat(client.getBook(book.id()).isbn()).isNull();

        Accepted stale = client.updateBook(book.id(), BookPatch.builder().year(1975).build(), ChangeOptions.ifVersion(book.version()));
        CommandStatus conflict = client.awaitOutcome(stale.commandId(), OUTCOME);
        assertThat(conflict.status()).isEqualTo(CommandStatus.Status.REJECTED);
        assertThat(conflict.reason()).isEqualTo("VERSION_CONFLICT");

        assertThat(client.awaitOutcome(client.deleteBook(book.id()).commandId(), OUTCOME).status()).isEqualTo(CommandStatus.Status.APPLIED);
        assertThatThrownBy(() -> client.getBook(book.id())).isInstanceOfSatisfying(ProblemException.class,
                refused -> assertThat(refused.status()).isEqualTo(410));
    }

    /** The README's five lines of Java, as it shows them but for the runner's address, do what it says. */
    @Test
    void theReadmesFiveLinesWork() throws Exception {
        BookstoreClient client = BookstoreClient.local(URI.create(stack.apiUrl()));
        Accepted accepted = client.createBook(new NewBook("Kindred", "Octavia E. Butler", "Doubleday", 1979));
        CommandStatus outcome = client.awaitOutcome(accepted.commandId(), Duration.ofSeconds(30));   // APPLIED or REJECTED
        BookDetail book = client.getBook(accepted.bookId());
        client.updateBook(book.id(), BookPatch.builder().year(1988).build(), ChangeOptions.ifVersion(book.version()));

        assertThat(outcome.status()).isEqualTo(CommandStatus.Status.APPLIED);
        assertThat(book.title()).isEqualTo("Kindred");
        String readme = Files.readString(RepositoryFiles.find("README.md"));
        for (String line : List.of(
                "Accepted accepted = client.createBook(new NewBook(\"Kindred\", \"Octavia E. Butler\", \"Doubleday\", 1979));",
                "CommandStatus outcome = client.awaitOutcome(accepted.commandId(), Duration.ofSeconds(30));   // APPLIED or REJECTED",
                "BookDetail book = client.getBook(accepted.bookId());",
                "client.updateBook(book.id(), BookPatch.builder().year(1988).build(), ChangeOptions.ifVersion(book.version()));")) {
            assertThat(readme).as("the README's Java example").contains(line);
        }
    }

    @Test
    void aRefusedWriteIsAProblemNamingEachFieldAndABatchAnswersItemByItem() {
        assertThatThrownBy(() -> client.createBook(new NewBook(" ", "Octavia E. Butler", "Doubleday", 1)))
                .isInstanceOfSatisfying(ProblemException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(400);
                    assertThat(refused.problem().errors()).extracting(e -> e.field()).containsExactlyInAnyOrder("title", "year");
                });

        List<BatchItemResult> results = client.createBooks(List.of(new NewBook("Kindred", "Octavia E. Butler", "Doubleday", 1979),
                new NewBook("", "Octavia E. Butler", "Doubleday", 1979)));

        assertThat(results.get(0)).isInstanceOf(BatchItemResult.Queued.class);
        assertThat(results.get(1)).isInstanceOfSatisfying(BatchItemResult.Refused.class,
                refused -> assertThat(refused.problem().errors()).extracting(e -> e.field()).containsExactly("title"));
        Accepted kindred = ((BatchItemResult.Queued) results.get(0)).accepted();
        assertThat(client.awaitOutcome(kindred.commandId(), OUTCOME).status()).isEqualTo(CommandStatus.Status.APPLIED);
    }

    /**
     * While SQS's answers are lost, the API answers 503 queue-outcome-unknown: the command may be queued. The client
     * sends the same call again under the same Idempotency-Key until an answer comes, so however many copies reached
     * the queue they are one command, and one book.
     */
    @Test
    void lostAnswersFromSqsAreRetriedUnderOneKeyAndMakeOneBook() throws Exception {
        String author = "Author " + UUID.randomUUID();
        BookstoreClient patient = BookstoreClient.builder().endpoint(URI.create(stack.apiUrl()))
                .retryPolicy(new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(2))).build();
        stack.sqsGate().loseAnswers(true);
        CompletableFuture<Accepted> call;
        try {
            call = CompletableFuture.supplyAsync(() -> patient.createBook(new NewBook("The Lathe of Heaven", author, "Avon", 1971)));
            // The API's own retries take 6 s before it answers 503; the client's first attempt at least meets the outage.
            Thread.sleep(8_000);
            assertThat(call).as("no answer while SQS's are lost").isNotDone();
        } finally {
            stack.sqsGate().loseAnswers(false);
        }
        Accepted accepted = call.get();

        assertThat(client.awaitOutcome(accepted.commandId(), OUTCOME).status()).isEqualTo(CommandStatus.Status.APPLIED);
        Thread.sleep(2_000); // any other copy of the command has had its time on the queue
        assertThat(client.listBooksBy(author, 10, null).items()).extracting(b -> b.id()).containsExactly(accepted.bookId());
    }
}
