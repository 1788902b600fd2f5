package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/** A recorded outcome with the book it concerns: the book itself, or the book of a review. See {@link CommandOutcome}. */
public record OutcomeWithBook(UUID commandId, String type, OutcomeStatus status, String reason, String detail, UUID resourceId,
                              UUID bookId, Integer foundVersion, Integer resourceVersion, String changedFields, Instant recordedAt) {
}
