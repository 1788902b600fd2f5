package dev.bookstore.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON merge patch of a book (RFC 7396): a field left out is kept, and only the ISBN can be removed. A record could not
 * tell "leave the ISBN" from "remove it" (both null), so the patch holds only the fields set, and removal is a method of
 * its own rather than {@code isbn(null)}, which would read like a mistake.
 */
public final class BookPatch {

    private final Map<String, Object> fields;

    private BookPatch(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The fields to send, in the order set; a null value removes the field. */
    public Map<String, Object> fields() {
        return fields;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BookPatch patch && patch.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "BookPatch" + fields;
    }

    public static final class Builder {

        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder title(String title) {
            fields.put("title", Objects.requireNonNull(title, "title cannot be removed"));
            return this;
        }

        public Builder author(String author) {
            fields.put("author", Objects.requireNonNull(author, "author cannot be removed"));
            return this;
        }

        public Builder publisher(String publisher) {
            fields.put("publisher", Objects.requireNonNull(publisher, "publisher cannot be removed"));
            return this;
        }

        public Builder year(int year) {
            fields.put("year", year);
            return this;
        }

        public Builder isbn(String isbn) {
            fields.put("isbn", Objects.requireNonNull(isbn, "isbn: use removeIsbn() to remove it"));
            return this;
        }

        /** Sends {@code "isbn": null}. */
        public Builder removeIsbn() {
            fields.put("isbn", null);
            return this;
        }

        /** @throws IllegalStateException when no field was set: the API takes at least one (minProperties 1). */
        public BookPatch build() {
            if (fields.isEmpty()) {
                throw new IllegalStateException("a patch changes at least one field");
            }
            return new BookPatch(fields);
        }
    }
}
