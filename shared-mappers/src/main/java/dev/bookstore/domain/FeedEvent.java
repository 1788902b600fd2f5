package dev.bookstore.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/** A change event as the feed reads it back: its place ({@code seq}), when it was committed, and its data as JSON text. */
public record FeedEvent(long seq, UUID eventId, String type, UUID bookId, UUID reviewId, int version, Instant occurredAt, UUID commandId,
                        String correlationId, String data) {

    /** The format docs/events.md describes; {@code version} is the format's, {@code resourceVersion} the resource's. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The event as the change feed and the event bus both carry it (docs/events.md). */
    public ObjectNode document() {
        ObjectNode node = JSON.createObjectNode()
                .put("seq", seq)
                .put("eventId", eventId.toString())
                .put("type", type)
                .put("version", FORMAT_VERSION)
                .put("bookId", bookId.toString());
        if (reviewId != null) {
            node.put("reviewId", reviewId.toString());
        }
        node.put("resourceVersion", version)
                .put("occurredAt", occurredAt.toString())
                .put("commandId", commandId.toString())
                .put("correlationId", correlationId);
        try {
            node.set("data", JSON.readTree(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("change event " + eventId + " holds data that is not JSON", e);
        }
        return node;
    }
}
