package dev.bookstore.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./run-local}: the whole stack on this machine until Ctrl-C. */
@Command(name = "run-local", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the bookstore on this machine as template.yaml describes it: embedded PostgreSQL, ElasticMQ, the API on HTTP, "
                + "and SQS pollers invoking the writers the way Lambda does.")
public final class LocalRunner implements Callable<Integer> {

    @Option(names = "--template", description = "the SAM template to run (default: ${DEFAULT-VALUE})")
    Path template = Path.of("template.yaml");

    @Option(names = "--data-dir", description = "where PostgreSQL and queued messages are kept between runs (default: ${DEFAULT-VALUE})")
    Path dataDirectory = Path.of(".bookstore");

    @Option(names = "--ephemeral", description = "a throw-away database and queues, gone at exit")
    boolean ephemeral;

    @Option(names = "--database-url", paramLabel = "JDBC_URL", description = "use this PostgreSQL server instead of the embedded one")
    String databaseUrl;

    @Option(names = "--api-port", description = "default: ${DEFAULT-VALUE}")
    int apiPort = 3000;

    @Option(names = "--sqs-port", description = "default: ${DEFAULT-VALUE}")
    int sqsPort = 9324;

    @Option(names = "--db-port", description = "the embedded PostgreSQL's port (default: ${DEFAULT-VALUE})")
    int databasePort = 5433;

    @Option(names = "--fast-retries", description = "visibility timeouts of " + RunnerOptions.FAST_RETRY_VISIBILITY_SECONDS
            + " s instead of the template's, so failed messages return (and dead-letter) in seconds; a review's wait for"
            + " its book shrinks in proportion")
    boolean fastRetries;

    @Option(names = "--status-every", paramLabel = "SECONDS", description = "status line interval, 0 for none (default: ${DEFAULT-VALUE})")
    int statusEverySeconds = 5;

    @Option(names = "--function-logs", paramLabel = "FILE|console",
            description = "where the functions' JSON log lines go (default: <data-dir>/function-logs.jsonl)")
    String functionLogs;

    @Option(names = "--check-contract", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "check every routed request and answer against the openapi.yaml beside the template, printing what"
                    + " breaks it (default: ${DEFAULT-VALUE})")
    boolean checkContract;

    private final PrintStream console = System.out;

    public static void main(String[] args) {
        // Quiet the embedded servers' own logging; the runner prints what matters.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new CommandLine(new LocalRunner()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Path logs = functionLogs == null ? dataDirectory.resolve("function-logs.jsonl")
                : "console".equals(functionLogs) ? null : Path.of(functionLogs);
        RunnerOptions options = new RunnerOptions(template, dataDirectory, ephemeral, databaseUrl, apiPort, sqsPort, databasePort,
                fastRetries, Duration.ofSeconds(statusEverySeconds), logs, !ephemeral, false,
                checkContract ? RunnerOptions.besideTemplate(template) : null);
        LocalStack stack;
        try {
            stack = LocalStack.start(options, console);
        } catch (Ports.PortTakenException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        // Ctrl-C and SIGTERM stop the stack in order before the JVM starts exiting: embedded PostgreSQL's own
        // exit hook would otherwise stop the database under batches that are still committing.
        for (String signal : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), received -> stop.countDown());
        }
        stack.printBanner(options);
        stop.await();
        console.println("Stopping: finishing the batches in flight…");
        stack.close();
        console.println("Stopped.");
        return 0;
    }
}
