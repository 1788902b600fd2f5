package dev.bookstore.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
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
