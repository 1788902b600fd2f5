package dev.bookstore.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Baseline B for the writer: pgbench on the same server, one client, running the writer's transaction
 * shape with nothing around it: as many outcome rows and book rows as the writer's batch, each a multi-row
 * {@code INSERT … ON CONFLICT DO NOTHING RETURNING}, then a commit. The limit the handler can approach.
 */
final class Pgbench {

    private Pgbench() {
    }

    /** pgbench on the PATH, or null. */
    private static final Path PGBENCH = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "pgbench")).filter(Files::isExecutable).findFirst().orElse(null);

    static boolean installed() {
        return PGBENCH != null;
    }

    /** Books per second over {@code seconds}, {@code rows} books (and their outcomes) per transaction. */
    static double booksPerSecond(int port, int seconds, int rows) {
        try {
            Path script = Files.createTempFile("writer-shape", ".sql");
            StringBuilder outcomes = new StringBuilder("INSERT INTO command_outcomes (command_id, type, status, reason, detail, resource_id) VALUES ");
            StringBuilder books = new StringBuilder("INSERT INTO books (id, command_id, title, author, publisher, year, isbn) VALUES ");
            for (int i = 0; i < rows; i++) {
                String sep = i == 0 ? "" : ", ";
                outcomes.append(sep).append("(gen_random_uuid(), 'CreateBook', 'APPLIED', NULL, NULL, gen_random_uuid())");
                books.append(sep).append("(gen_random_uuid(), gen_random_uuid(), 'Bench " + i + "', 'Ursula K. Le Guin', 'Ace', 1969, NULL)");
            }
            Files.writeString(script, String.join("\n", List.of("BEGIN;",
                    outcomes + " ON CONFLICT (command_id) DO NOTHING RETURNING command_id;",
                    books + " ON CONFLICT (command_id) DO NOTHING RETURNING command_id;",
                    "COMMIT;")) + "\n");
            Process pgbench = new ProcessBuilder(PGBENCH.toString(), "-n", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                    "-c", "1", "-T", String.valueOf(seconds), "-M", "extended", "-f", script.toString(), "postgres")
                    .redirectErrorStream(true).start();
            String output = new String(pgbench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pgbench.waitFor(seconds + 60L, TimeUnit.SECONDS) || pgbench.exitValue() != 0) {
                throw new IllegalStateException("pgbench failed: " + output);
            }
            Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
            if (!tps.find()) {
                throw new IllegalStateException("no tps in pgbench's output: " + output);
            }
            return Double.parseDouble(tps.group(1)) * rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
