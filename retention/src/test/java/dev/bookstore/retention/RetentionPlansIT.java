package dev.bookstore.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.db.Database;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * On 200,000 outcomes and 20,000 waits, with a quarter of them past the cutoff (a run in the steady state) and with
 * nearly all (the first run after a long time without retention), each batch's delete finds its rows through the
 * time index and deletes them by primary key: no sequential scan and no sort of the table, so a batch costs the same
 * however large the table grows. On a database of its own, so other tests' rows do not matter.
 */
class RetentionPlansIT {

    /** The rows span 2026-10-24 to 2026-11-02 evenly. */
    private static final Instant A_QUARTER_OLD = Instant.parse("2026-10-26T08:00:00Z");
    private static final Instant NEARLY_ALL_OLD = Instant.parse("2026-11-02T00:00:00Z");
    static Database db;

    @BeforeAll
    static void fill() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        PGSimpleDataSource owner = new PGSimpleDataSource();
        owner.setUrl(url);
        Migrations.apply(owner);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO command_outcomes (command_id, type, status, resource_id, recorded_at) "
                    + "SELECT gen_random_uuid(), 'CreateBook', 'APPLIED', gen_random_uuid(), timestamptz '2026-10-24' + i * interval '4 seconds' "
                    + "FROM generate_series(1, 200000) i");
            s.execute("INSERT INTO command_waits (command_id, awaited_id, misses, last_miss_at) "
                    + "SELECT gen_random_uuid(), gen_random_uuid(), 1, timestamptz '2026-10-24' + i * interval '40 seconds' "
                    + "FROM generate_series(1, 20000) i");
            s.execute("INSERT INTO change_events (seq, event_id, type, book_id, version, command_id, occurred_at, data) "
                    + "SELECT i, gen_random_uuid(), 'BookCreated', gen_random_uuid(), 1, gen_random_uuid(), "
                    + "timestamptz '2026-10-24' + i * interval '4 seconds', '{}' FROM generate_series(1, 200000) i");
            s.execute("VACUUM ANALYZE change_events");
            s.execute("VACUUM ANALYZE command_outcomes");
            s.execute("VACUUM ANALYZE command_waits");
        }
        PGSimpleDataSource retention = new PGSimpleDataSource();
        retention.setUrl(TestPostgres.jdbcUrlAs(url, TestPostgres.roleOf(url, "retention")));
        db = Database.pooled(retention);
    }

    @Test
    void anOutcomeBatchWalksTheRecordedAtIndexAndDeletesByPrimaryKey() {
        for (Instant cutoff : List.of(A_QUARTER_OLD, NEARLY_ALL_OLD)) {
            assertThat(plan("deleteOutcomesRecordedBefore", cutoff)).as("cutoff %s", cutoff)
                    .contains("command_outcomes_recorded_at_idx", "command_outcomes_pkey").doesNotContain("Seq Scan", "\"Sort\"");
        }
    }

    @Test
    void aWaitBatchWalksTheLastMissIndexAndDeletesByPrimaryKey() {
        for (Instant cutoff : List.of(A_QUARTER_OLD, NEARLY_ALL_OLD)) {
            assertThat(plan("deleteWaitsLastMissedBefore", cutoff)).as("cutoff %s", cutoff)
                    .contains("command_waits_last_miss_at_idx", "command_waits_pkey").doesNotContain("Seq Scan", "\"Sort\"");
        }
    }

    @Test
    void anEventBatchWalksTheOccurredAtIndexAndDeletesByPrimaryKey() {
        for (Instant cutoff : List.of(A_QUARTER_OLD, NEARLY_ALL_OLD)) {
            assertThat(plan("deleteEventsOccurredBefore", cutoff)).as("cutoff %s", cutoff)
                    .contains("change_events_occurred_at_idx", "change_events_pkey").doesNotContain("Seq Scan", "\"Sort\"");
        }
    }

    private static String plan(String statement, Instant cutoff) {
        return db.explain("dev.bookstore.mapper.RetentionMapper." + statement, Map.of("cutoff", cutoff, "limit", 1000), false);
    }
}
