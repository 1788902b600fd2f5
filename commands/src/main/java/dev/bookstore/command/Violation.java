package dev.bookstore.command;

/**
 * One broken rule: which field, where it was ({@code body}, {@code path}, {@code header} or
 * {@code query}), and what is wrong with it, in words a client can act on.
 */
public record Violation(String field, String in, String detail) {

    public static Violation body(String field, String detail) {
        return new Violation(field, "body", detail);
    }

    @Override
    public String toString() {
        return field + ": " + detail;
    }
}
