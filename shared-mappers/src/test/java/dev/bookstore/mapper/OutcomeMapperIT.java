package dev.bookstore.mapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.db.InvalidValueException;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.domain.OutcomeWithBook;
import dev.bookstore.domain.OutcomeStatus;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutcomeMapperIT extends MapperTestSupport {

    @Test
    void recordOutcomesStoresAppliedAndRejectedOutcomes() {
        UUID applied = UUID.randomUUID();
        UUID rejected = UUID.randomUUID();
        UUID book = UUID.randomUUID();

        List<UUID> recorded = db.inTransaction(m -> m.outcomes().recordOutcomes(List.of(
                CommandOutcome.applied(applied, "CreateBook", book),
                CommandOutcome.rejected(rejected, "CreateReview", "BOOK_NOT_FOUND", "no book " + book))));

        assertThat(recorded).containsExactlyInAnyOrder(applied, rejected);
        assertThat(count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND status = 'APPLIED' "
                + "AND type = 'CreateBook' AND resource_id = ? AND reason IS NULL", applied, book)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND status = 'REJECTED' "
                + "AND reason = 'BOOK_NOT_FOUND' AND detail LIKE 'no book %'", rejected)).isEqualTo(1);
    }

    @Test
    void theFirstOutcomeOfACommandIsFinal() {
        UUID command = UUID.randomUUID();
        db.inTransaction(m -> m.outcomes().recordOutcomes(List.of(CommandOutcome.applied(command, "CreateBook", UUID.randomUUID()))));

        List<UUID> recorded = db.inTransaction(m -> m.outcomes().recordOutcomes(
                List.of(CommandOutcome.rejected(command, "CreateBook", "DUPLICATE_ISBN", "later"))));

        assertThat(recorded).isEmpty();
        assertThat(count("SELECT count(*) FROM command_outcomes WHERE command_id = ? AND status = 'APPLIED'", command)).isEqualTo(1);
    }

    @Test
    void findOutcomeReadsOneBackAndIsEmptyWhilePending() {
        UUID command = UUID.randomUUID();
        UUID resource = UUID.randomUUID();
        db.inTransaction(m -> m.outcomes().recordOutcomes(List.of(CommandOutcome.applied(command, "CreateReview", resource))));

        CommandOutcome found = db.read(m -> m.outcomes().findOutcome(command)).orElseThrow();

        assertThat(found.status()).isEqualTo(OutcomeStatus.APPLIED);
        assertThat(found.type()).isEqualTo("CreateReview");
        assertThat(found.resourceId()).isEqualTo(resource);
        assertThat(found.recordedAt()).isNotNull();
        Optional<CommandOutcome> pending = db.read(m -> m.outcomes().findOutcome(UUID.randomUUID()));
        assertThat(pending).isEmpty();
    }

    @Test
    void theDatabaseRequiresAReasonExactlyWhenRejected() {
        assertThatThrownBy(() -> postgres.execute(
                "INSERT INTO command_outcomes (command_id, type, status) VALUES (gen_random_uuid(), 'CreateBook', 'REJECTED')"))
                .rootCause().hasMessageContaining("violates check constraint \"command_outcomes_rejected_reason\"");
        assertThatThrownBy(() -> db.inTransaction(m -> m.outcomes().recordOutcomes(List.of(
                new CommandOutcome(UUID.randomUUID(), "CreateBook", OutcomeStatus.APPLIED, null, null, null, null, null, null, null)))))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.constraint()).isEqualTo("command_outcomes_applied_resource"));
    }

    @Test
    void findOutcomeWithBookNamesTheBookOfABookOrOfAReview() {
        NewBook book = newBook("Reviewed");
        NewReview review = newReview(book.id(), 4);
        db.inTransaction(m -> m.books().insertBooks(List.of(book)));
        db.inTransaction(m -> m.reviews().insertReviews(List.of(review)));
        UUID rejected = UUID.randomUUID();
        db.inTransaction(m -> m.outcomes().recordOutcomes(List.of(
                CommandOutcome.applied(book.commandId(), "CreateBook", book.id()),
                CommandOutcome.applied(review.commandId(), "CreateReview", review.id()),
                CommandOutcome.rejected(rejected, "CreateReview", "BOOK_NOT_FOUND", "gone"))));

        OutcomeWithBook ofBook = db.read(m -> m.outcomes().findOutcomeWithBook(book.commandId())).orElseThrow();
        OutcomeWithBook ofReview = db.read(m -> m.outcomes().findOutcomeWithBook(review.commandId())).orElseThrow();
        OutcomeWithBook ofRejected = db.read(m -> m.outcomes().findOutcomeWithBook(rejected)).orElseThrow();

        assertThat(ofBook.bookId()).isEqualTo(book.id());
        assertThat(ofReview.bookId()).isEqualTo(book.id());
        assertThat(ofReview.resourceId()).isEqualTo(review.id());
        assertThat(ofRejected.bookId()).isNull();
        assertThat(ofRejected.reason()).isEqualTo("BOOK_NOT_FOUND");
    }
}
