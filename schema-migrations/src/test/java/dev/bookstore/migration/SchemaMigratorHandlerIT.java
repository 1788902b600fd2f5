package dev.bookstore.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bookstore.testkit.LambdaEvents;
import dev.bookstore.testkit.RepositoryFiles;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** A local HTTP server stands in for CloudFormation's pre-signed response URL. */
class SchemaMigratorHandlerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer cloudFormation;
    private final BlockingQueue<Received> responses = new LinkedBlockingQueue<>();

    record Received(String method, String contentType, JsonNode body) {
    }

    @BeforeEach
    void startResponseEndpoint() throws IOException {
        cloudFormation = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cloudFormation.createContext("/cfn-response", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                responses.add(new Received(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"),
                        JSON.readTree(in)));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        cloudFormation.start();
    }

    @AfterEach
    void stopResponseEndpoint() {
        cloudFormation.stop(0);
    }

    @Test
    void createMigratesTheSchemaAndAnswersSuccess() throws Exception {
        String url = TestPostgres.shared().newDatabase();

        String status = handler(() -> dataSource(url)).handleRequest(event("create"), new TestLambdaContext());

        Received answer = nextAnswer();
        assertThat(status).isEqualTo("SUCCESS");
        assertThat(answer.method()).isEqualTo("PUT");
        assertThat(answer.contentType()).as("no content type: the URL is signed without one").isNullOrEmpty();
        assertThat(answer.body().get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(answer.body().get("PhysicalResourceId").asText()).isEqualTo("bookstore-schema");
        assertThat(answer.body().get("LogicalResourceId").asText()).isEqualTo("Schema");
        assertThat(answer.body().get("RequestId").asText()).isEqualTo("8f1c2d3e-Create-4a5b-9c8d-7e6f5a4b3c2d");
        assertThat(answer.body().get("StackId").asText()).startsWith("arn:aws:cloudformation:");
        assertThat(answer.body().at("/Data/SchemaVersion").asText()).isEqualTo(newestMigration()).isEqualTo(migratedVersion(url));
        assertThat(tableCount(url)).isEqualTo(4);
    }

    @Test
    void updateOnACurrentSchemaAnswersSuccessAndKeepsThePhysicalId() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        Migrations.apply(dataSource(url));

        handler(() -> dataSource(url)).handleRequest(event("update"), new TestLambdaContext());

        Received answer = nextAnswer();
        assertThat(answer.body().get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(answer.body().get("PhysicalResourceId").asText()).isEqualTo("bookstore-schema");
        assertThat(answer.body().get("Reason").asText()).contains("0 migrations applied");
    }

    @Test
    void deleteLeavesTheDataAloneAndAnswersSuccess() throws Exception {
        Supplier<DataSource> untouchable = () -> {
            throw new AssertionError("delete must not touch the database");
        };

        handler(untouchable).handleRequest(event("delete"), new TestLambdaContext());

        Received answer = nextAnswer();
        assertThat(answer.body().get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(answer.body().get("Reason").asText()).contains("left in place");
    }

    @Test
    void anUnreachableDatabaseAnswersFailedWithTheReason() throws Exception {
        String closed = "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1";

        String status = handler(() -> dataSource(closed)).handleRequest(event("create"), new TestLambdaContext());

        Received answer = nextAnswer();
        assertThat(status).isEqualTo("FAILED");
        assertThat(answer.body().get("Status").asText()).isEqualTo("FAILED");
        assertThat(answer.body().get("Reason").asText()).containsIgnoringCase("connection");
        assertThat(answer.body().get("PhysicalResourceId").asText()).isEqualTo("bookstore-schema");
    }

    @Test
    void missingConfigurationAnswersFailedNamingTheVariable() throws Exception {
        SchemaMigratorHandler fromEnvironment = new SchemaMigratorHandler();

        fromEnvironment.handleRequest(event("create"), new TestLambdaContext());

        Received answer = nextAnswer();
        assertThat(answer.body().get("Status").asText()).isEqualTo("FAILED");
        assertThat(answer.body().get("Reason").asText()).contains("BOOKSTORE_DB_HOST");
    }

    @Test
    void aMigrationThatWouldOutliveTheFunctionAnswersFailedBeforeTheTimeout() throws Exception {
        Supplier<DataSource> hangs = () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        };
        TestLambdaContext nearlyOutOfTime = new TestLambdaContext("migrator", Duration.ofMillis(11_500));

        long started = System.nanoTime();
        handler(hangs).handleRequest(event("create"), nearlyOutOfTime);

        Received answer = nextAnswer();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(11_500));
        assertThat(answer.body().get("Status").asText()).isEqualTo("FAILED");
        assertThat(answer.body().get("Reason").asText()).contains("did not finish");
    }

    /** The highest version among the migrations in the source tree: what a fresh database must end at. */
    private static String newestMigration() throws IOException {
        try (Stream<Path> files = Files.list(RepositoryFiles.find("schema-migrations/src/main/resources/db/migration"))) {
            return String.valueOf(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow());
        }
    }

    /** The version the database's schema history says it is at. */
    private static String migratedVersion(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("SELECT max(version::int) FROM flyway_schema_history")) {
            rs.next();
            return String.valueOf(rs.getInt(1));
        }
    }

    private SchemaMigratorHandler handler(Supplier<DataSource> dataSource) {
        return new SchemaMigratorHandler(dataSource, new CustomResourceResponder(Duration.ofSeconds(2), 2));
    }

    private CloudFormationCustomResourceEvent event(String type) throws IOException {
        String json;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("events/cfn-" + type + ".json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String responseUrl = "http://127.0.0.1:" + cloudFormation.getAddress().getPort() + "/cfn-response";
        return LambdaEvents.fromJson(json.replace("RESPONSE_URL", responseUrl), CloudFormationCustomResourceEvent.class);
    }

    private Received nextAnswer() throws InterruptedException {
        Received answer = responses.poll(5, TimeUnit.SECONDS);
        assertThat(answer).as("an answer at the response URL").isNotNull();
        return answer;
    }

    private static DataSource dataSource(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        return dataSource;
    }

    private static int tableCount(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM information_schema.tables "
                     + "WHERE table_schema = 'public' AND table_name IN ('books', 'reviews', 'command_outcomes', 'command_waits')")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
