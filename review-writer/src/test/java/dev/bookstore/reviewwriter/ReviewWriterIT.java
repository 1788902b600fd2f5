package dev.bookstore.reviewwriter;

import static dev.bookstore.testkit.CommandMessages.book;
import static dev.bookstore.testkit.CommandMessages.envelope;
import static dev.bookstore.testkit.CommandMessages.json;
import static dev.bookstore.testkit.CommandMessages.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.CreateBook;
import dev.bookstore.command.CreateReview;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class ReviewWriterIT {

    static TestPostgres postgres;
    private ReviewWriterHandler handler;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
    }

    @BeforeEach
    void freshEnvironment() {
        postgres.truncate("reviews", "books", "command_outcomes", "review_book_waits");
        // As the writer role, as on AWS: a statement the migrations grant it no privilege for fails the test.
        handler = new ReviewWriterHandler(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrlAs(postgres.writerRole()),
                ReviewWriterHandler.BOOK_WAIT_RECEIVES, "4", ReviewWriterHandler.BOOK_WAIT_SECONDS, "0"));
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

    @Test
    void deliveriesThatFailedForAnotherReasonDoNotUseUpAReviewsPatience() {
        CommandEnvelope command = envelope(review(CommandIds.fresh(), 3));
        // Three deliveries went by while the database was down: the message arrives with receive count 4.
        Message late = new Message(UUID.randomUUID().toString(), json(command), 4);

        SQSBatchResponse response = handle(late);

        assertThat(response.getBatchItemFailures()).as("its first miss, not its fourth").hasSize(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes")).isZero();
    }

    @Test
    void aReviewIsNotRejectedBeforeItsMinimumWaitHoweverOftenItMissedItsBook() {
        ReviewWriterHandler patient = new ReviewWriterHandler(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrlAs(postgres.writerRole()),
                ReviewWriterHandler.BOOK_WAIT_RECEIVES, "2", ReviewWriterHandler.BOOK_WAIT_SECONDS, "600"));
        Message message = Message.of(json(envelope(review(CommandIds.fresh(), 3))));

        for (int delivery = 1; delivery <= 5; delivery++) {
            assertThat(patient.handleRequest(SqsEvents.of(message), new TestLambdaContext()).getBatchItemFailures()).hasSize(1);
            message = message.deliveredAgain();
        }

        assertThat(postgres.count("SELECT count(*) FROM command_outcomes")).as("it may still be waiting in a DLQ for its book").isZero();
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
