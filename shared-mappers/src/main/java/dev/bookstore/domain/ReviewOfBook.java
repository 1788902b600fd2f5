package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of a book's review page, read in one query with the book's existence: a book without
 * (more) reviews yields one row whose {@code reviewId} is null; an unknown book yields no row; a deleted book yields
 * one row with {@code bookDeleted} and no review. Read by id, a withdrawn review is {@code reviewDeleted}.
 */
public record ReviewOfBook(UUID bookId, boolean bookDeleted, UUID reviewId, boolean reviewDeleted, String reviewer, Integer rating,
                           String text, Integer version, Instant createdAt, Instant updatedAt) {

    public boolean isReview() {
        return reviewId != null;
    }

    public Review review() {
        return new Review(reviewId, bookId, reviewer, rating, text, version, createdAt, updatedAt);
    }
}
