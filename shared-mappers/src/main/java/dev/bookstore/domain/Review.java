package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/** A stored review. {@code text} is null when none was given; {@code updatedAt} is null until a change is applied. */
public record Review(UUID id, UUID bookId, String reviewer, int rating, String text, int version, Instant createdAt, Instant updatedAt) {

    /** Where the next page starts when this review is the last one of a newest-first page. */
    public Keyset keyset() {
        return new Keyset(createdAt, id);
    }
}
