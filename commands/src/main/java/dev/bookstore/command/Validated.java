package dev.bookstore.command;

import java.util.List;

/** Either a valid value, or every rule it broke — never only the first. */
public record Validated<T>(T value, List<Violation> violations) {

    public Validated {
        violations = List.copyOf(violations);
        if ((value == null) == violations.isEmpty()) {
            throw new IllegalArgumentException("a value exactly when nothing was violated");
        }
    }

    public static <T> Validated<T> valid(T value) {
        return new Validated<>(value, List.of());
    }

    public static <T> Validated<T> invalid(List<Violation> violations) {
        return new Validated<>(null, violations);
    }

    public boolean isValid() {
        return value != null;
    }
}
