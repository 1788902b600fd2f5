package dev.bookstore.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A book with its review aggregates; {@code averageRating} is null when it has no reviews. */
public record BookDetail(UUID id, String title, String author, String publisher, int year, String isbn,
                         Instant createdAt, long reviewCount, BigDecimal averageRating) {

    /** The book itself, without its ratings. */
    public Book book() {
        return new Book(id, title, author, publisher, year, isbn, createdAt);
    }
}
