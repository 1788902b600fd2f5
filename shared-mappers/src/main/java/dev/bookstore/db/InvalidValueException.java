package dev.bookstore.db;

/** A value broke a check, length, range or not-null rule; {@link #constraint()} says which. */
public final class InvalidValueException extends ConstraintViolationException {

    public InvalidValueException(String message, String sqlState, String constraint, Throwable cause) {
        super(message, sqlState, constraint, cause);
    }
}
