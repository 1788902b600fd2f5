package dev.bookstore.mapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.db.Database;
import dev.bookstore.domain.Book;
import dev.bookstore.domain.BookDetail;
import dev.bookstore.domain.ChangeEvent;
import dev.bookstore.domain.Miss;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.domain.OutcomeWithBook;
import dev.bookstore.domain.ReviewOfBook;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The roles V3 and V5 create, on real PostgreSQL: each can do what its functions' mapper statements need and
 * nothing else. Refusals are checked by SQLState, so a failure for another reason does not pass.
 */
class DatabaseRolesIT {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** A column of each table, for an UPDATE that would change nothing if it were allowed. */
    private static final Map<String, String> TABLES = Map.of("books", "title", "reviews", "rating", "command_outcomes", "status",
            "command_waits", "misses", "flyway_schema_history", "success");

    static TestPostgres postgres;
    static Database owner;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        owner = Database.pooled(postgres.dataSource());
    }

    @BeforeEach
    void emptyTables() {
        postgres.truncate("reviews", "books", "command_outcomes", "command_waits");
    }

    @Test
    void eachRoleHoldsExactlyItsDutysTablePrivileges() throws Exception {
        assertThat(tablePrivileges(postgres.writerRole())).isEqualTo(Map.of(
                "books", Set.of("SELECT", "INSERT", "UPDATE"),
                "reviews", Set.of("SELECT", "INSERT", "UPDATE"),
                "command_outcomes", Set.of("SELECT", "INSERT", "UPDATE"),
                "command_waits", Set.of("SELECT", "INSERT", "UPDATE"),
                "change_events", Set.of("SELECT", "INSERT"),
                "change_feed_position", Set.of("SELECT", "UPDATE")));
        assertThat(tablePrivileges(postgres.readerRole())).isEqualTo(Map.of(
                "books", Set.of("SELECT"),
                "reviews", Set.of("SELECT"),
                "command_outcomes", Set.of("SELECT"),
                "change_events", Set.of("SELECT")));
        assertThat(tablePrivileges(postgres.retentionRole())).isEqualTo(Map.of(
                "command_outcomes", Set.of("SELECT", "DELETE"),
                "command_waits", Set.of("SELECT", "DELETE"),
                "change_events", Set.of("SELECT", "DELETE")));
        // Its UPDATE is of published_at alone (a column privilege; the next test shows the other columns refused).
        assertThat(tablePrivileges(postgres.publisherRole())).isEqualTo(Map.of("change_events", Set.of("SELECT", "UPDATE")));
    }

    /** The publisher claims unpublished events (locking them) and marks them, and can change nothing else. */
    @Test
    void thePublisherClaimsAndMarksEventsAndCanChangeNothingElse() {
        postgres.truncate("change_events");
        postgres.execute("INSERT INTO change_events (seq, event_id, type, book_id, version, command_id, data) VALUES "
                + "(900001, gen_random_uuid(), 'BookCreated', gen_random_uuid(), 1, gen_random_uuid(), '{}')");
        Database publisher = Database.pooled(postgres.dataSourceAs(postgres.publisherRole()));

        int marked = publisher.inTransaction(m -> m.events().markPublished(m.events().claimUnpublished(10).stream().map(e -> e.seq()).toList()));

        assertThat(marked).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE published_at IS NULL")).isZero();
        String url = postgres.jdbcUrlAs(postgres.publisherRole());
        assertDenied(url, "UPDATE change_events SET data = data");
        assertDenied(url, "DELETE FROM change_events");
        assertDenied(url, "INSERT INTO change_events DEFAULT VALUES");
        assertDenied(url, "UPDATE change_feed_position SET last_seq = last_seq");
        for (String table : List.of("books", "reviews", "command_outcomes", "command_waits")) {
            assertDenied(url, "SELECT count(*) FROM " + table);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"writer", "reader", "retention", "publisher"})
    void eachRoleLogsInWithoutAPasswordAndHoldsNoPowerBeyondItsGrants(String duty) throws Exception {
        String role = TestPostgres.roleOf(postgres.jdbcUrl(), duty);
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrlAs(role))) {
            assertThat(single(connection, "SELECT current_user")).isEqualTo(role);
        }

        assertThat(single(postgres.jdbcUrl(), "SELECT concat_ws(',', rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,"
                + " has_schema_privilege(rolname, 'public', 'CREATE'), has_database_privilege(rolname, current_database(), 'CREATE'),"
                + " (SELECT count(*) FROM pg_auth_members WHERE member = oid)) FROM pg_roles WHERE rolname = '" + role + "'"))
                .as("superuser, createrole, createdb, replication, bypassrls, create in public, create schemas, memberships")
                .isEqualTo("f,f,f,f,f,f,f,0");
    }

    @Test
    void everyStatementTheWritersRunWorksAsTheWriter() {
        Database writer = Database.pooled(postgres.dataSourceAs(postgres.writerRole()));
        NewBook book = new NewBook(UUID.randomUUID(), UUID.randomUUID(), "Written", "A", "P", 2001, null);
        NewReview review = new NewReview(UUID.randomUUID(), UUID.randomUUID(), book.id(), "r", 4, null);
        Miss miss = new Miss(UUID.randomUUID(), UUID.randomUUID(), 1);

        writer.inTransaction(m -> m.books().insertBooks(List.of(book)));
        writer.inTransaction(m -> m.reviews().insertReviews(List.of(review)));
        writer.inTransaction(m -> m.outcomes().recordOutcomes(List.of(CommandOutcome.applied(book.commandId(), "CreateBook", book.id()))));
        writer.inTransaction(m -> m.events().appendEvents(List.of(new ChangeEvent(UUID.randomUUID(), "BookCreated", book.id(), null, 1,
                book.commandId(), "c", "{\"id\":\"" + book.id() + "\"}"))));
        List<UUID> existing = writer.read(m -> m.books().findExistingIds(Set.of(book.id(), miss.awaitedId())));
        writer.inTransaction(m -> m.outcomes().countMisses(List.of(miss)));
        List<Miss> counted = writer.inTransaction(m -> m.outcomes().countMisses(List.of(miss)));

        assertThat(existing).containsExactly(book.id());
        assertThat(counted).extracting(Miss::misses).as("the second miss goes through ON CONFLICT DO UPDATE").containsExactly(2);
        assertThat(postgres.count("SELECT count(*) FROM books WHERE id = ?", book.id())).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM reviews WHERE id = ?", review.id())).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ?", book.commandId())).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE command_id = ? AND seq = (SELECT last_seq FROM change_feed_position)",
                book.commandId())).as("the event, numbered from the feed's position").isEqualTo(1);
        assertThat(postgres.count("SELECT review_count * 10 + rating_sum FROM books WHERE id = ?", book.id()))
                .as("the writer's review moved its book's kept ratings, through the trigger").isEqualTo(14);
    }

    @Test
    void everyStatementTheQueryApiRunsWorksAsTheReader() {
        NewBook book = new NewBook(UUID.randomUUID(), UUID.randomUUID(), "Read", "A", "P", 2001, null);
        NewReview review = new NewReview(UUID.randomUUID(), UUID.randomUUID(), book.id(), "r", 4, null);
        owner.inTransaction(m -> m.books().insertBooks(List.of(book)));
        owner.inTransaction(m -> m.reviews().insertReviews(List.of(review)));
        owner.inTransaction(m -> m.outcomes().recordOutcomes(List.of(CommandOutcome.applied(review.commandId(), "CreateReview", review.id()))));
        Database reader = Database.pooled(postgres.dataSourceAs(postgres.readerRole()));

        List<Book> newest = reader.read(m -> m.books().listBooks(null, null, 5));
        List<Book> byAuthor = reader.read(m -> m.books().listBooks("A", null, 5));
        Optional<BookDetail> detail = reader.read(m -> m.books().findBookDetail(book.id()));
        List<ReviewOfBook> reviews = reader.read(m -> m.reviews().findReviewPage(book.id(), null, 5));
        Optional<OutcomeWithBook> outcome = reader.read(m -> m.outcomes().findOutcomeWithBook(review.commandId()));

        assertThat(newest).extracting(Book::id).containsExactly(book.id());
        assertThat(byAuthor).extracting(Book::id).containsExactly(book.id());
        assertThat(detail.map(BookDetail::reviewCount)).contains(1L);
        assertThat(reviews).extracting(ReviewOfBook::reviewId).containsExactly(review.id());
        assertThat(outcome.map(OutcomeWithBook::bookId)).contains(book.id());
    }

    @Test
    void everyStatementTheRetentionRunsWorksAsTheRetentionRole() {
        Instant old = Instant.parse("2020-01-01T00:00:00Z");
        UUID outcome = UUID.randomUUID();
        UUID wait = UUID.randomUUID();
        postgres.execute("INSERT INTO command_outcomes (command_id, type, status, resource_id, recorded_at) VALUES ('" + outcome
                + "', 'CreateBook', 'APPLIED', gen_random_uuid(), '" + old + "')");
        postgres.execute("INSERT INTO command_waits (command_id, awaited_id, misses, last_miss_at) VALUES ('" + wait
                + "', gen_random_uuid(), 1, '" + old + "')");
        Database retention = Database.pooled(postgres.dataSourceAs(postgres.retentionRole()));

        int outcomes = retention.inTransaction(m -> m.retention().deleteOutcomesRecordedBefore(old.plusSeconds(1), 10));
        int waits = retention.inTransaction(m -> m.retention().deleteWaitsLastMissedBefore(old.plusSeconds(1), 10));

        assertThat(outcomes).isEqualTo(1);
        assertThat(waits).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ?", outcome)).isZero();
        assertThat(postgres.count("SELECT count(*) FROM command_waits WHERE command_id = ?", wait)).isZero();
    }

    /** Nothing but reading and deleting the two tables it clears; not even a row lock, which needs UPDATE. */
    @Test
    void theRetentionRoleCanOnlyReadAndDeleteOutcomesAndWaits() {
        String retention = postgres.jdbcUrlAs(postgres.retentionRole());
        TABLES.forEach((table, column) -> {
            assertDenied(retention, "INSERT INTO " + table + " DEFAULT VALUES");
            assertDenied(retention, "UPDATE " + table + " SET " + column + " = " + column);
            assertDenied(retention, "TRUNCATE " + table);
            if (!table.equals("command_outcomes") && !table.equals("command_waits")) {
                assertDenied(retention, "SELECT count(*) FROM " + table);
                assertDenied(retention, "DELETE FROM " + table);
            }
        });
        assertDenied(retention, "SELECT command_id FROM command_outcomes LIMIT 1 FOR UPDATE SKIP LOCKED");
    }

    @Test
    void theReaderCanChangeNoTable() {
        String reader = postgres.jdbcUrlAs(postgres.readerRole());
        TABLES.forEach((table, column) -> {
            assertDenied(reader, "INSERT INTO " + table + " DEFAULT VALUES");
            assertDenied(reader, "UPDATE " + table + " SET " + column + " = " + column);
            assertDenied(reader, "DELETE FROM " + table);
            assertDenied(reader, "TRUNCATE " + table);
        });
    }

    @Test
    void theWriterUpdatesOnlyWhatAChangeMayTouchAndDeletesNothing() throws SQLException {
        String writer = postgres.jdbcUrlAs(postgres.writerRole());
        // A change sets a book's or review's fields, version and tombstone, and completes its outcome (V6)...
        for (String allowed : List.of("UPDATE books SET title = title, version = version, deleted_at = deleted_at",
                "UPDATE reviews SET rating = rating, text = text, reviewer = reviewer, field_stamps = field_stamps",
                "UPDATE command_outcomes SET status = status, found_version = found_version, changed_fields = changed_fields")) {
            try (Connection connection = DriverManager.getConnection(writer)) {
                connection.createStatement().executeUpdate(allowed);
            }
        }
        // ...and never who created them, when, or under which command: the identity and the claim stay as written. Nor a
        // book's kept ratings, which only the reviews' triggers move (V7, running as the owner).
        for (String identity : List.of("books SET review_count = 0", "books SET rating_sum = 0",
                "books SET id = id", "books SET command_id = command_id", "books SET created_at = created_at",
                "books SET issued_at = issued_at", "reviews SET book_id = book_id", "reviews SET command_id = command_id",
                "command_outcomes SET command_id = command_id", "command_outcomes SET type = type",
                "command_outcomes SET recorded_at = recorded_at", "flyway_schema_history SET success = success")) {
            assertDenied(writer, "UPDATE " + identity);
        }
        TABLES.keySet().forEach(table -> {
            assertDenied(writer, "DELETE FROM " + table);
            assertDenied(writer, "TRUNCATE " + table);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"writer", "reader", "retention", "publisher"})
    void noRoleCanChangeTheSchema(String duty) {
        String url = postgres.jdbcUrlAs(TestPostgres.roleOf(postgres.jdbcUrl(), duty));
        assertDenied(url, "CREATE TABLE public.intruder (id int)");
        assertDenied(url, "CREATE SCHEMA intruder");
        assertDenied(url, "ALTER TABLE books ADD COLUMN intruder int");
        assertDenied(url, "CREATE INDEX ON books (title)");
        assertDenied(url, "CREATE TRIGGER intruder BEFORE INSERT ON books FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()");
        assertDenied(url, "DROP TABLE reviews");
        assertDenied(url, "DROP FUNCTION isbn13_of(text)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"writer", "reader", "retention", "publisher"})
    void noRoleCanReadOrWriteTheSchemaHistory(String duty) {
        String url = postgres.jdbcUrlAs(TestPostgres.roleOf(postgres.jdbcUrl(), duty));
        assertDenied(url, "SELECT count(*) FROM flyway_schema_history");
        assertDenied(url, "INSERT INTO flyway_schema_history DEFAULT VALUES");
        assertDenied(url, "UPDATE flyway_schema_history SET success = true");
        assertDenied(url, "DELETE FROM flyway_schema_history");
    }

    @Test
    void anotherDatabaseOnTheServerGetsRolesOfItsOwnEvenWhenOneIsLeftFromBefore() throws Exception {
        String other = postgres.newDatabase();
        String otherWriter = TestPostgres.roleOf(other, "writer");
        // As if a database of the same name had been dropped and made again: its roles outlive it.
        postgres.execute("CREATE ROLE " + otherWriter + " LOGIN");
        PGSimpleDataSource otherOwner = new PGSimpleDataSource();
        otherOwner.setUrl(other);

        MigrateResult result = Migrations.apply(otherOwner);

        assertThat(result.success).isTrue();
        assertThat(single(other, "SELECT count(*) FROM pg_roles WHERE rolname IN ('" + postgres.writerRole() + "', '"
                + postgres.readerRole() + "', '" + otherWriter + "', '" + TestPostgres.roleOf(other, "reader") + "')")).isEqualTo("4");
        try (Connection connection = DriverManager.getConnection(TestPostgres.jdbcUrlAs(other, otherWriter))) {
            connection.createStatement().execute("INSERT INTO command_waits (command_id, awaited_id, misses) "
                    + "VALUES (gen_random_uuid(), gen_random_uuid(), 1)");
        }
        assertDenied(TestPostgres.jdbcUrlAs(other, postgres.writerRole()), "SELECT count(*) FROM books");
        assertDenied(TestPostgres.jdbcUrlAs(other, postgres.readerRole()), "SELECT count(*) FROM books");
        assertDenied(postgres.jdbcUrlAs(otherWriter), "SELECT count(*) FROM books");
    }

    /** What the role may do to each table of schema public, including column grants; tables with nothing left out. */
    private static Map<String, Set<String>> tablePrivileges(String role) throws SQLException {
        Map<String, Set<String>> privileges = new TreeMap<>();
        try (Connection connection = postgres.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT t.tablename, p.privilege
                       FROM pg_tables t
                      CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p (privilege)
                      WHERE t.schemaname = 'public'
                        AND CASE WHEN p.privilege IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
                                 THEN has_any_column_privilege(?, format('public.%I', t.tablename), p.privilege)
                                 ELSE has_table_privilege(?, format('public.%I', t.tablename), p.privilege) END
                     """)) {
            query.setString(1, role);
            query.setString(2, role);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    privileges.computeIfAbsent(rows.getString(1), table -> new TreeSet<>()).add(rows.getString(2));
                }
            }
        }
        return privileges;
    }

    private static void assertDenied(String url, String sql) {
        assertThatThrownBy(() -> {
            try (Connection connection = DriverManager.getConnection(url)) {
                connection.createStatement().execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(sql + " → " + e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE));
    }

    private static String single(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            return single(connection, sql);
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
