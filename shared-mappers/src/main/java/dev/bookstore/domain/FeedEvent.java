package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/** A change event as the feed reads it back: its place ({@code seq}), when it was committed, and its data as JSON text. */
public record FeedEvent(long seq, UUID eventId, String type, UUID bookId, UUID reviewId, int version, Instant occurredAt, UUID commandId,
                        String correlationId, String data) {
}
