package dev.bookstore.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A position in a newest-first listing: the rows strictly after it are those with a smaller
 * {@code (createdAt, id)}. Stable under concurrent inserts, unlike an offset.
 */
public record Keyset(Instant createdAt, UUID id) {

    public Keyset {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }
}
