package dev.bookstore.db;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Turns what the driver and MyBatis throw into the exception types that callers treat differently. */
final class DatabaseErrors {

    private static final String DUPLICATE_ISBN_CONSTRAINT = "books_isbn_key";
    private static final String MISSING_BOOK_CONSTRAINT = "reviews_book_id_fkey";
    private static final Set<String> PRIMARY_KEYS = Set.of("books_pkey", "reviews_pkey");

    /** Rule violations: the same data can never succeed. */
    private static final Set<String> VIOLATIONS = Set.of(
            "23505", // unique_violation
            "23503", // foreign_key_violation
            "23514", // check_violation
            "23502", // not_null_violation
            "22001", // string_data_right_truncation
            "22003", // numeric_value_out_of_range
            "22P02", // invalid_text_representation
            "22021"); // character_not_in_repertoire (e.g. a NUL byte)

    /** Violations whose detail is "Failing row contains (...)", every column of the row. */
    private static final Set<String> ROW_QUOTING = Set.of(
            "23502", // not_null_violation
            "23514"); // check_violation

    /** Worth retrying: the server or the path to it was unavailable, or the transaction lost a race. */
    private static final Set<String> TRANSIENT = Set.of(
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03", // lock_not_available
            "57014", // query_canceled (statement timeout)
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now
            "57P05"); // idle_session_timeout

    private DatabaseErrors() {
    }

    static DatabaseException translate(Throwable failure) {
        if (failure instanceof DatabaseException known) {
            return known;
        }
        SQLException sql = find(failure, SQLException.class);
        if (sql == null) {
            String message = "database call failed: " + rootMessage(failure);
            return find(failure, IOException.class) != null
                    ? new TransientDatabaseException(message, null, failure)
                    : new DatabaseException(message, null, failure);
        }
        String state = sql.getSQLState();
        String constraint = constraintOf(sql);
        String message = summary(sql);
        if (state != null && VIOLATIONS.contains(state)) {
            if ("23505".equals(state) && DUPLICATE_ISBN_CONSTRAINT.equals(constraint)) {
                return new DuplicateIsbnException(message, state, constraint, failure);
            }
            if ("23505".equals(state) && PRIMARY_KEYS.contains(constraint)) {
                return new DuplicateIdException(message, state, constraint, failure);
            }
            if ("23503".equals(state) && MISSING_BOOK_CONSTRAINT.equals(constraint)) {
                return new MissingBookException(message, state, constraint, failure);
            }
            return new InvalidValueException(message, state, constraint == null ? state : constraint, failure);
        }
        if (isTransient(sql, state)) {
            return new TransientDatabaseException(message, state, failure);
        }
        return new DatabaseException(message, state, failure);
    }

    private static boolean isTransient(SQLException sql, String state) {
        return sql instanceof SQLTransientException
                || sql instanceof SQLRecoverableException
                || (state != null && (state.startsWith("08") || state.startsWith("53") || TRANSIENT.contains(state)));
    }

    private static String constraintOf(SQLException sql) {
        if (sql instanceof PSQLException psql) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            return server == null ? null : server.getConstraint();
        }
        return null;
    }

    /**
     * The server's message and detail, without the SQL text and parameters MyBatis adds around it, and without a
     * detail that quotes the failing row: that would put a review's text and its reviewer's name in the logs.
     */
    private static String summary(SQLException sql) {
        if (sql instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            String detail = ROW_QUOTING.contains(sql.getSQLState()) ? null : server.getDetail();
            return server.getMessage() + (detail == null ? "" : " (" + detail + ")") + " [SQLSTATE " + sql.getSQLState() + "]";
        }
        return sql.getMessage() + " [SQLSTATE " + sql.getSQLState() + "]";
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
