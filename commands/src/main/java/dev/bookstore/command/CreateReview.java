package dev.bookstore.command;

import java.util.UUID;

/** Review a book. The book may not be written yet when this is accepted. {@code text} may be null. */
public record CreateReview(UUID reviewId, UUID bookId, String reviewer, int rating, String text) implements Payload {

    @Override
    public String type() {
        return CREATE_REVIEW;
    }

    @Override
    public UUID resourceId() {
        return reviewId;
    }
}
