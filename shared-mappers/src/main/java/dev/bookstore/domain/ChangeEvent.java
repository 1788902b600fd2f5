package dev.bookstore.domain;

import java.util.UUID;

/**
 * An applied change of a book or review, as the change feed tells it (V8, docs/events.md): written by the writer in
 * the transaction that makes the change, and numbered there in commit order. {@code data} is the resource after the
 * change, as JSON; {@code reviewId} is null for a book's own event.
 */
public record ChangeEvent(UUID eventId, String type, UUID bookId, UUID reviewId, int version, UUID commandId, String correlationId,
                          String data) {
}
