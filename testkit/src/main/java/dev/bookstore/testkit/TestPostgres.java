package dev.bookstore.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One PostgreSQL per test JVM: embedded PostgreSQL 17 (a real server from a Maven artifact), or the
 * server that {@value #EXTERNAL_URL} names. Either way each JVM gets a database of its own, so
 * modules can run their tests side by side; tests clean what they use.
 *
 * <p>The migrations create a writer, a reader and a retention role per database, named after it, without a password
 * (on AWS they log in with IAM). Tests connect as them with {@link #jdbcUrlAs}: the embedded server trusts
 * local connections; an external server must trust them too (a {@code trust} line in
 * {@code pg_hba.conf}), and its user must be allowed to create roles as well as databases.
 */
public final class TestPostgres {

    /** A JDBC URL of an existing server (with a user allowed to create databases) to use instead. */
    public static final String EXTERNAL_URL = "BOOKSTORE_TEST_DB_URL";

    private static TestPostgres shared;

    private final Path dataDirectory;
    private final int port;
    private final String serverUrl;
    private final String database = "bookstore_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<String> newDatabases = new CopyOnWriteArrayList<>();
    private EmbeddedPostgres embedded;
    private HikariDataSource pool;

    private TestPostgres(String externalUrl) {
        if (externalUrl == null) {
            try {
                dataDirectory = Files.createTempDirectory("bookstore-test-pg");
                port = freePort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            start();
            serverUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        } else {
            dataDirectory = null;
            port = -1;
            serverUrl = externalUrl;
        }
        execute(serverUrl, "CREATE DATABASE " + database);
        pool = new HikariDataSource(poolConfig(jdbcUrl()));
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropDatabase, "drop-" + database));
    }

    /** The PostgreSQL of this JVM, started on first use. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = new TestPostgres(System.getenv(EXTERNAL_URL));
        }
        return shared;
    }

    /** A small pool on this JVM's database. */
    public DataSource dataSource() {
        return pool;
    }

    /** A URL of this JVM's database, with the user (and the password, if the external URL had one). */
    public String jdbcUrl() {
        int query = serverUrl.indexOf('?');
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        String params = query < 0 ? "" : serverUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }

    public String databaseName() {
        return database;
    }

    /** The role that the BookWriter and ReviewWriter functions connect as to this JVM's database. */
    public String writerRole() {
        return roleOf(jdbcUrl(), "writer");
    }

    /** The role that the QueryApi function connects as to this JVM's database. */
    public String readerRole() {
        return roleOf(jdbcUrl(), "reader");
    }

    /** The role that the Retention function connects as to this JVM's database. */
    public String retentionRole() {
        return roleOf(jdbcUrl(), "retention");
    }

    /** The role that the EventPublisher function connects as to this JVM's database. */
    public String publisherRole() {
        return roleOf(jdbcUrl(), "publisher");
    }

    /** This JVM's database as {@code role}, without a password. */
    public String jdbcUrlAs(String role) {
        return jdbcUrlAs(jdbcUrl(), role);
    }

    /** Unpooled, a new connection per borrower, on this JVM's database as {@code role}. */
    public DataSource dataSourceAs(String role) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrlAs(role));
        return dataSource;
    }

    /** The role the migrations create for {@code duty} ({@code "writer"}, {@code "reader"}, {@code "retention"} or {@code "publisher"}) in the database at {@code databaseUrl}. */
    public static String roleOf(String databaseUrl, String duty) {
        String base = databaseUrl.contains("?") ? databaseUrl.substring(0, databaseUrl.indexOf('?')) : databaseUrl;
        return base.substring(base.lastIndexOf('/') + 1) + "_" + duty;
    }

    /** The database at {@code databaseUrl} (this JVM's, or one from {@link #newDatabase()}) as {@code role}, without a password. */
    public static String jdbcUrlAs(String databaseUrl, String role) {
        int query = databaseUrl.indexOf('?');
        StringBuilder url = new StringBuilder(query < 0 ? databaseUrl : databaseUrl.substring(0, query)).append('?');
        if (query >= 0) {
            for (String param : databaseUrl.substring(query + 1).split("&")) {
                if (!param.isEmpty() && !param.matches("(?i)(user|password)=.*")) {
                    url.append(param).append('&');
                }
            }
        }
        return url.append("user=").append(role).toString();
    }

    public boolean isEmbedded() {
        return dataDirectory != null;
    }

    /** The server's log file, where statements are logged for databases that ask for it; embedded only. */
    public Optional<Path> serverLog() {
        return isEmbedded() ? Optional.of(dataDirectory.resolve("log").resolve("postgresql.log")) : Optional.empty();
    }

    /** Stops the embedded server, as an outage would; {@link #start()} brings it back on the same port and data. */
    public synchronized void stop() {
        requireEmbedded();
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        embedded = null;
    }

    public synchronized void start() {
        requireEmbedded();
        if (embedded != null) {
            return;
        }
        try {
            embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // Tests need a real server, not a durable one.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", "log")
                    .setServerConfig("log_filename", "postgresql.log")
                    .setServerConfig("log_line_prefix", "'%m [%d] [%a] '")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDirectory, e);
        }
        if (pool != null) {
            // Its idle connections died with the old server; a borrower must not get one of them.
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /** Creates another, empty database on the same server and returns its URL; for tests that need a clean slate. */
    public String newDatabase() {
        String name = database + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        execute(serverUrl, "CREATE DATABASE " + name);
        newDatabases.add(name);
        String url = jdbcUrl();
        return url.replace("/" + database, "/" + name);
    }

    /** Empties the given tables; each test starts from what it sets up. */
    public void truncate(String... tables) {
        if (tables.length > 0) {
            execute(jdbcUrl(), "TRUNCATE " + String.join(", ", tables) + " CASCADE");
        }
    }

    /** A single number read with plain JDBC, for checking effects without the code under test. */
    public long count(String sql, Object... params) {
        try (Connection connection = pool.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not run «" + sql + "»", e);
        }
    }

    /** Runs one statement on this JVM's database on a connection of its own. */
    public void execute(String sql) {
        execute(jdbcUrl(), sql);
    }

    private void requireEmbedded() {
        if (!isEmbedded()) {
            throw new IllegalStateException("only the embedded server can be stopped and started; unset " + EXTERNAL_URL);
        }
    }

    /** Drops this JVM's databases, then their roles: roles belong to the server and would outlive them. */
    private void dropDatabase() {
        try {
            pool.close();
            List<String> databases = new ArrayList<>(newDatabases);
            databases.add(database);
            for (String name : databases) {
                execute(serverUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                execute(serverUrl, "DROP ROLE IF EXISTS " + name + "_writer, " + name + "_reader, " + name + "_retention");
            }
        } catch (RuntimeException e) {
            // The server may already be stopping with the JVM; an embedded one takes its data with it.
        }
    }

    private static HikariConfig poolConfig(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(0);
        config.setPoolName("test-" + url.substring(url.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT));
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        return config;
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run «" + sql + "» on " + url.replaceAll("password=[^&]*", "password=***"), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
