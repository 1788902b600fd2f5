package dev.bookstore.mapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.db.DuplicateIdException;
import dev.bookstore.db.DuplicateIsbnException;
import dev.bookstore.db.InvalidValueException;
import dev.bookstore.domain.Book;
import dev.bookstore.domain.BookDetail;
import dev.bookstore.domain.NewBook;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BookMapperIT extends MapperTestSupport {

    @Test
    void insertBooksWritesEachRowAndCountsThem() {
        NewBook first = newBook("The Left Hand of Darkness", "Ursula K. Le Guin", "9780441478125");
        NewBook second = newBook("The Dispossessed");

        int inserted = db.inTransaction(m -> m.books().insertBooks(List.of(first, second)));

        assertThat(inserted).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM books WHERE id = ? AND command_id = ? AND isbn = '9780441478125'",
                first.id(), first.commandId())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM books")).isEqualTo(2);
    }

    @Test
    void theSameBatchInsertedTwiceWritesEachRowOnceAndReportsNothingTheSecondTime() {
        List<NewBook> batch = List.of(newBook("A"), newBook("B"), newBook("C"));
        db.inTransaction(m -> m.books().insertBooks(batch));

        int again = db.inTransaction(m -> m.books().insertBooks(batch));

        assertThat(again).isZero();
        assertThat(count("SELECT count(*) FROM books")).isEqualTo(3);
    }

    @Test
    void theSameCommandTwiceInOneBatchWritesOneRow() {
        NewBook book = newBook("Once");

        int inserted = db.inTransaction(m -> m.books().insertBooks(List.of(book, book)));

        assertThat(inserted).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM books WHERE command_id = ?", book.commandId())).isEqualTo(1);
    }

    @Test
    void aDuplicateIsbnIsADistinctErrorAndWritesNothing() {
        db.inTransaction(m -> m.books().insertBooks(List.of(newBook("First", "A", "9780306406157"))));

        assertThatThrownBy(() -> db.inTransaction(m -> m.books().insertBooks(
                List.of(newBook("Unrelated"), newBook("Second", "B", "9780306406157")))))
                .isInstanceOf(DuplicateIsbnException.class)
                .hasMessageContaining("9780306406157");
        assertThat(count("SELECT count(*) FROM books")).isEqualTo(1);
    }

    @Test
    void anotherCommandForAnExistingBookIdIsADistinctError() {
        NewBook first = newBook("First");
        db.inTransaction(m -> m.books().insertBooks(List.of(first)));
        NewBook sameId = new NewBook(first.id(), UUID.randomUUID(), "Other", "B", "P", 2001, null);

        assertThatThrownBy(() -> db.inTransaction(m -> m.books().insertBooks(List.of(sameId))))
                .isInstanceOfSatisfying(DuplicateIdException.class, e -> assertThat(e.constraint()).isEqualTo("books_pkey"));
    }

    @Test
    void theIsbn10AndIsbn13OfOneEditionCollide() {
        db.inTransaction(m -> m.books().insertBooks(List.of(newBook("First", "A", "0306406152"))));

        assertThatThrownBy(() -> db.inTransaction(m -> m.books().insertBooks(List.of(newBook("Again", "B", "9780306406157")))))
                .isInstanceOf(DuplicateIsbnException.class);
    }

    @Test
    void eachRuleTheApiChecksIsEnforcedByTheDatabaseTooAndNamesItsConstraint() {
        Map<String, NewBook> byRule = new LinkedHashMap<>();
        byRule.put("books_year_range", new NewBook(UUID.randomUUID(), UUID.randomUUID(), "Old", "A", "P", 1200, null));
        byRule.put("books_title_text", new NewBook(UUID.randomUUID(), UUID.randomUUID(), "   ", "A", "P", 2000, null));
        byRule.put("books_author_text", new NewBook(UUID.randomUUID(), UUID.randomUUID(), "T", "Bell\u0007", "P", 2000, null));
        byRule.put("books_publisher_text", new NewBook(UUID.randomUUID(), UUID.randomUUID(), "T", "A", "", 2000, null));
        byRule.put("books_isbn_valid", new NewBook(UUID.randomUUID(), UUID.randomUUID(), "T", "A", "P", 2000, "9780306406158"));
        byRule.put("22001", new NewBook(UUID.randomUUID(), UUID.randomUUID(), "x".repeat(201), "A", "P", 2000, null));

        byRule.forEach((rule, book) -> assertThatThrownBy(() -> db.inTransaction(m -> m.books().insertBooks(List.of(book))))
                .as(rule)
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.constraint()).isEqualTo(rule)));
        assertThat(count("SELECT count(*) FROM books")).isZero();
    }

    @Test
    void findBookDetailAggregatesNoOneAndManyReviews() {
        NewBook none = newBook("None");
        NewBook one = newBook("One");
        NewBook many = newBook("Many");
        db.inTransaction(m -> m.books().insertBooks(List.of(none, one, many)));
        db.inTransaction(m -> m.reviews().insertReviews(List.of(
                newReview(one.id(), 4), newReview(many.id(), 5), newReview(many.id(), 4), newReview(many.id(), 4))));

        BookDetail withNone = db.read(m -> m.books().findBookDetail(none.id())).orElseThrow();
        BookDetail withOne = db.read(m -> m.books().findBookDetail(one.id())).orElseThrow();
        BookDetail withMany = db.read(m -> m.books().findBookDetail(many.id())).orElseThrow();

        assertThat(withNone.reviewCount()).isZero();
        assertThat(withNone.averageRating()).isNull();
        assertThat(withOne.reviewCount()).isEqualTo(1);
        assertThat(withOne.averageRating()).isEqualByComparingTo("4");
        assertThat(withMany.reviewCount()).isEqualTo(3);
        assertThat(withMany.averageRating()).isEqualTo(new BigDecimal("4.33"));
        assertThat(withMany.title()).isEqualTo("Many");
        assertThat(withMany.createdAt()).isNotNull();
    }

    @Test
    void findBookDetailOfAnUnknownIdIsEmpty() {
        Optional<BookDetail> missing = db.read(m -> m.books().findBookDetail(UUID.randomUUID()));

        assertThat(missing).isEmpty();
    }

    @Test
    void listBooksPagesNewestFirstWithoutGapsOrRepeats() {
        List<NewBook> books = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            books.add(newBook("Book " + i));
        }
        // Three transactions, so created_at differs between some rows and ties within others.
        db.inTransaction(m -> m.books().insertBooks(books.subList(0, 10)));
        db.inTransaction(m -> m.books().insertBooks(books.subList(10, 20)));
        db.inTransaction(m -> m.books().insertBooks(books.subList(20, 25)));

        List<Book> seen = new ArrayList<>();
        List<Book> page = db.read(m -> m.books().listBooks(null, null, 7));
        while (!page.isEmpty()) {
            seen.addAll(page);
            var after = page.get(page.size() - 1).keyset();
            page = db.read(m -> m.books().listBooks(null, after, 7));
        }

        assertThat(seen).extracting(Book::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(books.stream().map(NewBook::id).toList());
        assertThat(seen).isSortedAccordingTo(Comparator.comparing(Book::createdAt).reversed());
        assertThat(seen.subList(0, 5)).extracting(Book::id)
                .containsExactlyInAnyOrderElementsOf(books.subList(20, 25).stream().map(NewBook::id).toList());
    }

    @Test
    void listBooksOfOneAuthorReturnsOnlyTheirs() {
        db.inTransaction(m -> m.books().insertBooks(List.of(
                newBook("A1", "Octavia E. Butler", null), newBook("B1", "Someone Else", null), newBook("A2", "Octavia E. Butler", null))));

        List<Book> theirs = db.read(m -> m.books().listBooks("Octavia E. Butler", null, 10));
        List<Book> firstOnly = db.read(m -> m.books().listBooks("Octavia E. Butler", null, 1));
        List<Book> rest = db.read(m -> m.books().listBooks("Octavia E. Butler", firstOnly.get(0).keyset(), 10));

        assertThat(theirs).extracting(Book::title).containsExactlyInAnyOrder("A1", "A2");
        assertThat(rest).hasSize(1).extracting(Book::id).doesNotContain(firstOnly.get(0).id());
    }

    @Test
    void findExistingIdsTellsWhichBooksAreStored() {
        NewBook stored = newBook("Stored");
        db.inTransaction(m -> m.books().insertBooks(List.of(stored)));
        UUID unknown = UUID.randomUUID();

        List<UUID> existing = db.read(m -> m.books().findExistingIds(Set.of(stored.id(), unknown)));
        List<UUID> none = db.read(m -> m.books().findExistingIds(Set.of()));

        assertThat(existing).containsExactly(stored.id());
        assertThat(none).isEmpty();
    }
}
