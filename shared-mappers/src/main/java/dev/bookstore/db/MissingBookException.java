package dev.bookstore.db;

/** A review names a book that is not stored (yet). */
public final class MissingBookException extends ConstraintViolationException {

    public MissingBookException(String message, String sqlState, String constraint, Throwable cause) {
        super(message, sqlState, constraint, cause);
    }
}
