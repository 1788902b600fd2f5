package dev.bookstore.client;

import java.time.Instant;
import java.util.UUID;

/** A review; {@code text} may be null, and {@code updatedAt} is null until a change has been applied. */
public record Review(UUID id, UUID bookId, String reviewer, int rating, String text, long version, Instant createdAt,
                     Instant updatedAt) {
}
