package dev.bookstore.mapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.db.InvalidValueException;
import dev.bookstore.db.MissingBookException;
import dev.bookstore.domain.Miss;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.domain.ReviewOfBook;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReviewMapperIT extends MapperTestSupport {

    private NewBook book;

    @BeforeEach
    void storeABook() {
        book = newBook("Kindred");
        db.inTransaction(m -> m.books().insertBooks(List.of(book)));
    }

    @Test
    void insertReviewsWritesEachRowOnceAndReportsNothingTheSecondTime() {
        List<NewReview> batch = List.of(newReview(book.id(), 5), newReview(book.id(), 3));

        int first = db.inTransaction(m -> m.reviews().insertReviews(batch));
        int second = db.inTransaction(m -> m.reviews().insertReviews(batch));

        assertThat(first).isEqualTo(2);
        assertThat(second).isZero();
        assertThat(count("SELECT count(*) FROM reviews WHERE book_id = ?", book.id())).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM reviews WHERE id = ? AND rating = 5 AND reviewer = 'reader'",
                batch.get(0).id())).isEqualTo(1);
    }

    @Test
    void aReviewOfAMissingBookIsADistinctError() {
        NewReview orphan = newReview(UUID.randomUUID(), 4);

        assertThatThrownBy(() -> db.inTransaction(m -> m.reviews().insertReviews(List.of(orphan))))
                .isInstanceOf(MissingBookException.class);
        assertThat(count("SELECT count(*) FROM reviews")).isZero();
    }

    @Test
    void anInvalidRatingIsADistinctErrorNamingItsRule() {
        NewReview nine = newReview(book.id(), 9);

        assertThatThrownBy(() -> db.inTransaction(m -> m.reviews().insertReviews(List.of(nine))))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.constraint()).isEqualTo("reviews_rating_range"));
        assertThat(count("SELECT count(*) FROM reviews")).isZero();
    }

    @Test
    void reviewTextMaySpanLinesButHoldsNoOtherControlCharacters() {
        NewReview multiline = new NewReview(UUID.randomUUID(), UUID.randomUUID(), book.id(), "r", 4, "line one\nline two\ttabbed");
        NewReview bell = new NewReview(UUID.randomUUID(), UUID.randomUUID(), book.id(), "r", 4, "ding\u0007");

        db.inTransaction(m -> m.reviews().insertReviews(List.of(multiline)));

        assertThatThrownBy(() -> db.inTransaction(m -> m.reviews().insertReviews(List.of(bell))))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.constraint()).isEqualTo("reviews_text_text"));
        assertThat(count("SELECT count(*) FROM reviews")).isEqualTo(1);
    }

    @Test
    void aRefusedReviewsMessageNamesItsRuleButNeverQuotesTheRow() {
        NewReview refused = new NewReview(UUID.randomUUID(), UUID.randomUUID(), book.id(), "Jane Private", 4, "my address is 1 Elm St\u0007");

        assertThatThrownBy(() -> db.inTransaction(m -> m.reviews().insertReviews(List.of(refused))))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("reviews_text_text")
                .hasMessageNotContaining("Jane Private")
                .hasMessageNotContaining("1 Elm St");
    }

    @Test
    void findReviewPageTellsAnUnknownBookFromOneWithoutReviewsInOneQuery() {
        NewBook empty = newBook("Empty");
        db.inTransaction(m -> m.books().insertBooks(List.of(empty)));
        NewReview first = newReview(book.id(), 2);
        NewReview second = newReview(book.id(), 5);
        db.inTransaction(m -> m.reviews().insertReviews(List.of(first)));
        db.inTransaction(m -> m.reviews().insertReviews(List.of(second)));

        List<ReviewOfBook> unknown = db.read(m -> m.reviews().findReviewPage(UUID.randomUUID(), null, 10));
        List<ReviewOfBook> none = db.read(m -> m.reviews().findReviewPage(empty.id(), null, 10));
        List<ReviewOfBook> page = db.read(m -> m.reviews().findReviewPage(book.id(), null, 1));
        List<ReviewOfBook> rest = db.read(m -> m.reviews().findReviewPage(book.id(), page.get(0).review().keyset(), 10));
        List<ReviewOfBook> beyond = db.read(m -> m.reviews().findReviewPage(book.id(), rest.get(0).review().keyset(), 10));

        assertThat(unknown).isEmpty();
        assertThat(none).singleElement().satisfies(row -> assertThat(row.isReview()).isFalse());
        assertThat(page).extracting(ReviewOfBook::reviewId).containsExactly(second.id());
        assertThat(rest).extracting(ReviewOfBook::reviewId).containsExactly(first.id());
        assertThat(rest.get(0).rating()).isEqualTo(2);
        assertThat(beyond).singleElement().satisfies(row -> assertThat(row.isReview()).isFalse());
    }

    @Test
    void countMissesCountsEachCommandsMissesSeparately() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID missingBook = UUID.randomUUID();

        db.inTransaction(m -> m.outcomes().countMisses(List.of(new Miss(first, missingBook, 0))));
        List<Miss> counted = db.inTransaction(m -> m.outcomes().countMisses(List.of(
                new Miss(first, missingBook, 0), new Miss(second, missingBook, 0))));

        assertThat(counted).extracting(Miss::commandId, Miss::misses).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(first, 2), org.assertj.core.groups.Tuple.tuple(second, 1));
        assertThat(count("SELECT misses FROM command_waits WHERE command_id = ?", first)).isEqualTo(2);
    }
}
