package dev.bookstore.db;

/**
 * The data broke a rule of the schema; retrying the same data can never succeed.
 * {@link #constraint()} names the rule (the constraint's name in the migration).
 */
public abstract sealed class ConstraintViolationException extends DatabaseException
        permits DuplicateIsbnException, DuplicateIdException, MissingBookException, InvalidValueException {

    private final String constraint;

    ConstraintViolationException(String message, String sqlState, String constraint, Throwable cause) {
        super(message, sqlState, cause);
        this.constraint = constraint;
    }

    public String constraint() {
        return constraint;
    }
}
