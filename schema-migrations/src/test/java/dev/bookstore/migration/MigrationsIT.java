package dev.bookstore.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class MigrationsIT {

    @Test
    void migrationsApplyToAnEmptyDatabaseAndAreANoOpTheSecondTime() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);

        MigrateResult first = Migrations.apply(dataSource);
        MigrateResult second = Migrations.apply(dataSource);

        assertThat(first.migrationsExecuted).isPositive();
        assertThat(first.success).isTrue();
        assertThat(second.migrationsExecuted).isZero();
        assertThat(second.targetSchemaVersion).isNull();
        assertThat(tables(url)).contains("books", "reviews", "command_outcomes");
    }

    /** V7 fills the kept ratings of the books a database already has, counting only their living reviews. */
    @Test
    void theRatingsKeptOnBooksStartFromTheReviewsAlreadyStored() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        Flyway.configure().dataSource(dataSource).locations(Migrations.LOCATION).target("6").load().migrate();
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("""
                    INSERT INTO books (id, command_id, title, author, publisher, year) VALUES
                        ('00000000-0000-0000-0000-00000000000a', gen_random_uuid(), 'Reviewed', 'A', 'P', 2001),
                        ('00000000-0000-0000-0000-00000000000b', gen_random_uuid(), 'Unreviewed', 'A', 'P', 2001);
                    INSERT INTO reviews (id, command_id, book_id, reviewer, rating, deleted_at) VALUES
                        (gen_random_uuid(), gen_random_uuid(), '00000000-0000-0000-0000-00000000000a', 'r', 5, NULL),
                        (gen_random_uuid(), gen_random_uuid(), '00000000-0000-0000-0000-00000000000a', 'r', 2, NULL),
                        (gen_random_uuid(), gen_random_uuid(), '00000000-0000-0000-0000-00000000000a', NULL, 1, now())""");
        }

        Migrations.apply(dataSource);

        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("SELECT string_agg(title || ' ' || review_count || ' ' || rating_sum, ', ' ORDER BY title) FROM books")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("Reviewed 2 7, Unreviewed 0 0");
        }
    }

    private static List<String> tables(String url) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
