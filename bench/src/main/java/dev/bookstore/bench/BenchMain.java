package dev.bookstore.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./run-bench}: every benchmark, each against a baseline measured in the same run, written as
 * JSON and as the table in BENCHMARKS.md. {@code --smoke} runs each at a toy size in seconds, so CI
 * proves the bench still works; its figures mean nothing.
 */
public final class BenchMain {

    private BenchMain() {
    }

    private static final List<String> BENCHMARKS = List.of("writer", "events", "e2e", "bulk", "reads", "ingest", "coldstart", "footprint");

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        boolean smoke = List.of(args).contains("--smoke");
        String picked = option(args, "--only", null);
        Set<String> only = new LinkedHashSet<>(picked == null ? BENCHMARKS : List.of(picked.split(",")));
        if (!BENCHMARKS.containsAll(only)) {
            System.err.println("unknown benchmark in --only " + picked + "; choose from " + String.join(",", BENCHMARKS));
            System.exit(2);
        }
        // Only a full run of everything replaces the published results; a smoke or partial run writes under bench/target.
        boolean publish = !smoke && picked == null;
        Path markdown = Path.of(option(args, "--markdown", publish ? "BENCHMARKS.md" : "bench/target/BENCHMARKS-partial.md"));
        Path json = Path.of(option(args, "--json", publish ? "bench/results/latest.json" : "bench/target/bench-partial.json"));
        List<Measure> measures = run(smoke ? Scale.smokeRun() : Scale.fullRun(), only);
        Report.write(measures, smoke, String.join(" ", args), markdown, json);
        System.out.println("wrote " + markdown + " and " + json);
    }

    static List<Measure> run(Scale scale, Set<String> only) throws Exception {
        List<Measure> measures = new ArrayList<>();
        if (only.contains("writer")) {
            measures.add(timed("writer", () -> WriterThroughput.run(scale)));
        }
        if (only.contains("events")) {
            measures.add(timed("events", () -> ChangeEventsBench.run(scale)));
        }
        if (only.contains("e2e")) {
            measures.add(timed("e2e", () -> EndToEnd.run(scale)));
        }
        if (only.contains("bulk")) {
            measures.add(timed("bulk", () -> BulkImport.run(scale)));
        }
        if (only.contains("reads")) {
            measures.add(timed("reads", () -> QueryLatency.run(scale)));
        }
        if (only.contains("ingest")) {
            measures.add(timed("ingest", () -> IngestLatency.run(scale)));
        }
        if (only.contains("coldstart")) {
            measures.add(timed("coldstart", () -> ColdStart.run(scale)));
        }
        if (only.contains("footprint")) {
            measures.add(timed("footprint", () -> Footprint.run(scale)));
        }
        return measures;
    }

    interface Benchmark {
        Measure run() throws Exception;
    }

    private static Measure timed(String name, Benchmark benchmark) throws Exception {
        System.out.println("running " + name + "…");
        long start = System.nanoTime();
        Measure measure = benchmark.run();
        System.out.printf("  %s done in %.0f s%n", name, (System.nanoTime() - start) / 1e9);
        return measure;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
