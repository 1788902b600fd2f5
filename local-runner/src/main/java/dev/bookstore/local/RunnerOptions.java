package dev.bookstore.local;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run the stack. {@code databaseUrl} null means embedded PostgreSQL; {@code functionLogs} null
 * means the functions' JSON log lines go to the console with the runner's own lines.
 */
public record RunnerOptions(Path template, Path dataDirectory, boolean ephemeral, String databaseUrl, int apiPort, int sqsPort,
                            int databasePort, boolean fastRetries, Duration statusEvery, Path functionLogs) {

    /** Visibility timeout of every queue under {@code --fast-retries}: failed messages return in seconds, not minutes. */
    public static final int FAST_RETRY_VISIBILITY_SECONDS = 2;

    public static RunnerOptions defaults() {
        return new RunnerOptions(Path.of("template.yaml"), Path.of(".bookstore"), false, null, 3000, 9324, 5433, false,
                Duration.ofSeconds(5), Path.of(".bookstore", "function-logs.jsonl"));
    }

    /** A throw-away stack on free ports, for tests and benchmarks. */
    public static RunnerOptions ephemeralOnFreePorts(Path template) {
        return new RunnerOptions(template, null, true, null, 0, 0, 0, true, Duration.ZERO, null);
    }

    public RunnerOptions withFastRetries(boolean fast) {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fast, statusEvery, functionLogs);
    }

    public RunnerOptions withDataDirectory(Path directory, boolean throwAway) {
        return new RunnerOptions(template, directory, throwAway, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery,
                functionLogs);
    }

    public RunnerOptions withFunctionLogs(Path logs) {
        return new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort, fastRetries, statusEvery, logs);
    }
}
