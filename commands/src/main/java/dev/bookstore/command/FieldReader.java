package dev.bookstore.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Reads the fields of one JSON object against their rules, collecting every violation rather than stopping at the first. */
final class FieldReader {

    private final JsonNode object;
    private final List<Violation> violations = new ArrayList<>();

    FieldReader(JsonNode object, Collection<String> knownFields) {
        this.object = object;
        if (object == null || !object.isObject()) {
            violations.add(Violation.body("", "must be a JSON object"));
            return;
        }
        object.fieldNames().forEachRemaining(name -> {
            if (!knownFields.contains(name)) {
                violations.add(Violation.body(name, "is not a known field; known fields are " + String.join(", ", knownFields)));
            }
        });
    }

    List<Violation> violations() {
        return violations;
    }

    /** A required line of text: trimmed, not blank, at most {@code max} characters, no control characters. */
    String requiredText(String field, int max) {
        JsonNode node = present(field);
        if (node == null) {
            required(field);
            return null;
        }
        return text(field, node, max, false);
    }

    /** Optional text that may span lines; absent or null means none. */
    String optionalMultilineText(String field, int max) {
        JsonNode node = present(field);
        return node == null ? null : text(field, node, max, true);
    }

    /** A required whole number within {@code [min, max]}; {@code 4.5} and {@code "5"} are not whole numbers. */
    int requiredInt(String field, int min, int max) {
        JsonNode node = present(field);
        if (node == null) {
            required(field);
            return 0;
        }
        if (!node.isIntegralNumber()) {
            violations.add(Violation.body(field, "must be a whole number, was " + kind(node)));
            return 0;
        }
        if (!node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            violations.add(Violation.body(field, "must be between " + min + " and " + max));
            return 0;
        }
        return node.intValue();
    }

    UUID requiredUuid(String field) {
        JsonNode node = present(field);
        if (node == null) {
            required(field);
            return null;
        }
        UUID id = node.isTextual() ? CommandIds.parse(node.textValue()) : null;
        if (id == null) {
            violations.add(Violation.body(field, "must be a UUID such as 3f0c6a1e-5b7d-4e8a-9c2f-1d2e3f4a5b6c"));
        }
        return id;
    }

    /** An optional ISBN-10 or ISBN-13, hyphens and spaces allowed; returned normalised. */
    String optionalIsbn(String field) {
        JsonNode node = present(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            violations.add(Violation.body(field, "must be a string, was " + kind(node)));
            return null;
        }
        String isbn = Isbn.normalise(node.textValue());
        if (isbn == null) {
            violations.add(Violation.body(field, "must be a valid ISBN-10 or ISBN-13 (check digit included)"));
        }
        return isbn;
    }

    /** Whether the object has {@code field} at all, null included: in a merge patch, null means "remove". */
    boolean has(String field) {
        return object != null && object.isObject() && object.has(field);
    }

    /** Whether {@code field} is there and null. */
    boolean isNull(String field) {
        return has(field) && object.get(field).isNull();
    }

    /** For a field a patch may set but not remove: a violation when it is null. */
    void notRemovable(String field) {
        if (isNull(field)) {
            violations.add(Violation.body(field, "cannot be removed; leave it out to keep it, or give a new value"));
        }
    }

    /** An optional whole number within {@code [min, max]}; null when absent. */
    Integer optionalInt(String field, int min, int max) {
        return present(field) == null ? null : requiredInt(field, min, max);
    }

    /** An optional line of text; null when absent. */
    String optionalText(String field, int max) {
        JsonNode node = present(field);
        return node == null ? null : text(field, node, max, false);
    }

    /** A nested object, or null (with a violation) when it is missing or not an object. */
    JsonNode requiredObject(String field) {
        JsonNode node = present(field);
        if (node == null) {
            required(field);
            return null;
        }
        if (!node.isObject()) {
            violations.add(Violation.body(field, "must be a JSON object, was " + kind(node)));
            return null;
        }
        return node;
    }

    /** Takes a nested reader's violations, each named under {@code prefix}. */
    void addAll(String prefix, List<Violation> nested) {
        nested.forEach(v -> violations.add(Violation.body(v.field().isEmpty() ? prefix : prefix + "." + v.field(), v.detail())));
    }

    /** A missing field; not worth saying when the body is not even an object. */
    private void required(String field) {
        if (object != null && object.isObject()) {
            violations.add(Violation.body(field, "is required"));
        }
    }

    private JsonNode present(String field) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode node = object.get(field);
        return node == null || node.isNull() ? null : node;
    }

    private String text(String field, JsonNode node, int max, boolean multiline) {
        if (!node.isTextual()) {
            violations.add(Violation.body(field, "must be a string, was " + kind(node)));
            return null;
        }
        String value = node.textValue().strip();
        String problem = TextRules.problem(value, max, multiline);
        if (problem != null) {
            violations.add(Violation.body(field, problem));
            return null;
        }
        return value;
    }

    private static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() ? "a whole number" : "a decimal number";
        }
        return switch (node.getNodeType()) {
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
