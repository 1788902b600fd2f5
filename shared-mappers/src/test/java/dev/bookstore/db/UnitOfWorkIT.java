package dev.bookstore.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.TestPostgres;
import java.sql.DriverManager;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A unit of work keeps nothing when it fails, whatever fails: a bug in the caller (a RuntimeException) or the JVM
 * (an Error) after any of a writer's statements, with the pool and with Lambda's single connection alike. The
 * writes return rows, so MyBatis sees them as reads and would otherwise close the session without a rollback,
 * and pgjdbc's return to auto-commit would commit them: a command marked applied with nothing applied.
 */
class UnitOfWorkIT {

    static TestPostgres postgres;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
    }

    static Stream<Arguments> failures() {
        Supplier<Database> pooled = () -> Database.pooled(postgres.dataSource());
        Supplier<Database> single = () -> Database.singleConnection(() -> DriverManager.getConnection(postgres.jdbcUrl()));
        Stream.Builder<Arguments> all = Stream.builder();
        for (int statements = 1; statements <= 3; statements++) {
            for (String kind : List.of("pooled", "single connection")) {
                all.add(Arguments.of(kind, kind.equals("pooled") ? pooled : single, statements, false));
                all.add(Arguments.of(kind, kind.equals("pooled") ? pooled : single, statements, true));
            }
        }
        return all.build();
    }

    @ParameterizedTest(name = "{0}, failing after {2} statement(s), an Error: {3}")
    @MethodSource("failures")
    void aFailedUnitOfWorkKeepsNothingAndTheConnectionServesTheNext(String kind, Supplier<Database> databases, int statements,
                                                                   boolean error) {
        NewBook book = new NewBook(UUID.randomUUID(), UUID.randomUUID(), "T", "A", "P", 2001, null);
        NewReview review = new NewReview(UUID.randomUUID(), UUID.randomUUID(), book.id(), "R", 4, null);
        try (Database db = databases.get()) {
            assertThatThrownBy(() -> db.inTransaction(m -> {
                m.outcomes().recordOutcomes(List.of(CommandOutcome.applied(book.commandId(), "CreateBook", book.id())));
                if (statements >= 2) {
                    m.books().insertBooks(List.of(book));
                }
                if (statements >= 3) {
                    m.reviews().insertReviews(List.of(review));
                }
                if (error) {
                    throw new AssertionError("an Error inside the transaction");
                }
                throw new IllegalStateException("a bug inside the transaction");
            })).isInstanceOf(error ? AssertionError.class : IllegalStateException.class);

            assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ?", book.commandId())).isZero();
            assertThat(postgres.count("SELECT count(*) FROM books WHERE id = ?", book.id())).isZero();
            assertThat(postgres.count("SELECT count(*) FROM reviews WHERE id = ?", review.id())).isZero();

            db.inTransaction(m -> m.books().insertBooks(List.of(book)));
            assertThat(postgres.count("SELECT count(*) FROM books WHERE id = ?", book.id())).isOne();
            assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ?", book.commandId())).isZero();
        }
    }
}
