package dev.bookstore.client;

import java.time.Instant;
import java.util.UUID;

/**
 * A {@code 202}: the command is durably queued and will end APPLIED, REJECTED or in a dead-letter queue; follow it with
 * {@link BookstoreClient#awaitOutcome}. {@code reviewId} only for a review; {@code location} (where the resource will be
 * read) only for a creation; {@code statusUrl} is the command's {@code monitor} link. {@code idempotencyKey} is the key
 * the call was sent with, the client's or the caller's.
 */
public record Accepted(UUID commandId, UUID bookId, UUID reviewId, Instant issuedAt, String location, String statusUrl,
                       String idempotencyKey) {
}
