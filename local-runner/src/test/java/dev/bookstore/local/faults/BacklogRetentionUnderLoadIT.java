package dev.bookstore.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.local.Http;
import dev.bookstore.local.LocalStack;
import dev.bookstore.local.RunnerOptions;
import dev.bookstore.local.lambda.LocalFunction;
import dev.bookstore.local.lambda.ScheduleEventSource;
import dev.bookstore.local.lambda.SqsEventSource;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The retention run the schedule starts, on a backlog of 100,000 outcomes and 5,000 review waits past the window,
 * while clients keep submitting books and reviews through the API and the writers apply them: every old row goes,
 * every row inside the window stays, every accepted command still has its outcome (applied once), and no writer
 * batch comes near the writers' timeout. The figures go to the test's output.
 */
class BacklogRetentionUnderLoadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OLD_OUTCOMES = 100_000;
    private static final int OLD_WAITS = 5_000;
    private static final int RECENT_OUTCOMES = 10_000;
    private static final int RECENT_WAITS = 1_000;

    @Test
    void a100000RowBacklogIsDeletedWhileWritersRunAndNoWriterBatchSlowsPastItsTimeout() throws Exception {
        // While the stack runs, System.out is the functions' log, as stdout is on Lambda; the figures go to the test's own.
        PrintStream console = System.out;
        Path data = Files.createTempDirectory("bookstore-retention-load");
        Path functionLog = data.resolve("functions.jsonl");
        try (LocalStack stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml"))
                .withFunctionLogs(functionLog), new PrintStream(OutputStream.nullOutputStream()))) {
            seed(stack);
            Set<String> recentSeeded = ids(stack, "SELECT command_id FROM command_outcomes WHERE detail = 'seeded inside the window'");
            Ledger ledger = new Ledger();
            Workload workload = new Workload(new Http(stack.apiUrl()), ledger);
            ExecutorService load = Executors.newFixedThreadPool(2);
            Future<?> clients = load.submit(() -> {
                workload.run(2000, 0.5, 0.1, 8, 14);
                return null;
            });
            // And a steady client that keeps sending until the run is over, so the two overlap whatever the machine's speed.
            AtomicBoolean runOver = new AtomicBoolean();
            Future<?> steady = load.submit(() -> {
                for (long seed = 1_000; !runOver.get(); seed += 20) {
                    workload.run(20, 0.5, 0.1, 2, seed);
                }
                return null;
            });
            // The run starts once the clients are well under way, with most of their commands still to send.
            await().atMost(Duration.ofMinutes(1)).until(() -> ledger.acceptances() >= 300);

            ScheduleEventSource schedule = stack.schedules().stream().filter(s -> s.function().spec().logicalId().equals("Retention"))
                    .findFirst().orElseThrow();
            int acceptedBefore = ledger.acceptances();
            Instant runStarted = Instant.now();
            LocalFunction.Invocation run = schedule.fire();
            Instant runEnded = Instant.now();
            int acceptedDuring = ledger.acceptances() - acceptedBefore;
            runOver.set(true);
            clients.get();
            steady.get();
            load.shutdown();
            FaultSuiteIT.drain(stack);

            assertThat(run.failed()).as(run.errorType() + ": " + run.errorMessage()).isFalse();
            JsonNode report = lines(functionLog).stream().filter(l -> "retention run".equals(l.path("message").asText())).findFirst().orElseThrow();
            int writerTimeoutMs = stack.template().functions().get("BookWriter").timeoutSeconds() * 1000;
            List<JsonNode> batches = lines(functionLog).stream().filter(l -> "batch written".equals(l.path("message").asText())).toList();
            List<Double> all = latencies(batches, null, null);
            List<Double> during = latencies(batches, runStarted, runEnded);
            Tally tally = Tally.of("retention under load", stack, ledger, recentSeeded, new java.util.HashMap<>());

            console.printf("Retention under load: deleted %d outcomes and %d waits in %d batches (longest %.1f ms) in a run of %.0f ms"
                            + " (%d ms as the test saw it), finished=%s%n", report.path("outcomesDeleted").asLong(), report.path("waitsDeleted").asLong(),
                    report.path("batches").asInt(), report.path("longestBatchMs").asDouble(), report.path("durationMs").asDouble(),
                    Duration.between(runStarted, runEnded).toMillis(), report.path("finished").asBoolean());
            console.printf("  writer batches during the run: %d, max %.1f ms, p99 %.1f ms; over the whole load: %d, max %.1f ms, p99 %.1f ms"
                            + " (timeout %d ms)%n", during.size(), max(during), p99(during), all.size(), max(all), p99(all), writerTimeoutMs);
            console.println("  commands accepted while the run ran: " + acceptedDuring + "; " + tally);

            assertThat(report.path("finished").asBoolean()).isTrue();
            assertThat(report.path("outcomesDeleted").asLong()).isEqualTo(OLD_OUTCOMES);
            assertThat(report.path("waitsDeleted").asLong()).isEqualTo(OLD_WAITS);
            assertThat(count(stack, "SELECT count(*) FROM command_outcomes WHERE detail = 'seeded past the window'")).isZero();
            assertThat(count(stack, "SELECT count(*) FROM command_waits WHERE misses = 9")).isZero();
            assertThat(count(stack, "SELECT count(*) FROM command_outcomes WHERE detail = 'seeded inside the window'")).isEqualTo(RECENT_OUTCOMES);
            assertThat(count(stack, "SELECT count(*) FROM command_waits WHERE misses = 8")).isEqualTo(RECENT_WAITS);

            assertThat(acceptedDuring).as("commands the API accepted while the run ran").isPositive();
            // Writers at work while the run ran. Batches take up to 100 messages now (template.yaml), so fewer of them end in
            // the same time than the 10 this asked for when they took 10; three show the overlap as well.
            assertThat(during).as("writer batches that ended while the retention ran").hasSizeGreaterThanOrEqualTo(3);
            assertThat(max(all)).as("the slowest writer batch, ms").isLessThan(writerTimeoutMs);
            assertThat(stack.eventSources()).extracting(SqsEventSource::failedBatches).as("writer invocations that failed or timed out")
                    .containsOnly(0L);

            assertThat(tally.applied()).as(tally.toString()).isEqualTo(tally.commands());
            assertThat(tally.lost()).isZero();
            assertThat(tally.duplicated()).isZero();
            assertThat(tally.unaccounted()).isZero();
            assertThat(tally.eventFaults()).as(tally.toString()).isEmpty();
            assertThat(stack.contractViolations()).as("exchanges that broke openapi.yaml").isEmpty();
        }
    }

    /**
     * Past the window: outcomes recorded 31 to 60 days ago, waits last counted as long ago (9 misses, to find them).
     * Inside it: outcomes 1 to 29 days old and waits 29 days old (8 misses).
     */
    private static void seed(LocalStack stack) throws Exception {
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO command_outcomes (command_id, type, status, detail, resource_id, recorded_at) SELECT gen_random_uuid(), "
                    + "'CreateBook', 'APPLIED', 'seeded past the window', gen_random_uuid(), "
                    + "now() - interval '31 days' - i * (interval '29 days' / " + OLD_OUTCOMES + ") FROM generate_series(1, " + OLD_OUTCOMES + ") i");
            s.execute("INSERT INTO command_outcomes (command_id, type, status, detail, resource_id, recorded_at) SELECT gen_random_uuid(), "
                    + "'CreateBook', 'APPLIED', 'seeded inside the window', gen_random_uuid(), "
                    + "now() - interval '1 day' - i * (interval '28 days' / " + RECENT_OUTCOMES + ") FROM generate_series(1, " + RECENT_OUTCOMES + ") i");
            s.execute("INSERT INTO command_waits (command_id, awaited_id, misses, last_miss_at) SELECT gen_random_uuid(), gen_random_uuid(), 9, "
                    + "now() - interval '31 days' - i * interval '1 minute' FROM generate_series(1, " + OLD_WAITS + ") i");
            s.execute("INSERT INTO command_waits (command_id, awaited_id, misses, last_miss_at) SELECT gen_random_uuid(), gen_random_uuid(), 8, "
                    + "now() - interval '29 days' FROM generate_series(1, " + RECENT_WAITS + ")");
            s.execute("ANALYZE command_outcomes");
            s.execute("ANALYZE command_waits");
        }
    }

    /** Batch latencies of the writers' batches that ended between {@code from} and {@code to} (all when null). */
    private static List<Double> latencies(List<JsonNode> batches, Instant from, Instant to) {
        List<Double> latencies = new ArrayList<>();
        for (JsonNode batch : batches) {
            Instant ended = Instant.parse(batch.path("timestamp").asText());
            if (from == null || (!ended.isBefore(from) && !ended.isAfter(to))) {
                latencies.add(batch.path("latencyMs").asDouble());
            }
        }
        latencies.sort(Double::compare);
        return latencies;
    }

    private static double max(List<Double> sorted) {
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
    }

    private static double p99(List<Double> sorted) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }

    private static List<JsonNode> lines(Path log) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static long count(LocalStack stack, String sql) throws Exception {
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> ids(LocalStack stack, String sql) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = stack.database().proxyPool().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
