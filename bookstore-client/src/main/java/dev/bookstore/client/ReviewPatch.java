package dev.bookstore.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON merge patch of a review (RFC 7396): its rating and text; the reviewer stays. Only the text can be removed, by
 * {@link Builder#removeText()}, for the reason {@link BookPatch} gives.
 */
public final class ReviewPatch {

    private final Map<String, Object> fields;

    private ReviewPatch(Map<String, Object> fields) {
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
        return other instanceof ReviewPatch patch && patch.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "ReviewPatch" + fields;
    }

    public static final class Builder {

        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder rating(int rating) {
            fields.put("rating", rating);
            return this;
        }

        public Builder text(String text) {
            fields.put("text", Objects.requireNonNull(text, "text: use removeText() to remove it"));
            return this;
        }

        /** Sends {@code "text": null}. */
        public Builder removeText() {
            fields.put("text", null);
            return this;
        }

        /** @throws IllegalStateException when no field was set: the API takes at least one (minProperties 1). */
        public ReviewPatch build() {
            if (fields.isEmpty()) {
                throw new IllegalStateException("a patch changes at least one field");
            }
            return new ReviewPatch(fields);
        }
    }
}
