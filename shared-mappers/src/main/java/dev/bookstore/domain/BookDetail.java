package dev.bookstore.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A book with its review aggregates over its living reviews; {@code averageRating} is null when it has none. A deleted
 * book is read as its tombstone: {@code deleted}, with its id and version only.
 */
public record BookDetail(UUID id, String title, String author, String publisher, int year, String isbn, int version,
                         Instant createdAt, Instant updatedAt, boolean deleted, long reviewCount, BigDecimal averageRating) {

    /** The book itself, without its ratings. */
    public Book book() {
        return new Book(id, title, author, publisher, year, isbn, version, createdAt, updatedAt);
    }
}
