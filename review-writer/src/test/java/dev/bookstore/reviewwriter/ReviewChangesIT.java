package dev.bookstore.reviewwriter;

import static dev.bookstore.testkit.CommandMessages.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.CreateReview;
import dev.bookstore.command.DeleteReview;
import dev.bookstore.command.Payload;
import dev.bookstore.command.ReviewPatch;
import dev.bookstore.command.UpdateReview;
import dev.bookstore.db.Database;
import dev.bookstore.domain.BookDetail;
import dev.bookstore.domain.NewBook;
import dev.bookstore.reviewwriter.handler.ReviewWriterHandler;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.SqsEvents.Message;
import dev.bookstore.testkit.TestLambdaContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * UpdateReview and DeleteReview through the ReviewWriter handler, and reviews meeting a deleted book: the ratings follow
 * every change in its own transaction, and nothing is applied to a book deleted before it.
 */
class ReviewChangesIT {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private ReviewWriterHandler handler;
    private Database db;

    @BeforeAll
    static void start() {
        ReviewWriterIT.migrate();
    }

    @AfterAll
    static void stop() {
        ReviewWriterIT.stopSqs();
    }

    @BeforeEach
    void freshEnvironment() {
        ReviewWriterIT.postgres.truncate("reviews", "books", "command_outcomes", "command_waits");
        handler = new ReviewWriterHandler(ReviewWriterIT.environment(4, 1440));
        db = Database.pooled(ReviewWriterIT.postgres.dataSource());
    }

    @Test
    void ratingsFollowEachChangeAndAWithdrawnReviewKeepsNoReviewerOrText() {
        UUID book = storedBook();
        CreateReview five = new CreateReview(CommandIds.fresh(), book, "Ann", 5, "Great");
        CreateReview three = new CreateReview(CommandIds.fresh(), book, "Bo", 3, null);
        handle(at(T0, five), at(T0, three));

        handle(at(T0.plusSeconds(1), new UpdateReview(three.reviewId(), book, new ReviewPatch(1, "Changed my mind", false), 1)));
        assertThat(detail(book).reviewCount()).isEqualTo(2);
        assertThat(detail(book).averageRating()).isEqualByComparingTo("3.00");

        handle(at(T0.plusSeconds(2), new DeleteReview(five.reviewId(), book, null)));
        assertThat(detail(book).reviewCount()).isEqualTo(1);
        assertThat(detail(book).averageRating()).isEqualByComparingTo("1.00");
        assertThat(ReviewWriterIT.postgres.count("SELECT count(*) FROM reviews WHERE id = ? AND reviewer IS NULL AND text IS NULL "
                + "AND deleted_at IS NOT NULL AND version = 2", five.reviewId())).isEqualTo(1);

        // One event per change, in feed order, each with the review as it then read (docs/events.md).
        handle(at(T0.plusSeconds(3), new UpdateReview(three.reviewId(), book, new ReviewPatch(1, "Changed my mind", false), null)));
        assertThat(ReviewWriterIT.postgres.count("SELECT count(*) FROM change_events WHERE book_id = ?", book)).isEqualTo(4);
        assertThat(ReviewWriterIT.postgres.count("SELECT count(*) FROM change_events WHERE review_id = ? AND type = 'ReviewUpdated' AND version = 2"
                + " AND data = jsonb_build_object('id', review_id, 'bookId', book_id, 'reviewer', 'Bo', 'rating', 1, 'text', 'Changed my mind',"
                + " 'version', 2)", three.reviewId())).as("the update, and not the one that set the same values again").isEqualTo(1);
        assertThat(ReviewWriterIT.postgres.count("SELECT count(*) FROM change_events WHERE review_id = ? AND type = 'ReviewDeleted' AND version = 2"
                + " AND data = jsonb_build_object('id', review_id, 'bookId', book_id, 'version', 2, 'deleted', true)", five.reviewId())).isEqualTo(1);
        assertThat(ReviewWriterIT.postgres.count("SELECT count(*) FROM change_events WHERE book_id = ? AND type = 'ReviewCreated' AND version = 1"
                + " AND correlation_id = 'test'", book)).isEqualTo(2);
    }

    @Test
    void aChangeOfAWithdrawnReviewOrOfAReviewOfADeletedBookIsRejected() {
        UUID book = storedBook();
        CreateReview review = new CreateReview(CommandIds.fresh(), book, "Ann", 5, "Great");
        handle(at(T0, review));
        CommandEnvelope withdraw = at(T0.plusSeconds(2), new DeleteReview(review.reviewId(), book, null));
        CommandEnvelope lateEdit = at(T0.plusSeconds(1), new UpdateReview(review.reviewId(), book, new ReviewPatch(4, null, false), null));

        handle(withdraw);
        handle(lateEdit);
        deleteBook(book);
        CommandEnvelope afterBook = at(T0.plusSeconds(3), new CreateReview(CommandIds.fresh(), book, "Cy", 2, null));
        handle(afterBook);

        assertThat(reason(lateEdit)).isEqualTo("REVIEW_DELETED");
        assertThat(reason(afterBook)).isEqualTo("BOOK_DELETED");
    }

    @Test
    void aReviewWaitingForABookStopsWaitingWhenTheBookIsDeleted() {
        UUID book = CommandIds.fresh();
        CommandEnvelope review = at(T0.plusSeconds(1), new CreateReview(CommandIds.fresh(), book, "Ann", 4, null));
        Message early = Message.of(json(review));

        SQSBatchResponse waiting = handler.handleRequest(SqsEvents.of(early), new TestLambdaContext());
        db.inTransaction(m -> m.books().insertBooks(List.of(new NewBook(book, CommandIds.fresh(), "T", "A", "P", 2001, null))));
        deleteBook(book);
        SQSBatchResponse ended = handler.handleRequest(SqsEvents.of(early.deliveredAgain()), new TestLambdaContext());

        assertThat(waiting.getBatchItemFailures()).hasSize(1);
        assertThat(ended.getBatchItemFailures()).isEmpty();
        assertThat(reason(review)).isEqualTo("BOOK_DELETED");
    }

    /** The SnapStart hooks: every statement priming names exists, and it leaves no database connection for the snapshot. */
    @Test
    void primingOpensNoConnectionAndTheFirstBatchAfterARestoreApplies() {
        String app = "review-priming-" + UUID.randomUUID().toString().substring(0, 8);
        java.util.Map<String, String> environment = new java.util.HashMap<>(ReviewWriterIT.environment(4, 1440));
        environment.put("BOOKSTORE_DB_APPLICATION_NAME", app);
        ReviewWriterHandler primed = new ReviewWriterHandler(environment);

        primed.priming().beforeCheckpoint(null);
        long connections = ReviewWriterIT.postgres.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", app);
        primed.priming().afterRestore(null);
        UUID book = storedBook();
        CommandEnvelope review = at(T0, new CreateReview(CommandIds.fresh(), book, "Ann", 4, null));

        assertThat(connections).isZero();
        assertThat(primed.handleRequest(SqsEvents.of(Message.of(json(review))), new TestLambdaContext()).getBatchItemFailures()).isEmpty();
        assertThat(reason(review)).isNull();
    }

    private UUID storedBook() {
        UUID book = CommandIds.fresh();
        db.inTransaction(m -> m.books().insertBooks(List.of(new NewBook(book, CommandIds.fresh(), "T", "A", "P", 2001, null))));
        return book;
    }

    private static void deleteBook(UUID book) {
        ReviewWriterIT.postgres.execute("UPDATE books SET deleted_at = now(), version = version + 1 WHERE id = '" + book + "'");
    }

    private BookDetail detail(UUID book) {
        return db.read(m -> m.books().findBookDetail(book)).orElseThrow();
    }

    private String reason(CommandEnvelope command) {
        return db.read(m -> m.outcomes().findOutcome(command.commandId())).orElseThrow().reason();
    }

    private static CommandEnvelope at(Instant issuedAt, Payload payload) {
        return CommandEnvelope.of(CommandIds.fresh(), issuedAt, "test", null, payload);
    }

    private void handle(CommandEnvelope... commands) {
        List<Message> messages = java.util.Arrays.stream(commands).map(c -> Message.of(json(c))).toList();
        assertThat(handler.handleRequest(SqsEvents.of(messages), new TestLambdaContext()).getBatchItemFailures()).isEmpty();
    }
}
