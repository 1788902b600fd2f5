package dev.bookstore.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.connection.PostgresConnector;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.migration.Migrations;
import dev.bookstore.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The Lambda way of connecting: one connection per environment, reopened when it breaks, no session SETs. */
class DatabaseIT {

    static TestPostgres postgres;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
    }

    @Test
    void anEnvironmentHoldsExactlyOneConnectionAcrossUnitsOfWork() {
        String app = "one-conn-" + UUID.randomUUID().toString().substring(0, 8);
        try (Database db = lambdaDatabase(postgres.jdbcUrl(), app)) {
            for (int i = 0; i < 5; i++) {
                NewBook book = book();
                db.inTransaction(m -> m.books().insertBooks(List.of(book)));
                db.read(m -> m.books().findBookDetail(book.id()));
            }

            assertThat(connectionsNamed(app)).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> connectionsNamed(app) == 0);
    }

    @Test
    void aBrokenConnectionFailsAsTransientAndTheNextUnitOfWorkReconnects() {
        String app = "reconnect-" + UUID.randomUUID().toString().substring(0, 8);
        try (Database db = lambdaDatabase(postgres.jdbcUrl(), app)) {
            db.read(m -> m.books().findBookDetail(UUID.randomUUID()));
            terminateConnectionsNamed(app);

            assertThatThrownBy(() -> db.read(m -> m.books().findBookDetail(UUID.randomUUID())))
                    .isInstanceOf(TransientDatabaseException.class);
            NewBook book = book();
            int inserted = db.inTransaction(m -> m.books().insertBooks(List.of(book)));

            assertThat(inserted).isEqualTo(1);
            assertThat(connectionsNamed(app)).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableServerIsTransientAndTheErrorNeverShowsThePassword() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DatabaseConfig config = DatabaseConfig.from(Map.of(
                DatabaseConfig.HOST, "127.0.0.1", DatabaseConfig.PORT, String.valueOf(closedPort),
                DatabaseConfig.NAME, "bookstore", DatabaseConfig.USER, "writer",
                DatabaseConfig.PASSWORD, "s3cret-Pa55word", DatabaseConfig.SSL_MODE, "disable",
                DatabaseConfig.CONNECT_TIMEOUT, "1"));
        try (Database db = Database.singleConnection(new PostgresConnector(config))) {
            assertThatThrownBy(() -> db.read(m -> m.books().findBookDetail(UUID.randomUUID())))
                    .isInstanceOf(TransientDatabaseException.class)
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain("s3cret-Pa55word"));
        }
    }

    @Test
    void noMapperStatementOrConnectionSetupIssuesASessionLevelSet() throws Exception {
        assumeThat(postgres.serverLog()).as("the statement log of the embedded server").isPresent();
        String url = postgres.newDatabase();
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setUrl(url);
        Migrations.apply(plain);
        String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("ALTER DATABASE " + database + " SET log_statement = 'all'");
        }

        String app = "no-set-" + UUID.randomUUID().toString().substring(0, 8);
        try (Database db = lambdaDatabase(url, app)) {
            NewBook book = book();
            db.inTransaction(m -> m.books().insertBooks(List.of(book)));
            db.inTransaction(m -> m.reviews().insertReviews(
                    List.of(new NewReview(UUID.randomUUID(), UUID.randomUUID(), book.id(), "r", 5, null))));
            db.inTransaction(m -> m.outcomes().recordOutcomes(List.of(CommandOutcome.applied(UUID.randomUUID(), "CreateBook", book.id()))));
            db.read(m -> m.books().findBookDetail(book.id()));
            db.read(m -> m.books().listBooks("A", null, 5));
            db.read(m -> m.books().findExistingIds(Set.of(book.id())));
            db.read(m -> m.reviews().findReviewPage(book.id(), null, 5));
            db.read(m -> m.outcomes().findOutcome(UUID.randomUUID()));
            db.read(m -> m.outcomes().findOutcomeWithBook(UUID.randomUUID()));
        }

        List<String> ours = statementsLogged(postgres.serverLog().get(), "[" + database + "] [" + app + "]");
        assertThat(ours).as("statements logged for " + app).anyMatch(line -> line.contains("INSERT INTO books"));
        assertThat(ours).anyMatch(line -> line.contains("FROM command_outcomes"));
        assertThat(ours).noneMatch(line -> line.matches("(?i).*(statement|execute [^:]*): +(SET|RESET|DISCARD|PREPARE|LISTEN)\\b.*"));
    }

    /** The server writes its log asynchronously: wait until the test's last statement is there. */
    private static List<String> statementsLogged(Path log, String prefix) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> Files.readAllLines(log).stream().filter(line -> line.contains(prefix)).toList(),
                lines -> lines.stream().anyMatch(line -> line.contains("LEFT JOIN reviews r ON o.type")));
    }

    private static Database lambdaDatabase(String url, String applicationName) {
        DatabaseConfig config = DatabaseConfig.from(Map.of(DatabaseConfig.URL, url, DatabaseConfig.APPLICATION_NAME, applicationName));
        return Database.singleConnection(new PostgresConnector(config));
    }

    private static NewBook book() {
        return new NewBook(UUID.randomUUID(), UUID.randomUUID(), "T", "A", "P", 2001, null);
    }

    private static long connectionsNamed(String applicationName) {
        try (Connection c = postgres.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void terminateConnectionsNamed(String applicationName) {
        try (Connection c = postgres.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, applicationName);
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fullText(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
