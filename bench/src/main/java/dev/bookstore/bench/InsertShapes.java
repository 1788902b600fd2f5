package dev.bookstore.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The writer's two inserts (outcome claims, then books) with a commit, in plain JDBC on one connection, in the two
 * shapes that make a batch's SQL static: each column as one array through {@code unnest} (what the writer does), and
 * JDBC batching with pgjdbc's {@code reWriteBatchedInserts}, which folds the batch into multi-row {@code VALUES}. Same
 * rows per commit, same server, timed one after the other; the faster shape is the one to keep.
 */
final class InsertShapes {

    private InsertShapes() {
    }

    private static final String CLAIM_UNNEST = "INSERT INTO command_outcomes (command_id, type, status, resource_id) "
            + "SELECT c, 'CreateBook', 'APPLIED', r FROM unnest(?::uuid[], ?::uuid[]) AS t (c, r) "
            + "ON CONFLICT (command_id) DO NOTHING RETURNING command_id";
    private static final String BOOKS_UNNEST = "INSERT INTO books (id, command_id, title, author, publisher, year) "
            + "SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[]) "
            + "ON CONFLICT (command_id) DO NOTHING RETURNING command_id";
    private static final String CLAIM_ROW = "INSERT INTO command_outcomes (command_id, type, status, resource_id) "
            + "VALUES (?, 'CreateBook', 'APPLIED', ?) ON CONFLICT (command_id) DO NOTHING";
    private static final String BOOKS_ROW = "INSERT INTO books (id, command_id, title, author, publisher, year) "
            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING";

    /**
     * Books per second of each shape, whether the rewritten batch still said which rows it inserted, and what one
     * more statement in a transaction costs (a {@code SELECT 1} round trip, median), to weigh folding two into one.
     */
    record Result(double unnest, double rewrittenBatch, boolean batchCountsEachRow, double roundTripMillis) {
    }

    static Result run(String jdbcUrl, int rows, int transactions) throws SQLException {
        try (Connection arrays = DriverManager.getConnection(jdbcUrl);
             Connection batches = DriverManager.getConnection(jdbcUrl + "&reWriteBatchedInserts=true")) {
            arrays.setAutoCommit(false);
            batches.setAutoCommit(false);
            timeUnnest(arrays, rows, Math.max(10, transactions / 5)); // warm-up: both shapes prepared, the JIT settled
            timeBatch(batches, rows, Math.max(10, transactions / 5));
            return new Result(timeUnnest(arrays, rows, transactions), timeBatch(batches, rows, transactions), countsEachRow(batches),
                    roundTrip(arrays));
        }
    }

    private static double timeUnnest(Connection c, int rows, int transactions) throws SQLException {
        try (PreparedStatement claim = c.prepareStatement(CLAIM_UNNEST); PreparedStatement books = c.prepareStatement(BOOKS_UNNEST)) {
            long start = System.nanoTime();
            for (int t = 0; t < transactions; t++) {
                UUID[] commands = ids(rows);
                UUID[] bookIds = ids(rows);
                String[] titles = new String[rows];
                String[] authors = new String[rows];
                String[] publishers = new String[rows];
                Integer[] years = new Integer[rows];
                for (int i = 0; i < rows; i++) {
                    titles[i] = "Shape " + i;
                    authors[i] = "Ursula K. Le Guin";
                    publishers[i] = "Ace";
                    years[i] = 1969;
                }
                claim.setArray(1, c.createArrayOf("uuid", commands));
                claim.setArray(2, c.createArrayOf("uuid", bookIds));
                expectRows(claim, rows);
                books.setArray(1, c.createArrayOf("uuid", bookIds));
                books.setArray(2, c.createArrayOf("uuid", commands));
                books.setArray(3, c.createArrayOf("text", titles));
                books.setArray(4, c.createArrayOf("text", authors));
                books.setArray(5, c.createArrayOf("text", publishers));
                books.setArray(6, c.createArrayOf("int4", years));
                expectRows(books, rows);
                c.commit();
            }
            return rows * transactions / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double timeBatch(Connection c, int rows, int transactions) throws SQLException {
        try (PreparedStatement claim = c.prepareStatement(CLAIM_ROW); PreparedStatement books = c.prepareStatement(BOOKS_ROW)) {
            long start = System.nanoTime();
            for (int t = 0; t < transactions; t++) {
                UUID[] commands = ids(rows);
                UUID[] bookIds = ids(rows);
                for (int i = 0; i < rows; i++) {
                    claim.setObject(1, commands[i]);
                    claim.setObject(2, bookIds[i]);
                    claim.addBatch();
                }
                claim.executeBatch();
                for (int i = 0; i < rows; i++) {
                    books.setObject(1, bookIds[i]);
                    books.setObject(2, commands[i]);
                    books.setString(3, "Shape " + i);
                    books.setString(4, "Ursula K. Le Guin");
                    books.setString(5, "Ace");
                    books.setInt(6, 1969);
                    books.addBatch();
                }
                books.executeBatch();
                c.commit();
            }
            return rows * transactions / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** A one-row claim batched with a conflicting one: a batch that counts each row answers 1 and 0. */
    private static boolean countsEachRow(Connection c) throws SQLException {
        UUID command = UUID.randomUUID();
        try (PreparedStatement claim = c.prepareStatement(CLAIM_ROW)) {
            for (int i = 0; i < 2; i++) {
                claim.setObject(1, command);
                claim.setObject(2, UUID.randomUUID());
                claim.addBatch();
            }
            int[] counts = claim.executeBatch();
            c.rollback();
            return counts.length == 2 && counts[0] == 1 && counts[1] == 0;
        }
    }

    private static double roundTrip(Connection c) throws SQLException {
        long[] took = new long[2_000];
        try (PreparedStatement select = c.prepareStatement("SELECT 1")) {
            for (int i = 0; i < took.length; i++) {
                long began = System.nanoTime();
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                }
                took[i] = System.nanoTime() - began;
            }
        }
        c.rollback();
        return new Percentiles(took).millis(50);
    }

    private static void expectRows(PreparedStatement statement, int rows) throws SQLException {
        int returned = 0;
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                returned++;
            }
        }
        if (returned != rows) {
            throw new IllegalStateException(rows + " rows sent, " + returned + " inserted");
        }
    }

    private static UUID[] ids(int n) {
        UUID[] ids = new UUID[n];
        for (int i = 0; i < n; i++) {
            ids[i] = UUID.randomUUID();
        }
        return ids;
    }
}
