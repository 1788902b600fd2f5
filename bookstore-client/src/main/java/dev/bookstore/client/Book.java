package dev.bookstore.client;

import java.time.Instant;
import java.util.UUID;

/** A book as the lists show it. {@code updatedAt} is null until a change has been applied. */
public record Book(UUID id, String title, String author, String publisher, int year, String isbn, long version,
                   Instant createdAt, Instant updatedAt) {
}
