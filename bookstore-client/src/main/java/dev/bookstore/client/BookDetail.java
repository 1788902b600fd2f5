package dev.bookstore.client;

import java.time.Instant;
import java.util.UUID;

/** A book with its ratings, as {@code GET /books/{bookId}} answers; {@code averageRating} is null without reviews. */
public record BookDetail(UUID id, String title, String author, String publisher, int year, String isbn, long version,
                         Instant createdAt, Instant updatedAt, int reviewCount, Double averageRating) {
}
