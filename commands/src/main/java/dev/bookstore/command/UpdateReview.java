package dev.bookstore.command;

import java.util.UUID;

/** Change a review's rating or text. */
public record UpdateReview(UUID reviewId, UUID bookId, ReviewPatch patch, Integer expectedVersion) implements Change {

    @Override
    public String type() {
        return UPDATE_REVIEW;
    }

    @Override
    public UUID resourceId() {
        return reviewId;
    }
}
