package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of a book's review page, read in one query with the book's existence: a book without
 * (more) reviews yields one row whose {@code reviewId} is null; an unknown book yields no row.
 */
public record ReviewOfBook(UUID bookId, UUID reviewId, String reviewer, Integer rating, String text, Instant createdAt) {

    public boolean isReview() {
        return reviewId != null;
    }

    public Review review() {
        return new Review(reviewId, bookId, reviewer, rating, text, createdAt);
    }
}
