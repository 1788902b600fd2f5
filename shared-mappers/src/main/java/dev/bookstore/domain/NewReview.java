package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/** A review to insert, with the id of the command that creates it and when that command was issued. */
public record NewReview(UUID id, UUID commandId, UUID bookId, String reviewer, int rating, String text, Instant issuedAt) {

    /** Without an issue time: the row's creation time stands in for it. */
    public NewReview(UUID id, UUID commandId, UUID bookId, String reviewer, int rating, String text) {
        this(id, commandId, bookId, reviewer, rating, text, null);
    }
}
