package dev.bookstore.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the stack. {@code databaseUrl} null means embedded PostgreSQL; {@code functionLogs} null
 * means the functions' JSON log lines go to the console with the runner's own lines; {@code contract} is the
 * OpenAPI spec every routed exchange is checked against, or null for no checks.
 */
public record RunnerOptions(Path template, Path dataDirectory, boolean ephemeral, String databaseUrl, int apiPort, int sqsPort,
                            int databasePort, boolean fastRetries, Duration statusEvery, Path functionLogs, boolean persistQueues,
                            boolean gatedSqs, Path contract) {

    /** Visibility timeout of every queue under {@code --fast-retries}: failed messages return in seconds, not minutes. */
    public static final int FAST_RETRY_VISIBILITY_SECONDS = 2;

    /** A throw-away stack on free ports, for tests and benchmarks, checking its traffic against the openapi.yaml beside the template. */
    public static RunnerOptions ephemeralOnFreePorts(Path template) {
        return new RunnerOptions(template, null, true, null, 0, 0, 0, true, Duration.ZERO, null, false, false, besideTemplate(template));
    }

    /** The spec next to the template, as in this repository, or null when there is none. */
    public static Path besideTemplate(Path template) {
        Path spec = template.toAbsolutePath().resolveSibling("openapi.yaml");
        return Files.exists(spec) ? spec : null;
    }

    /** Every routed exchange checked against {@code spec}. */
    public RunnerOptions withContractChecks(Path spec) {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery,
                functionLogs, persistQueues, gatedSqs, spec);
    }

    /** No contract checks: for the bench, which measures the service and not the validator. */
    public RunnerOptions withoutContractChecks() {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery,
                functionLogs, persistQueues, gatedSqs, null);
    }

    public RunnerOptions withFastRetries(boolean fast) {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fast, statusEvery, functionLogs,
                persistQueues, gatedSqs, contract);
    }

    /** Data kept in {@code directory}: the database, and the queues' messages unless {@link #withQueuesInMemory()}. */
    public RunnerOptions withDataDirectory(Path directory, boolean throwAway) {
        return new RunnerOptions(template, directory, throwAway, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery,
                functionLogs, !throwAway, gatedSqs, contract);
    }

    /** Queues in memory, the database still in the data directory: ElasticMQ keeps one message store per JVM. */
    public RunnerOptions withQueuesInMemory() {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery,
                functionLogs, false, gatedSqs, contract);
    }

    /** The functions reach SQS through a {@link TcpGate} a fault test can cut. */
    public RunnerOptions withGatedSqs() {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery,
                functionLogs, persistQueues, true, contract);
    }

    public RunnerOptions withFunctionLogs(Path logs) {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery, logs,
                persistQueues, gatedSqs, contract);
    }
}
