package dev.bookstore.db;

/**
 * A row with this primary key exists already, created by another command: two commands name the
 * same book or review id (an idempotency key reused with a different request).
 */
public final class DuplicateIdException extends ConstraintViolationException {

    public DuplicateIdException(String message, String sqlState, String constraint, Throwable cause) {
        super(message, sqlState, constraint, cause);
    }
}
