package dev.bookstore.bench;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.bookstore.domain.NewBook;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.CommandMessages;
import dev.bookstore.testkit.EmbeddedSqs;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * For each Lambda jar, the time from starting a JVM to the end of its first handled event, median of
 * several, and the jar's size. The JVM gets the template's JAVA_TOOL_OPTIONS; on AWS it is java21.
 */
final class ColdStart {

    private record Function(String name, String jar, String handler, String event, Map<String, String> environment) {
    }

    private ColdStart() {
    }

    static Measure run(Scale scale) throws Exception {
        Path root = RepositoryFiles.find("template.yaml").getParent();
        Measure measure = new Measure("Cold start and footprint of each Lambda", "a new JVM per start (-XX:TieredStopAtLevel=1, as the "
                + "template sets), the shaded jar and the runtime's serializer on its class path, one real event; median of " + scale.coldStarts());
        try (BenchPostgres postgres = new BenchPostgres(); EmbeddedSqs sqs = EmbeddedSqs.start()) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(postgres.jdbcUrl());
            Migrations.apply(dataSource);
            UUID bookId = UUID.randomUUID();
            dev.bookstore.db.Database.pooled(dataSource).inTransaction(m -> m.books().insertBooks(List.of(
                    new NewBook(bookId, UUID.randomUUID(), "Cold", "A", "P", 2001, null))));
            Map<String, String> db = Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrl());
            Map<String, String> ingestEnv = Map.of("BOOKSTORE_BOOKS_QUEUE_URL", sqs.createQueue("books"), "BOOKSTORE_REVIEWS_QUEUE_URL",
                    sqs.createQueue("reviews"), "BOOKSTORE_SQS_ENDPOINT", sqs.endpoint(), "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench");
            String post = "{\"resource\":\"/books\",\"path\":\"/books\",\"httpMethod\":\"POST\",\"headers\":{\"Content-Type\":\"application/json\"},"
                    + "\"requestContext\":{\"requestId\":\"cold\",\"path\":\"/books\"},\"body\":\"{\\\"title\\\":\\\"Cold\\\",\\\"author\\\":\\\"A\\\","
                    + "\\\"publisher\\\":\\\"P\\\",\\\"year\\\":2001}\",\"isBase64Encoded\":false}";
            String get = "{\"resource\":\"/books/{bookId}\",\"path\":\"/books/" + bookId + "\",\"httpMethod\":\"GET\",\"pathParameters\":{\"bookId\":\""
                    + bookId + "\"},\"requestContext\":{\"requestId\":\"cold\",\"path\":\"/books/" + bookId + "\"},\"isBase64Encoded\":false}";
            List<Function> functions = List.of(
                    new Function("ApiIngest", "api-ingest/target/lambda/api-ingest.jar", "dev.bookstore.ingest.handler.ApiIngestHandler", post, ingestEnv),
                    new Function("QueryApi", "query-api/target/lambda/query-api.jar", "dev.bookstore.query.handler.QueryApiHandler", get, db),
                    new Function("BookWriter", "book-writer/target/lambda/book-writer.jar", "dev.bookstore.bookwriter.handler.BookWriterHandler",
                            "BOOK", db),
                    new Function("ReviewWriter", "review-writer/target/lambda/review-writer.jar",
                            "dev.bookstore.reviewwriter.handler.ReviewWriterHandler", "REVIEW", db));
            for (Function function : functions) {
                Path jar = root.resolve(function.jar());
                if (!Files.exists(jar)) {
                    throw new IllegalStateException(jar + " is missing; build with mvn -B -ntp package -DskipTests first");
                }
                long[] starts = new long[scale.coldStarts()];
                for (int i = 0; i < starts.length; i++) {
                    String event = switch (function.event()) {
                        case "BOOK" -> SqsEvents.json(List.of(SqsEvents.Message.of(CommandMessages.json(CommandMessages.book("Cold " + i)))));
                        case "REVIEW" -> SqsEvents.json(List.of(SqsEvents.Message.of(CommandMessages.json(CommandMessages.review(bookId, 4)))));
                        default -> function.event();
                    };
                    starts[i] = start(jar, function.handler(), event, function.environment());
                }
                Arrays.sort(starts);
                double median = starts[starts.length / 2] / 1e6;
                double megabytes = Files.size(jar) / 1e6;
                measure.figure(function.name() + ": JVM start to first event handled, median", median, "ms")
                        .figure(function.name() + ": jar size", megabytes, "MB")
                        .target(function.name() + " cold start (ms)", median, "<=", 1000)
                        .target(function.name() + " jar (MB)", megabytes, "<=", 12);
            }
        }
        return measure;
    }

    private static long start(Path jar, String handler, String event, Map<String, String> environment) throws Exception {
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
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-cp", String.join(File.pathSeparator, jar.toString(), serializer, harness, context),
                ColdStartHarness.class.getName(), handler, eventFile.toString(), envFile.toString()));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder output = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("handled")) {
                    long elapsed = System.nanoTime() - started;
                    process.waitFor(30, TimeUnit.SECONDS);
                    if (line.contains("\"statusCode\":5") || line.contains("\"itemIdentifier\"")) {
                        throw new IllegalStateException(handler + " did not handle its event: " + line);
                    }
                    return elapsed;
                }
                output.append(line).append('\n');
            }
            throw new IllegalStateException(handler + " never handled its event:\n" + output);
        }
    }
}
