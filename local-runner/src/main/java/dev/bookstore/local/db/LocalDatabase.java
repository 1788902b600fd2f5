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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * PostgreSQL 17, embedded (its data kept in a directory between runs, or thrown away) or an existing
 * server, migrated at start, with the pools that stand in for RDS Proxy in front of it: the owner's, which
 * migrates, and one per database role the functions connect as.
 */
public final class LocalDatabase implements AutoCloseable {

    private static final String DATABASE = "bookstore";

    private EmbeddedPostgres embedded;
    private final Path dataDirectory;
    private final boolean ephemeral;
    private final int port;
    private final String jdbcUrl;
    private final int proxyConnections;
    private final Duration borrowTimeout;
    private final HikariDataSource proxyPool;
    private final Map<String, HikariDataSource> rolePools = new ConcurrentHashMap<>();
    private final LocalProxyDriver proxy;

    private LocalDatabase(EmbeddedPostgres embedded, Path dataDirectory, boolean ephemeral, int port, String jdbcUrl, int proxyConnections,
                          Duration borrowTimeout) throws SQLException {
        this.embedded = embedded;
        this.dataDirectory = dataDirectory;
        this.ephemeral = ephemeral;
        this.port = port;
        this.jdbcUrl = jdbcUrl;
        this.proxyConnections = proxyConnections;
        this.borrowTimeout = borrowTimeout;
        this.proxyPool = new HikariDataSource(poolConfig("local-rds-proxy"));
        this.proxy = LocalProxyDriver.register(this::poolOf);
    }

    private HikariConfig poolConfig(String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName(name);
        config.setMaximumPoolSize(proxyConnections);
        config.setMinimumIdle(0);
        // RDS Proxy's ConnectionBorrowTimeout: how long a client waits for the database before its statement fails.
        config.setConnectionTimeout(borrowTimeout.toMillis());
        config.setInitializationFailTimeout(-1);
        return config;
    }

    /** The owner's pool without a user; otherwise the pool of that database role. */
    private DataSource poolOf(String user) {
        return user == null ? proxyPool : rolePools.computeIfAbsent(user, this::rolePool);
    }

    /**
     * Logs in as the URL's user and takes on the function's role, so an existing server needs no password for
     * the roles; what a statement may do is what the role may, as on AWS, where the proxy logs in as the role.
     */
    private HikariDataSource rolePool(String role) {
        HikariConfig config = poolConfig("local-rds-proxy-" + role);
        config.setConnectionInitSql("SET ROLE \"" + role.replace("\"", "\"\"") + "\"");
        // Its sessions log in as the server's user, so pg_stat_activity tells them apart by this name instead.
        config.addDataSourceProperty("ApplicationName", applicationName(role));
        return new HikariDataSource(config);
    }

    /** The application_name of the sessions the local proxy holds for {@code role}, as pg_stat_activity shows them. */
    public static String applicationName(String role) {
        return "local-rds-proxy-" + role;
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

    /**
     * Stops a PostgreSQL that an earlier run left running on {@code dataDirectory}: embedded PostgreSQL is started
     * detached, so when its runner's JVM is killed it keeps running, and keeps the port. It gets PostgreSQL's smart
     * shutdown (SIGTERM; its clients died with that JVM), which keeps every committed row, and this run starts it
     * again. Only the server that postmaster.pid names and whose data directory this is; returns its pid.
     */
    public static OptionalLong stopLeftoverServer(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Optional<ProcessHandle> server;
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            server = ProcessHandle.of(pid).filter(process -> serves(process, dataDirectory));
        } catch (IOException | RuntimeException noServer) {
            return OptionalLong.empty(); // no pid file, or one PostgreSQL itself will find stale
        }
        if (server.isEmpty()) {
            return OptionalLong.empty();
        }
        server.get().destroy();
        try {
            server.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("PostgreSQL (pid " + server.get().pid() + "), left running on " + dataDirectory
                    + " by an earlier run, did not stop within 60 s; stop it, then start again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping an earlier run's PostgreSQL", e);
        }
        return OptionalLong.of(server.get().pid());
    }

    private static boolean serves(ProcessHandle process, Path dataDirectory) {
        List<String> arguments = process.info().arguments().map(List::of).orElse(List.of());
        int option = arguments.indexOf("-D");
        return process.info().command().orElse("").endsWith("/postgres") && option >= 0 && option + 1 < arguments.size()
                && Path.of(arguments.get(option + 1)).toAbsolutePath().normalize().equals(dataDirectory.toAbsolutePath().normalize());
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
        // The pools' idle connections died with the old server.
        proxyPool.getHikariPoolMXBean().softEvictConnections();
        rolePools.values().forEach(pool -> pool.getHikariPoolMXBean().softEvictConnections());
    }

    /** Delays every statement and commit through the proxy by {@code delay}: a slow database, for fault tests. */
    public void slowDown(Duration delay) {
        proxy.delay(delay);
    }

    /**
     * Makes every statement whose SQL matches {@code sql} throw an unchecked exception, as a bug would, for fault
     * tests; {@code sql -> false} lifts it. Returns how many statements were failed so far.
     */
    public long injectBug(Predicate<String> sql) {
        return proxy.failStatements(sql);
    }

    /** What the functions are given as their database, as they are given the proxy endpoint on AWS. */
    public String proxyUrl() {
        return LocalProxyDriver.URL;
    }

    /** A URL to the database itself, for tools such as psql. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The owner's pool, for the runner's own queries (status, tallies); the functions use their roles' pools. */
    public HikariDataSource proxyPool() {
        return proxyPool;
    }

    /** Connections the functions' pools hold, open ({@code active} false) or lent out ({@code active} true). */
    public int functionConnections(boolean active) {
        return rolePools.values().stream().mapToInt(pool -> active ? pool.getHikariPoolMXBean().getActiveConnections()
                : pool.getHikariPoolMXBean().getTotalConnections()).sum();
    }

    /** The database's name, which names the roles its migrations create. */
    public String name() {
        try (Connection c = proxyPool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the database's name: " + e.getMessage(), e);
        }
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
        rolePools.values().forEach(HikariDataSource::close);
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
