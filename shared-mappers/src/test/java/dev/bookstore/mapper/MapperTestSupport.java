package dev.bookstore.mapper;

import dev.bookstore.db.Database;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.TestPostgres;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Real PostgreSQL, migrated once per JVM, emptied before each test; effects are read back with plain JDBC. */
abstract class MapperTestSupport {

    static TestPostgres postgres;
    static Database db;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        db = Database.pooled(postgres.dataSource());
    }

    @BeforeEach
    void emptyTables() {
        postgres.truncate("reviews", "books", "command_outcomes", "command_waits");
    }

    static NewBook newBook(String title) {
        return new NewBook(UUID.randomUUID(), UUID.randomUUID(), title, "Ursula K. Le Guin", "Ace", 1969, null);
    }

    static NewBook newBook(String title, String author, String isbn) {
        return new NewBook(UUID.randomUUID(), UUID.randomUUID(), title, author, "Ace", 1969, isbn);
    }

    static NewReview newReview(UUID bookId, int rating) {
        return new NewReview(UUID.randomUUID(), UUID.randomUUID(), bookId, "reader", rating, "worth it");
    }

    /** A single number from plain JDBC, not through the mapper under test. */
    static long count(String sql, Object... params) {
        return postgres.count(sql, params);
    }
}
