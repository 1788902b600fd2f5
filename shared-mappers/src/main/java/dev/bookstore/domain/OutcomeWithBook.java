package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/** A recorded outcome with the book it concerns: the book created, or the book a review was written on. */
public record OutcomeWithBook(UUID commandId, String type, OutcomeStatus status, String reason, String detail, UUID resourceId,
                              UUID bookId, Instant recordedAt) {
}
