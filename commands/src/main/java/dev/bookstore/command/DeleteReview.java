package dev.bookstore.command;

import java.util.UUID;

/** Withdraw a review for good: it leaves a tombstone without its text. */
public record DeleteReview(UUID reviewId, UUID bookId, Integer expectedVersion) implements Change {

    @Override
    public String type() {
        return DELETE_REVIEW;
    }

    @Override
    public UUID resourceId() {
        return reviewId;
    }
}
