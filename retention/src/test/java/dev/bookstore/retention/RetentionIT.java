package dev.bookstore.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.db.Database;
import dev.bookstore.migration.Migrations;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import dev.bookstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The retention job on real PostgreSQL, connected as the retention role the function uses. */
class RetentionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(30);
    private static final Instant CUTOFF = NOW.minus(WINDOW);
    private static final LongSupplier PLENTY_OF_TIME = () -> 600_000;

    static TestPostgres postgres;
    static Database asRetentionRole;

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
        asRetentionRole = Database.pooled(postgres.dataSourceAs(postgres.retentionRole()));
    }

    @BeforeEach
    void emptyTables() {
        postgres.truncate("command_outcomes", "command_waits", "change_events");
    }

    private Retention retention(int batchSize, Duration reserve) {
        PrintStream out = new PrintStream(logs, true, StandardCharsets.UTF_8);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new Retention(asRetentionRole, new RetentionSettings(WINDOW, batchSize), reserve, clock,
                new LogLine("retention", out, clock), new Metrics("retention", out, clock));
    }

    @Test
    void aRowOutsideTheWindowGoesAndOneAtItsEdgeOrInsideStays() throws Exception {
        UUID outside = outcome(CUTOFF.minusSeconds(1));
        UUID atTheEdge = outcome(CUTOFF);
        UUID justInside = outcome(CUTOFF.plusSeconds(1));
        UUID fresh = outcome(NOW.minus(Duration.ofDays(1)));
        UUID waitOutside = waitLastMissed(CUTOFF.minusSeconds(1));
        UUID waitAtTheEdge = waitLastMissed(CUTOFF);
        UUID waitJustInside = waitLastMissed(CUTOFF.plusSeconds(1));
        events(1, CUTOFF.minusSeconds(1).plusMillis(1));
        events(1, CUTOFF.plusMillis(1));
        events(1, CUTOFF.plusSeconds(1).plusMillis(1));

        RetentionRun run = retention(1000, Duration.ofSeconds(1)).run(PLENTY_OF_TIME);

        assertThat(run.cutoff()).isEqualTo(CUTOFF);
        assertThat(run.outcomesDeleted()).isEqualTo(1);
        assertThat(run.waitsDeleted()).isEqualTo(1);
        assertThat(run.eventsDeleted()).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE occurred_at >= ?", java.sql.Timestamp.from(CUTOFF)))
                .as("the event at the edge and the one inside").isEqualTo(2);
        assertThat(run.finished()).isTrue();
        assertThat(outcomesLeft()).containsExactlyInAnyOrder(atTheEdge, justInside, fresh).doesNotContain(outside);
        assertThat(waitsLeft()).containsExactlyInAnyOrder(waitAtTheEdge, waitJustInside).doesNotContain(waitOutside);
    }

    /**
     * A statement-level trigger (the owner's, for the test only) records each DELETE's rows and transaction: no
     * statement may delete more than the batch size, and each must be a transaction of its own.
     */
    @Test
    void eachBatchDeletesAtMostTheBatchSizeInATransactionOfItsOwn() throws Exception {
        outcomes(2500, CUTOFF.minus(Duration.ofDays(3)));
        waits(1200, CUTOFF.minus(Duration.ofDays(3)));
        events(1500, CUTOFF.minus(Duration.ofDays(3)));
        outcomes(50, NOW);
        try (Connection owner = postgres.dataSource().getConnection(); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE retention_test_batches (tab text, deleted int, xid bigint)");
            s.execute("CREATE FUNCTION retention_test_log() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN "
                    + "INSERT INTO retention_test_batches SELECT TG_TABLE_NAME, count(*), txid_current() FROM gone; RETURN NULL; END $$");
            for (String table : List.of("command_outcomes", "command_waits", "change_events")) {
                s.execute("CREATE TRIGGER retention_test_log AFTER DELETE ON " + table
                        + " REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION retention_test_log()");
            }
            try {
                RetentionRun run = retention(1000, Duration.ofSeconds(1)).run(PLENTY_OF_TIME);

                assertThat(run.outcomesDeleted()).isEqualTo(2500);
                assertThat(run.waitsDeleted()).isEqualTo(1200);
                assertThat(run.eventsDeleted()).isEqualTo(1500);
                assertThat(run.batches()).isEqualTo(3 + 2 + 2);
                assertThat(single(s, "SELECT max(deleted) FROM retention_test_batches")).as("the largest batch").isEqualTo(1000);
                assertThat(single(s, "SELECT count(*) FROM retention_test_batches WHERE deleted > 0")).isEqualTo(7);
                assertThat(single(s, "SELECT count(DISTINCT xid) FROM retention_test_batches")).as("transactions")
                        .isEqualTo(single(s, "SELECT count(*) FROM retention_test_batches"));
                assertThat(single(s, "SELECT sum(deleted) FROM retention_test_batches WHERE tab = 'command_outcomes'")).isEqualTo(2500);
                assertThat(outcomesLeft()).hasSize(50);
            } finally {
                for (String table : List.of("command_outcomes", "command_waits", "change_events")) {
                    s.execute("DROP TRIGGER retention_test_log ON " + table);
                }
                s.execute("DROP FUNCTION retention_test_log()");
                s.execute("DROP TABLE retention_test_batches");
            }
        }
    }

    @Test
    void aRunStopsWhenItsTimeRunsShortAndTheNextTakesUpTheRest() throws Exception {
        outcomes(300, CUTOFF.minus(Duration.ofDays(1)));
        // The time left before each batch: enough for the first outcome batch and the (empty) wait batch, then too little.
        Queue<Long> remaining = new ArrayDeque<>(List.of(60_000L, 60_000L, 900L, 900L));

        RetentionRun stopped = retention(100, Duration.ofSeconds(1)).run(remaining::remove);

        assertThat(stopped.finished()).isFalse();
        assertThat(stopped.batches()).isEqualTo(2);
        assertThat(stopped.outcomesDeleted()).isEqualTo(100);
        assertThat(outcomesLeft()).hasSize(200);
        assertThat(lastLogLine().path("level").asText()).isEqualTo("WARN");
        assertThat(lastLogLine().path("finished").asBoolean(true)).isFalse();

        RetentionRun next = retention(100, Duration.ofSeconds(1)).run(PLENTY_OF_TIME);

        assertThat(next.finished()).isTrue();
        assertThat(next.outcomesDeleted()).isEqualTo(200);
        assertThat(outcomesLeft()).isEmpty();
    }

    @Test
    void withLessTimeLeftThanItsReserveARunDeletesNothing() throws Exception {
        outcomes(10, CUTOFF.minus(Duration.ofDays(1)));

        RetentionRun run = retention(100, Duration.ofSeconds(26)).run(() -> 25_000);

        assertThat(run.batches()).isZero();
        assertThat(run.finished()).isFalse();
        assertThat(outcomesLeft()).hasSize(10);
    }

    @Test
    void eachRunLogsOneJsonLineWithWhatItDeletedPerTableItsBatchesAndItsDuration() throws Exception {
        outcomes(5, CUTOFF.minus(Duration.ofDays(1)));
        waits(2, CUTOFF.minus(Duration.ofDays(1)));
        events(3, CUTOFF.minus(Duration.ofDays(1)));

        retention(1000, Duration.ofSeconds(1)).run(PLENTY_OF_TIME);

        List<JsonNode> lines = logLines();
        assertThat(lines).filteredOn(l -> !l.has("_aws")).hasSize(1);
        JsonNode line = lines.stream().filter(l -> !l.has("_aws")).findFirst().orElseThrow();
        assertThat(line.path("message").asText()).isEqualTo("retention run");
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("cutoff").asText()).isEqualTo(CUTOFF.toString());
        assertThat(line.path("windowDays").asInt()).isEqualTo(30);
        assertThat(line.path("outcomesDeleted").asLong()).isEqualTo(5);
        assertThat(line.path("waitsDeleted").asLong()).isEqualTo(2);
        assertThat(line.path("eventsDeleted").asLong()).isEqualTo(3);
        assertThat(line.path("batches").asInt()).isEqualTo(3);
        assertThat(line.path("durationMs").isNumber()).isTrue();
        assertThat(line.path("longestBatchMs").isNumber()).isTrue();
        assertThat(line.path("finished").asBoolean()).isTrue();
        JsonNode metrics = lines.stream().filter(l -> l.has("_aws")).findFirst().orElseThrow();
        assertThat(metrics.path("OutcomesDeleted").asLong()).isEqualTo(5);
        assertThat(metrics.path("EventsDeleted").asLong()).isEqualTo(3);
        assertThat(metrics.path("Unfinished").asLong()).isZero();
    }

    /**
     * A writer counting a miss on an old wait holds its row while the batch that would delete it waits: once the writer
     * commits, the wait is recent again, and the batch must keep it. It is judged on the row it would delete, not on
     * what its inner select saw before it waited.
     */
    @Test
    void aWaitCountedAgainWhileItsDeletionWaitsForTheWriterIsKept() throws Exception {
        UUID wait = waitLastMissed(CUTOFF.minus(Duration.ofDays(1)));
        try (Connection writer = DriverManager.getConnection(postgres.jdbcUrlAs(postgres.writerRole()))) {
            writer.setAutoCommit(false);
            try (Statement s = writer.createStatement()) {
                s.executeUpdate("UPDATE command_waits SET misses = misses + 1, last_miss_at = '" + NOW + "' WHERE command_id = '" + wait + "'");
            }
            CompletableFuture<RetentionRun> run = CompletableFuture.supplyAsync(() -> retention(1000, Duration.ofSeconds(1)).run(PLENTY_OF_TIME));
            await().atMost(Duration.ofSeconds(10)).until(() -> postgres.count(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM command_waits%'") == 1);
            writer.commit();

            assertThat(run.get(10, TimeUnit.SECONDS).waitsDeleted()).isZero();
        }
        assertThat(waitsLeft()).containsExactly(wait);
    }

    private static UUID outcome(Instant recordedAt) {
        UUID id = UUID.randomUUID();
        postgres.execute("INSERT INTO command_outcomes (command_id, type, status, resource_id, recorded_at) VALUES ('" + id
                + "', 'CreateBook', 'APPLIED', gen_random_uuid(), '" + recordedAt + "')");
        return id;
    }

    private static void outcomes(int count, Instant recordedAt) {
        postgres.execute("INSERT INTO command_outcomes (command_id, type, status, resource_id, recorded_at) SELECT gen_random_uuid(), "
                + "'CreateBook', 'APPLIED', gen_random_uuid(), timestamptz '" + recordedAt + "' - i * interval '1 millisecond' "
                + "FROM generate_series(1, " + count + ") i");
    }

    /** Change events committed at {@code at} and the milliseconds before it, numbered after the last. */
    private static void events(int count, Instant at) {
        postgres.execute("INSERT INTO change_events (seq, event_id, type, book_id, version, command_id, occurred_at, data) SELECT "
                + "(SELECT coalesce(max(seq), 0) FROM change_events) + i, gen_random_uuid(), 'BookCreated', gen_random_uuid(), 1, "
                + "gen_random_uuid(), timestamptz '" + at + "' - i * interval '1 millisecond', '{}' FROM generate_series(1, " + count + ") i");
    }

    private static UUID waitLastMissed(Instant at) {
        UUID id = UUID.randomUUID();
        postgres.execute("INSERT INTO command_waits (command_id, awaited_id, misses, last_miss_at) VALUES ('" + id
                + "', gen_random_uuid(), 1, '" + at + "')");
        return id;
    }

    private static void waits(int count, Instant at) {
        postgres.execute("INSERT INTO command_waits (command_id, awaited_id, misses, last_miss_at) SELECT gen_random_uuid(), "
                + "gen_random_uuid(), 1, timestamptz '" + at + "' - i * interval '1 millisecond' FROM generate_series(1, " + count + ") i");
    }

    private static List<UUID> outcomesLeft() throws Exception {
        return ids("SELECT command_id FROM command_outcomes");
    }

    private static List<UUID> waitsLeft() throws Exception {
        return ids("SELECT command_id FROM command_waits");
    }

    private static List<UUID> ids(String sql) throws Exception {
        List<UUID> ids = new java.util.ArrayList<>();
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private static long single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<JsonNode> logLines() throws Exception {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private JsonNode lastLogLine() throws Exception {
        List<JsonNode> lines = logLines().stream().filter(l -> !l.has("_aws")).toList();
        return lines.get(lines.size() - 1);
    }
}
