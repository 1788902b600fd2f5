package dev.bookstore.retention.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.config.InvalidConfigurationException;
import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.migration.Migrations;
import dev.bookstore.retention.RetentionSettings;
import dev.bookstore.testkit.LambdaEvents;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The handler as Lambda runs it: built from its environment, invoked with the scheduled event EventBridge sends. */
class RetentionHandlerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static TestPostgres postgres;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
    }

    /** The template's settings, connected as the retention role. */
    private static Map<String, String> environment(String windowDays, String databaseUrl) {
        Map<String, String> env = new HashMap<>();
        env.put(DatabaseConfig.URL, databaseUrl);
        env.put(DatabaseConfig.CONNECT_TIMEOUT, "5");
        env.put(DatabaseConfig.SOCKET_TIMEOUT, "20");
        env.put(RetentionSettings.WINDOW_DAYS, windowDays);
        env.put(RetentionSettings.SOURCE_QUEUE_RETENTION_SECONDS, "345600");
        env.put(RetentionSettings.DLQ_RETENTION_SECONDS, "1209600");
        return env;
    }

    @Test
    void aScheduledEventDeletesWhatIsOlderThanTheWindowAndLogsTheRun() throws Exception {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        postgres.execute("INSERT INTO command_outcomes (command_id, type, status, resource_id, recorded_at) VALUES "
                + "('" + old + "', 'CreateBook', 'APPLIED', gen_random_uuid(), now() - interval '31 days'), "
                + "('" + recent + "', 'CreateBook', 'APPLIED', gen_random_uuid(), now() - interval '29 days')");
        ScheduledEvent event = LambdaEvents.load("events/scheduled.json", ScheduledEvent.class);

        // Built inside, as Lambda builds it: its log lines go to the stdout it finds at init.
        String log = stdoutOf(() -> new RetentionHandler(environment("30", postgres.jdbcUrlAs(postgres.retentionRole())))
                .handleRequest(event, new TestLambdaContext("Retention", Duration.ofSeconds(300))));

        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ?", old)).isZero();
        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ?", recent)).isEqualTo(1);
        JsonNode run = JSON.readTree(log.lines().filter(l -> l.contains("\"retention run\"")).findFirst().orElseThrow());
        assertThat(run.path("outcomesDeleted").asLong()).isPositive();
        assertThat(run.path("finished").asBoolean()).isTrue();
        assertThat(run.path("service").asText()).isEqualTo("retention");
    }

    /** Checked before anything else, so a deploy with a short window fails at its first invocation, whatever the database. */
    @Test
    void aWindowTooShortForTheQueuesStopsTheFunctionAtStartNamingBothRetentions() {
        assertThatThrownBy(() -> new RetentionHandler(environment("14", "jdbc:postgresql://127.0.0.1:1/nowhere")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.getMessage())
                        .startsWith(RetentionSettings.WINDOW_DAYS + ": 14 days must be longer than")
                        .contains(RetentionSettings.DLQ_RETENTION_SECONDS, RetentionSettings.SOURCE_QUEUE_RETENTION_SECONDS));
    }

    /** A batch is begun only if it could reconnect and wait out the socket timeout before the function's timeout. */
    @Test
    void withLessTimeLeftThanOneBatchMayTakeTheHandlerDeletesNothing() throws Exception {
        UUID old = UUID.randomUUID();
        postgres.execute("INSERT INTO command_outcomes (command_id, type, status, resource_id, recorded_at) VALUES "
                + "('" + old + "', 'CreateBook', 'APPLIED', gen_random_uuid(), now() - interval '40 days')");
        // 5 s to connect + 20 s for the statement + 1 s to log: 25 s left is too little.
        String log = stdoutOf(() -> new RetentionHandler(environment("30", postgres.jdbcUrlAs(postgres.retentionRole())))
                .handleRequest(LambdaEvents.load("events/scheduled.json", ScheduledEvent.class), new TestLambdaContext("Retention", Duration.ofSeconds(25))));

        assertThat(postgres.count("SELECT count(*) FROM command_outcomes WHERE command_id = ?", old)).isEqualTo(1);
        assertThat(log).contains("\"finished\":false", "\"batches\":0");
    }

    private static String stdoutOf(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
