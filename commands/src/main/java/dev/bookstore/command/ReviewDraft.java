package dev.bookstore.command;

import java.util.UUID;

/** A valid review request before it has an id. */
public record ReviewDraft(UUID bookId, String reviewer, int rating, String text) {

    public CreateReview withId(UUID reviewId) {
        return new CreateReview(reviewId, bookId, reviewer, rating, text);
    }
}
