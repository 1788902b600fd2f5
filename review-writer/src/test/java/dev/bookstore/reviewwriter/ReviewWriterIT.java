package dev.bookstore.reviewwriter;

import static dev.bookstore.testkit.CommandMessages.book;
import static dev.bookstore.testkit.CommandMessages.envelope;
import static dev.bookstore.testkit.CommandMessages.json;
import static dev.bookstore.testkit.CommandMessages.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.CreateBook;
import dev.bookstore.command.CreateReview;
import dev.bookstore.config.InvalidConfigurationException;
import dev.bookstore.db.Database;
import dev.bookstore.domain.NewBook;
import dev.bookstore.migration.Migrations;
import dev.bookstore.reviewwriter.handler.ReviewWriterHandler;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.SqsEvents.Message;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.TestPoller;
import dev.bookstore.testkit.TestPostgres;
import dev.bookstore.writer.PublisherNudge;
import dev.bookstore.writer.WaitSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class ReviewWriterIT {

    static TestPostgres postgres;
    static EmbeddedSqs sqs;
    /** The queue a waiting review's back-off is set on; the made-up receipt handles of SqsEvents are refused there. */
    static String reviews;
    static String nudges;
    private ReviewWriterHandler handler;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        sqs = EmbeddedSqs.start();
        reviews = sqs.createQueue("reviews-waits", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        nudges = sqs.createQueue("publish-nudges", Map.of());
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    /** The writer as the template configures it, with the given wait, its back-off set on {@link #reviews}. */
    static Map<String, String> environment(int receives, int seconds) {
        Map<String, String> environment = new HashMap<>(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrlAs(postgres.writerRole()),
                WaitSettings.WAIT_RECEIVES, String.valueOf(receives), WaitSettings.WAIT_SECONDS, String.valueOf(seconds),
                WaitSettings.QUEUE_URL, reviews, WaitSettings.SQS_ENDPOINT, sqs.endpoint(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", "us-east-1"));
        environment.put(WaitSettings.QUEUE_MAX_RECEIVES, "5");
        // The nudge after a commit goes to a queue of its own, as in the template (the publisher is not under test here).
        environment.put(PublisherNudge.PUBLISH_QUEUE_URL, nudges);
        environment.put(WaitSettings.QUEUE_RETENTION_SECONDS, "345600");
        return environment;
    }

    @BeforeEach
    void freshEnvironment() {
        postgres.truncate("reviews", "books", "command_outcomes", "command_waits");
        sqs.client().purgeQueue(r -> r.queueUrl(reviews));
        // As the writer role, as on AWS: a statement the migrations grant it no privilege for fails the test.
        handler = new ReviewWriterHandler(environment(4, 0));
    }

    @Test
    void aReviewBeforeItsBookFailsUntilTheBookExistsThenApplies() {
        UUID bookId = CommandIds.fresh();
        CommandEnvelope command = envelope(review(bookId, 5));
        Message message = Message.of(json(command));

        SQSBatchResponse early = handle(message);
        storeBook(bookId);
        SQSBatchResponse later = handle(message.deliveredAgain());

        assertThat(early.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(message.messageId());
        assertThat(later.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM reviews WHERE command_id = ? AND book_id = ?", command.commandId(), bookId)).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND status = 'APPLIED'", command.commandId())).isEqualTo(1);
    }

    @Test
    void aReviewOfABookThatNeverComesIsRejectedBookNotFoundAtTheThreshold() {
        CommandEnvelope command = envelope(review(CommandIds.fresh(), 3));
        Message message = Message.of(json(command));

        List<Integer> failuresPerDelivery = new ArrayList<>();
        for (int delivery = 1; delivery <= 4; delivery++) {
            failuresPerDelivery.add(handle(message).getBatchItemFailures().size());
            message = message.deliveredAgain();
        }

        assertThat(failuresPerDelivery).containsExactly(1, 1, 1, 0);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND status = 'REJECTED' AND reason = 'BOOK_NOT_FOUND'",
                command.commandId())).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM reviews")).isZero();
    }

    /**
     * A batch that outlives the visibility timeout has its messages delivered again before their delays are set, so
     * the receives can come faster than the delays: the review is rejected only once its whole wait has passed.
     */
    @Test
    void aReviewDeliveredFasterThanItsDelaysIsRejectedOnlyOnceItsWholeWaitHasPassed() {
        ReviewWriterHandler patient = new ReviewWriterHandler(environment(4, 600));
        CommandEnvelope fresh = envelope(review(CommandIds.fresh(), 3));
        CommandEnvelope old = CommandEnvelope.of(CommandIds.fresh(), Instant.now().minusSeconds(601), "test-old", null, review(CommandIds.fresh(), 3));

        List<Integer> freshFailures = new ArrayList<>();
        List<Integer> oldFailures = new ArrayList<>();
        Message freshMessage = Message.of(json(fresh));
        Message oldMessage = Message.of(json(old));
        for (int delivery = 1; delivery <= 4; delivery++) {
            freshFailures.add(patient.handleRequest(SqsEvents.of(freshMessage), new TestLambdaContext()).getBatchItemFailures().size());
            oldFailures.add(patient.handleRequest(SqsEvents.of(oldMessage), new TestLambdaContext()).getBatchItemFailures().size());
            freshMessage = freshMessage.deliveredAgain();
            oldMessage = oldMessage.deliveredAgain();
        }

        assertThat(freshFailures).as("four receives within a second of a 600 s wait: still waiting").containsExactly(1, 1, 1, 1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ?", fresh.commandId())).isZero();
        assertThat(oldFailures).as("accepted 601 s ago: rejected at its fourth receive").containsExactly(1, 1, 1, 0);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND reason = 'BOOK_NOT_FOUND'",
                old.commandId())).isEqualTo(1);
    }

    @Test
    void deliveriesThatFailedForAnotherReasonDoNotUseUpAReviewsPatience() {
        CommandEnvelope command = envelope(review(CommandIds.fresh(), 3));
        // Three deliveries went by while the database was down: the message arrives with receive count 4.
        Message late = new Message(UUID.randomUUID().toString(), json(command), 4);

        SQSBatchResponse response = handle(late);

        assertThat(response.getBatchItemFailures()).as("its first miss, not its fourth").hasSize(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes")).isZero();
    }

    /**
     * A miss sets the message's visibility to its back-off: with 4 receives over 1,440 s, the first delay is 2 s (a 720th)
     * although the queue's visibility timeout is 30 s, and the second is several times longer.
     */
    @Test
    void aWaitingReviewComesBackAfterItsBackOffNotAfterTheQueuesVisibilityTimeout() {
        ReviewWriterHandler backingOff = new ReviewWriterHandler(environment(4, 1440));
        sqs.client().sendMessage(r -> r.queueUrl(reviews).messageBody(json(envelope(review(CommandIds.fresh(), 3)))));

        Message first = receive(Duration.ofSeconds(5));
        SQSBatchResponse missed = backingOff.handleRequest(SqsEvents.of(first), new TestLambdaContext());
        long missedAt = System.nanoTime();
        Message second = receive(Duration.ofSeconds(10));
        long cameBackAfter = Duration.ofNanos(System.nanoTime() - missedAt).toMillis();
        backingOff.handleRequest(SqsEvents.of(second), new TestLambdaContext());
        Message none = receiveOrNull(Duration.ofSeconds(5));

        assertThat(missed.getBatchItemFailures()).hasSize(1);
        assertThat(second.receiveCount()).isEqualTo(2);
        assertThat(cameBackAfter).as("back after its 2 s delay, not the queue's 30 s").isBetween(1000L, 9000L);
        assertThat(none).as("the second delay is longer than 5 s").isNull();
        assertThat(new dev.bookstore.writer.Patience(4, Duration.ofSeconds(1440), null).schedule())
                .extracting(Duration::toSeconds).startsWith(2L).satisfies(delays -> assertThat(delays.get(1)).isGreaterThan(5));
    }

    /** A review replayed from its DLQ waits its whole schedule again, however often it missed its book before. */
    @Test
    void aReplayedReviewWaitsItsWholeScheduleAgainForABookReplayedAfterIt() {
        CommandEnvelope command = envelope(review(CommandIds.fresh(), 3));
        Message message = Message.of(json(command));
        for (int delivery = 1; delivery <= 3; delivery++) {
            handle(message);
            message = message.deliveredAgain();
        }
        Message replayed = Message.of(json(command)); // a new message: its receive count starts again

        List<Integer> failures = new ArrayList<>();
        for (int delivery = 1; delivery <= 4; delivery++) {
            failures.add(handle(replayed).getBatchItemFailures().size());
            replayed = replayed.deliveredAgain();
        }

        assertThat(failures).as("three more waits, rejected at the replayed message's fourth receive").containsExactly(1, 1, 1, 0);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND reason = 'BOOK_NOT_FOUND'",
                command.commandId())).isEqualTo(1);
    }

    @Test
    void aReviewOfABookWhoseOwnCommandWasRejectedIsRejectedAtOnce() {
        UUID bookId = CommandIds.fresh();
        // What the book writer records for a CreateBook it rejects: the book id the command would have created.
        postgres.execute("INSERT INTO command_outcomes (command_id, type, status, reason, detail, resource_id) "
                + "VALUES ('" + CommandIds.fresh() + "', 'CreateBook', 'REJECTED', 'DUPLICATE_ISBN', 'isbn: another book has this ISBN', '"
                + bookId + "')");
        CommandEnvelope command = envelope(review(bookId, 2));

        SQSBatchResponse response = handle(Message.of(json(command)));

        assertThat(response.getBatchItemFailures()).as("no wait for a book that will never come").isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND reason = 'BOOK_REJECTED' "
                + "AND detail = 'bookId: the command that would have created this book was rejected'", command.commandId())).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_waits")).as("not counted as a miss").isZero();
    }

    @Test
    void settingsThatDisagreeWithTheQueueStopTheWriterAtStartNamingBoth() {
        Map<String, String> tooManyWaits = environment(5, 600);
        Map<String, String> longerThanRetention = environment(4, 40_000);
        longerThanRetention.put(WaitSettings.QUEUE_RETENTION_SECONDS, "36000");
        Map<String, String> longerThanThreeDelays = environment(4, 3 * 43_200 + 1);
        longerThanThreeDelays.put(WaitSettings.QUEUE_RETENTION_SECONDS, "1209600");

        assertThatThrownBy(() -> new ReviewWriterHandler(tooManyWaits)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(WaitSettings.WAIT_RECEIVES).hasMessageContaining(WaitSettings.QUEUE_MAX_RECEIVES);
        assertThatThrownBy(() -> new ReviewWriterHandler(longerThanRetention)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(WaitSettings.WAIT_SECONDS).hasMessageContaining(WaitSettings.QUEUE_RETENTION_SECONDS);
        assertThatThrownBy(() -> new ReviewWriterHandler(longerThanThreeDelays)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(WaitSettings.WAIT_SECONDS).hasMessageContaining(WaitSettings.WAIT_RECEIVES);
    }

    private static Message receive(Duration within) {
        Message message = receiveOrNull(within);
        assertThat(message).as("a message within " + within).isNotNull();
        return message;
    }

    private static Message receiveOrNull(Duration within) {
        long giveUp = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < giveUp) {
            List<software.amazon.awssdk.services.sqs.model.Message> got = sqs.client().receiveMessage(r -> r.queueUrl(reviews)
                    .waitTimeSeconds(1).messageSystemAttributeNamesWithStrings("ApproximateReceiveCount")).messages();
            if (!got.isEmpty()) {
                return Message.received(got.get(0));
            }
        }
        return null;
    }

    @Test
    void aBatchMixingWaitingAndReadyReviewsAppliesTheReadyOnesAtOnce() {
        UUID stored = CommandIds.fresh();
        storeBook(stored);
        Message ready = Message.of(json(review(stored, 4)));
        Message waiting = Message.of(json(review(CommandIds.fresh(), 4)));

        SQSBatchResponse response = handle(ready, waiting);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(waiting.messageId());
        assertThat(postgres.count("SELECT count(*) FROM reviews")).isEqualTo(1);
    }

    @Test
    void aRatingOfNineSentStraightToTheQueueIsRejectedNotRetried() {
        UUID bookId = CommandIds.fresh();
        storeBook(bookId);
        UUID commandId = CommandIds.fresh();
        String body = "{\"commandId\":\"" + commandId + "\",\"type\":\"CreateReview\",\"version\":1,\"issuedAt\":\"2026-11-25T10:00:00Z\","
                + "\"correlationId\":\"direct\",\"payload\":{\"reviewId\":\"" + CommandIds.fresh() + "\",\"bookId\":\"" + bookId
                + "\",\"reviewer\":\"Mallory\",\"rating\":9}}";

        SQSBatchResponse response = handle(Message.of(body));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND reason = 'INVALID_PAYLOAD' "
                + "AND detail = 'payload.rating: must be between 1 and 5'", commandId)).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM reviews")).isZero();
    }

    @Test
    void aReviewIdReusedByAnotherCommandIsRejectedNamingTheFieldNotTheConstraint() {
        UUID bookId = CommandIds.fresh();
        storeBook(bookId);
        UUID reviewId = CommandIds.fresh();
        CommandEnvelope first = envelope(new CreateReview(reviewId, bookId, "R", 4, "First body"));
        CommandEnvelope second = envelope(new CreateReview(reviewId, bookId, "R", 2, "Second body"));

        handle(Message.of(json(first)));
        SQSBatchResponse response = handle(Message.of(json(second)));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND reason = 'IDEMPOTENCY_KEY_REUSED' "
                + "AND detail = 'reviewId: another command already created this review; an Idempotency-Key was reused with another request'",
                second.commandId())).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE detail ~* 'sqlstate|constraint|reviews_pkey'")).isZero();
    }

    @Test
    void throughElasticMqAPoisonMessageEndsInTheDlqWhileTheRestOfItsBatchIsApplied() {
        UUID bookId = CommandIds.fresh();
        storeBook(bookId);
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            String dlq = sqs.createQueue("reviews-commands-dlq");
            String dlqArn = sqs.client().getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String queue = sqs.createQueue("reviews-commands", Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                    QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"5\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}"));
            List<CommandEnvelope> valid = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                valid.add(envelope(review(bookId, 1 + i % 5)));
            }
            String poison = "{\"commandId\":\"" + CommandIds.fresh() + "\",\"type\":\"CreateReview\",\"version\":7,\"payload\":{}}";
            sqs.client().sendMessage(r -> r.queueUrl(queue).messageBody(poison));
            valid.forEach(command -> sqs.client().sendMessage(r -> r.queueUrl(queue).messageBody(json(command))));

            TestPoller poller = new TestPoller(sqs.client(), queue, handler);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                poller.pollOnce();
                return sqs.depth(queue) == 0 && sqs.depth(dlq) == 1;
            });

            assertThat(postgres.count("SELECT count(*) FROM reviews WHERE book_id = ?", bookId)).isEqualTo(9);
            String inDlq = sqs.client().receiveMessage(r -> r.queueUrl(dlq)).messages().get(0).body();
            assertThat(inDlq).isEqualTo(poison);
        }
    }

    private SQSBatchResponse handle(Message... messages) {
        return handler.handleRequest(SqsEvents.of(messages), new TestLambdaContext());
    }

    private static void storeBook(UUID bookId) {
        CreateBook book = book("Stored");
        Database.pooled(postgres.dataSource()).inTransaction(m -> m.books().insertBooks(List.of(
                new NewBook(bookId, CommandIds.fresh(), book.title(), book.author(), book.publisher(), book.year(), null))));
    }
}
