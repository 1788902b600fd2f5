package dev.bookstore.local;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the stack. {@code databaseUrl} null means embedded PostgreSQL; {@code functionLogs} null
 * means the functions' JSON log lines go to the console with the runner's own lines.
 */
public record RunnerOptions(Path template, Path dataDirectory, boolean ephemeral, String databaseUrl, int apiPort, int sqsPort,
                            int databasePort, boolean fastRetries, Duration statusEvery, Path functionLogs, boolean persistQueues,
                            boolean gatedSqs) {

    /** Visibility timeout of every queue under {@code --fast-retries}: failed messages return in seconds, not minutes. */
    public static final int FAST_RETRY_VISIBILITY_SECONDS = 2;

    /** A throw-away stack on free ports, for tests and benchmarks. */
    public static RunnerOptions ephemeralOnFreePorts(Path template) {
        return new RunnerOptions(template, null, true, null, 0, 0, 0, true, Duration.ZERO, null, false, false);
    }

    public RunnerOptions withFastRetries(boolean fast) {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fast, statusEvery, functionLogs,
                persistQueues, gatedSqs);
    }

    /** Data kept in {@code directory}: the database, and the queues' messages unless {@link #withQueuesInMemory()}. */
    public RunnerOptions withDataDirectory(Path directory, boolean throwAway) {
        return new RunnerOptions(template, directory, throwAway, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery,
                functionLogs, !throwAway, gatedSqs);
    }

    /** Queues in memory, the database still in the data directory: ElasticMQ keeps one message store per JVM. */
    public RunnerOptions withQueuesInMemory() {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery,
                functionLogs, false, gatedSqs);
    }

    /** The functions reach SQS through a {@link TcpGate} a fault test can cut. */
    public RunnerOptions withGatedSqs() {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery,
                functionLogs, persistQueues, true);
    }

    public RunnerOptions withFunctionLogs(Path logs) {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery, logs,
                persistQueues, gatedSqs);
    }
}
