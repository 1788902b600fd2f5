package dev.bookstore.db;

/**
 * A database failure that is neither known to be transient nor a rule violation. Callers should
 * retry it like a transient one: only a rule violation is safe to reject for good.
 */
public class DatabaseException extends RuntimeException {

    private final String sqlState;

    public DatabaseException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** The SQLSTATE the server or driver reported, or null when there was none. */
    public String sqlState() {
        return sqlState;
    }
}
