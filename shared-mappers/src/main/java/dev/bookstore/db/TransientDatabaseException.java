package dev.bookstore.db;

/** The connection broke, timed out, or the server refused for now; the same work may succeed later. */
public final class TransientDatabaseException extends DatabaseException {

    public TransientDatabaseException(String message, String sqlState, Throwable cause) {
        super(message, sqlState, cause);
    }
}
