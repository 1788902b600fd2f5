package dev.bookstore.db;

/** Another book already has this ISBN (in its ISBN-10 or ISBN-13 form). */
public final class DuplicateIsbnException extends ConstraintViolationException {

    public DuplicateIsbnException(String message, String sqlState, String constraint, Throwable cause) {
        super(message, sqlState, constraint, cause);
    }
}
