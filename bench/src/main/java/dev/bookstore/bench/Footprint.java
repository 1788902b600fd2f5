package dev.bookstore.bench;

import dev.bookstore.local.LocalStack;
import dev.bookstore.local.RunnerOptions;
import dev.bookstore.local.lambda.LocalFunction;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local runner's heap after it has carried many commands (baseline: its heap right after start),
 * and the database connections each simulated execution environment holds (one, as on AWS).
 */
final class Footprint {

    private Footprint() {
    }

    static Measure run(Scale scale) throws Exception {
        try (LocalStack stack = LocalStack.start(RunnerOptions.ephemeralOnFreePorts(RepositoryFiles.find("template.yaml"))
                .withFastRetries(false).withFunctionLogs(null).withoutContractChecks(), new PrintStream(OutputStream.nullOutputStream()))) {
            double before = heapAfterGc();
            ExecutorService httpThreads = Executors.newFixedThreadPool(EndToEnd.CLIENTS);
            int n = scale.footprintCommands();
            try {
                EndToEnd.post(Clients.of(stack, httpThreads), n);
            } finally {
                httpThreads.shutdownNow();
            }
            EndToEnd.awaitApplied(stack, n);
            double after = heapAfterGc();
            int databaseEnvironments = stack.functions().values().stream()
                    .filter(f -> f.environment().containsKey("BOOKSTORE_DB_URL")).mapToInt(LocalFunction::environmentsCreated).sum();
            int held = stack.database().functionConnections(true);
            return new Measure("Footprint", n + " commands through the local runner over HTTP, all applied; heap used after a full GC")
                    .figure("local runner heap after start (baseline)", before, "MB")
                    .figure("local runner heap after " + n + " commands", after, "MB")
                    .figure("execution environments with a database", databaseEnvironments, "")
                    .figure("connections they hold", held, "")
                    .target("connections per execution environment", databaseEnvironments == 0 ? 0 : (double) held / databaseEnvironments, "<=", 1)
                    .target("connections per execution environment (at least)", databaseEnvironments == 0 ? 0 : (double) held / databaseEnvironments,
                            ">=", 1);
        }
    }

    private static double heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }
}
