package dev.bookstore.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Embedded PostgreSQL 17 as a production server would run: fsync and synchronous_commit on (the
 * test server turns them off). Every benchmark and its baseline share one.
 */
final class BenchPostgres implements AutoCloseable {

    private final EmbeddedPostgres server;

    BenchPostgres() {
        try {
            Path data = Files.createTempDirectory("bookstore-bench-pg");
            server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL for the benchmark", e);
        }
    }

    String jdbcUrl() {
        return server.getJdbcUrl("postgres", "postgres");
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
