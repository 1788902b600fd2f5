package dev.bookstore.domain;

import java.util.UUID;

/** A review to insert, with the id of the command that creates it. */
public record NewReview(UUID id, UUID commandId, UUID bookId, String reviewer, int rating, String text) {
}
