package dev.bookstore.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.bookstore.domain.NewBook;
import dev.bookstore.local.template.FunctionSpec;
import dev.bookstore.local.template.SamTemplate;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.CommandMessages;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.LambdaEvents;
import dev.bookstore.testkit.RepositoryFiles;
import dev.bookstore.testkit.SqsEvents;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * For each Lambda jar, the time from starting a JVM to the end of its first handled event, median of
 * several, and the jar's size. Handlers, jars and JAVA_TOOL_OPTIONS come from template.yaml. Baseline: the
 * same JVM, flags and harness handling nothing, so the figure shows what the function itself costs.
 */
final class ColdStart {

    private static final List<String> FUNCTIONS = List.of("ApiIngest", "QueryApi", "BookWriter", "ReviewWriter");

    private ColdStart() {
    }

    static Measure run(Scale scale) throws Exception {
        Path root = RepositoryFiles.find("template.yaml").getParent();
        SamTemplate template = SamTemplate.read(root.resolve("template.yaml"));
        Measure measure = new Measure("Cold start and footprint of each Lambda", "a new JVM per start with the template's "
                + "JAVA_TOOL_OPTIONS, the shaded jar and the runtime's serializer on its class path, one real event; median of "
                + scale.coldStarts());
        try (BenchPostgres postgres = new BenchPostgres(); EmbeddedSqs sqs = EmbeddedSqs.start()) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(postgres.jdbcUrl());
            Migrations.apply(dataSource);
            UUID bookId = UUID.randomUUID();
            dev.bookstore.db.Database.pooled(dataSource).inTransaction(m -> m.books().insertBooks(List.of(
                    new NewBook(bookId, UUID.randomUUID(), "Cold", "A", "P", 2001, null))));
            Map<String, String> db = Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrl());
            Map<String, Map<String, String>> environments = Map.of("ApiIngest", Map.of("BOOKSTORE_BOOKS_QUEUE_URL", sqs.createQueue("books"),
                    "BOOKSTORE_REVIEWS_QUEUE_URL", sqs.createQueue("reviews"), "BOOKSTORE_SQS_ENDPOINT", sqs.endpoint(),
                    "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench"), "QueryApi", db,
                    // The writers also build their SQS client at start, for a waiting command's back-off.
                    "BookWriter", writer(postgres, sqs, "books-waits"), "ReviewWriter", writer(postgres, sqs, "reviews-waits"));
            Map<String, Supplier<String>> events = Map.of(
                    "ApiIngest", () -> LambdaEvents.toJson(IngestLatency.post("{\"title\":\"Cold\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}"),
                            APIGatewayProxyRequestEvent.class),
                    "QueryApi", () -> LambdaEvents.toJson(QueryLatency.book(bookId), APIGatewayProxyRequestEvent.class),
                    "BookWriter", () -> SqsEvents.json(List.of(SqsEvents.Message.of(CommandMessages.json(CommandMessages.book("Cold"))))),
                    "ReviewWriter", () -> SqsEvents.json(List.of(SqsEvents.Message.of(CommandMessages.json(CommandMessages.review(bookId, 4))))));

            String javaToolOptions = String.valueOf(template.resolve(template.functions().get("ApiIngest").environment().get("JAVA_TOOL_OPTIONS")));
            long[] bare = new long[scale.coldStarts()];
            for (int i = 0; i < bare.length; i++) {
                bare[i] = start(null, ColdStartHarness.NOTHING, "", Map.of(), javaToolOptions);
            }
            double baseline = median(bare);
            measure.figure("baseline: the same JVM and harness handling nothing, median", baseline, "ms");

            for (String name : FUNCTIONS) {
                FunctionSpec function = template.functions().get(name);
                Path jar = root.resolve(String.valueOf(function.properties().get("CodeUri")));
                if (!Files.exists(jar)) {
                    throw new IllegalStateException(jar + " is missing; build with mvn -B -ntp package -DskipTests first");
                }
                String options = String.valueOf(template.resolve(function.environment().get("JAVA_TOOL_OPTIONS")));
                long[] starts = new long[scale.coldStarts()];
                for (int i = 0; i < starts.length; i++) {
                    starts[i] = start(jar, function.handlerClass(), events.get(name).get(), environments.get(name), options);
                }
                double median = median(starts);
                double megabytes = Files.size(jar) / 1e6;
                measure.figure(name + ": JVM start to first event handled, median", median, "ms")
                        .figure(name + ": jar size", megabytes, "MB")
                        .target(name + " cold start (ms)", median, "<=", 1000)
                        .target(name + " jar (MB)", megabytes, "<=", 12)
                        .note(String.format("%s: %.0f ms over the bare JVM", name, median - baseline));
            }
            // What SnapStart's priming moves out of the first request: the JVM cannot be snapshotted here, so each run
            // builds the handler, runs its hooks as before a snapshot and after a restore (or not), and times two events.
            for (String name : FUNCTIONS) {
                FunctionSpec function = template.functions().get(name);
                Path jar = root.resolve(String.valueOf(function.properties().get("CodeUri")));
                String options = String.valueOf(template.resolve(function.environment().get("JAVA_TOOL_OPTIONS")));
                Map<String, long[]> unprimed = firstAndWarm(scale, jar, function.handlerClass(), events.get(name), environments.get(name), options, false);
                Map<String, long[]> primed = firstAndWarm(scale, jar, function.handlerClass(), events.get(name), environments.get(name), options, true);
                double warm = median(primed.get("warm"));
                double first = median(primed.get("first"));
                double firstUnprimed = median(unprimed.get("first"));
                measure.figure(name + ": first event after init, unprimed, median", firstUnprimed, "ms")
                        .figure(name + ": first event after a primed init, median", first, "ms")
                        .figure(name + ": warm event (the second), median", warm, "ms")
                        .target(name + " first event after a primed init / warm event", first / warm, "<=", 2)
                        .note(String.format("%s: priming takes the first event from %.0f ms to %.0f ms (x%.2f of unprimed; x%.1f of a warm event)",
                                name, firstUnprimed, first, first / firstUnprimed, first / warm));
            }
        }
        return measure;
    }

    /** First and warm event times of {@code coldStarts} fresh JVMs, primed or not. */
    private static Map<String, long[]> firstAndWarm(Scale scale, Path jar, String handler, Supplier<String> events, Map<String, String> environment,
                                                    String options, boolean primed) throws Exception {
        long[] first = new long[scale.coldStarts()];
        long[] warm = new long[scale.coldStarts()];
        for (int i = 0; i < first.length; i++) {
            String line = run(jar, handler, events.get(), environment, options, List.of(primed ? "primed" : "unprimed", events.get()), "first");
            String[] parts = line.split(" ");
            first[i] = Long.parseLong(parts[1]);
            warm[i] = Long.parseLong(parts[3]);
        }
        return Map.of("first", first, "warm", warm);
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    /** Nanoseconds from starting a JVM to its harness printing {@code handled}; {@code jar} null for the bare baseline. */
    private static Map<String, String> writer(BenchPostgres postgres, EmbeddedSqs sqs, String queue) {
        return Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrl(), "BOOKSTORE_QUEUE_URL", sqs.createQueue(queue),
                "BOOKSTORE_SQS_ENDPOINT", sqs.endpoint(), "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench",
                "AWS_REGION", "us-east-1");
    }

    private static long start(Path jar, String handler, String event, Map<String, String> environment, String javaToolOptions)
            throws Exception {
        long started = System.nanoTime();
        String line = run(jar, handler, event, environment, javaToolOptions, List.of(), "handled");
        long elapsed = System.nanoTime() - started;
        if (line.contains("\"statusCode\":5") || line.contains("\"itemIdentifier\"")) {
            throw new IllegalStateException(handler + " did not handle its event: " + line);
        }
        return elapsed;
    }

    /**
     * Runs the harness in a new JVM and returns its line starting with {@code marker}; {@code more} are its extra
     * arguments, the second of them an event to write to a file first.
     */
    private static String run(Path jar, String handler, String event, Map<String, String> environment, String javaToolOptions,
                              List<String> more, String marker) throws Exception {
        Path eventFile = Files.createTempFile("event", ".json");
        Files.writeString(eventFile, event);
        Path envFile = Files.createTempFile("env", ".properties");
        Properties properties = new Properties();
        properties.putAll(environment);
        try (var out = Files.newOutputStream(envFile)) {
            properties.store(out, null);
        }
        String serializer = new File(LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        String harness = new File(ColdStartHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        String context = new File(TestLambdaContext.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        List<String> classPath = new ArrayList<>(List.of(serializer, harness, context));
        // The baseline takes the Lambda core classes, which each shaded jar carries, from their own jar.
        classPath.add(0, jar != null ? jar.toString()
                : new File(RequestHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", String.join(File.pathSeparator, classPath), ColdStartHarness.class.getName(),
                handler, eventFile.toString(), envFile.toString()));
        if (!more.isEmpty()) {
            Path second = Files.createTempFile("event", ".json");
            Files.writeString(second, more.get(1));
            command.add(more.get(0));
            command.add(second.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
        Process process = builder.redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder output = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(marker)) {
                    process.waitFor(30, TimeUnit.SECONDS);
                    return line;
                }
                output.append(line).append('\n');
            }
            throw new IllegalStateException(handler + " never printed " + marker + ":\n" + output);
        }
    }
}
