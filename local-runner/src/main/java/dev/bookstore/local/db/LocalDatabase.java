package dev.bookstore.local.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bookstore.migration.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * PostgreSQL 17, embedded (its data kept in a directory between runs, or thrown away) or an existing
 * server, migrated at start, with the pool that stands in for RDS Proxy in front of it.
 */
public final class LocalDatabase implements AutoCloseable {

    private static final String DATABASE = "bookstore";

    private EmbeddedPostgres embedded;
    private final Path dataDirectory;
    private final boolean ephemeral;
    private final int port;
    private final String jdbcUrl;
    private final HikariDataSource proxyPool;
    private final LocalProxyDriver proxy;

    private LocalDatabase(EmbeddedPostgres embedded, Path dataDirectory, boolean ephemeral, int port, String jdbcUrl, int proxyConnections,
                          Duration borrowTimeout) throws SQLException {
        this.embedded = embedded;
        this.dataDirectory = dataDirectory;
        this.ephemeral = ephemeral;
        this.port = port;
        this.jdbcUrl = jdbcUrl;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("local-rds-proxy");
        config.setMaximumPoolSize(proxyConnections);
        config.setMinimumIdle(0);
        // RDS Proxy's ConnectionBorrowTimeout: how long a client waits for the database before its statement fails.
        config.setConnectionTimeout(borrowTimeout.toMillis());
        config.setInitializationFailTimeout(-1);
        this.proxyPool = new HikariDataSource(config);
        this.proxy = LocalProxyDriver.register(proxyPool);
    }

    /** Embedded PostgreSQL on {@code port}, its data in {@code dataDirectory} unless {@code ephemeral}. */
    public static LocalDatabase embedded(Path dataDirectory, boolean ephemeral, int port, int proxyConnections, Duration borrowTimeout) {
        try {
            Path data = ephemeral ? Files.createTempDirectory("bookstore-local-pg") : dataDirectory;
            Files.createDirectories(data);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(ephemeral)
                    .setPort(port)
                    .setServerConfig("max_connections", String.valueOf(proxyConnections + 20))
                    .start();
            String admin = server.getJdbcUrl("postgres", "postgres");
            createDatabaseIfMissing(admin);
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=postgres";
            LocalDatabase database = new LocalDatabase(server, data, ephemeral, port, url, proxyConnections, borrowTimeout);
            database.migrate();
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL started but could not be prepared: " + e.getMessage(), e);
        }
    }

    /** An existing server. */
    public static LocalDatabase external(String jdbcUrl, int proxyConnections, Duration borrowTimeout) {
        try {
            LocalDatabase database = new LocalDatabase(null, null, false, -1, jdbcUrl, proxyConnections, borrowTimeout);
            database.migrate();
            return database;
        } catch (SQLException e) {
            throw new IllegalStateException("could not use the database at " + jdbcUrl.replaceAll("password=[^&]*", "password=***")
                    + ": " + e.getMessage(), e);
        }
    }

    private void migrate() {
        Migrations.apply(proxyPool);
    }

    private static void createDatabaseIfMissing(String adminUrl) throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    /** Stops the embedded server, as an outage would; its data stays for {@link #startServer()}. */
    public synchronized void stopServer() {
        if (embedded == null) {
            throw new IllegalStateException("only an embedded server the runner started can be stopped");
        }
        if (ephemeral) {
            throw new IllegalStateException("an ephemeral database cannot be stopped and started again: its data goes with it");
        }
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the embedded server again on the same port and data, after {@link #stopServer()}. */
    public synchronized void startServer() {
        try {
            embedded = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
                    .setServerConfig("max_connections", String.valueOf(proxyPool.getMaximumPoolSize() + 20)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL again in " + dataDirectory, e);
        }
        // The pool's idle connections died with the old server.
        proxyPool.getHikariPoolMXBean().softEvictConnections();
    }

    /** Delays every statement and commit through the proxy by {@code delay}: a slow database, for fault tests. */
    public void slowDown(Duration delay) {
        proxy.delay(delay);
    }

    /** What the functions are given as their database, as they are given the proxy endpoint on AWS. */
    public String proxyUrl() {
        return LocalProxyDriver.URL;
    }

    /** A URL to the database itself, for tools such as psql. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public HikariDataSource proxyPool() {
        return proxyPool;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    public String describe() {
        if (embedded == null) {
            return jdbcUrl.replaceAll("password=[^&]*", "password=***") + " (existing server)";
        }
        return jdbcUrl + (ephemeral ? " (embedded, thrown away at exit)" : " (embedded, data in " + dataDirectory + ")");
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        proxy.deregister();
        proxyPool.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
            }
        }
    }
}
