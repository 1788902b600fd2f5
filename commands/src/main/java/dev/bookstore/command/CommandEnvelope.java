package dev.bookstore.command;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One command as it travels on a queue. {@code correlationId} is the API request that issued it;
 * {@code idempotencyKey} is the client's key, when it sent one.
 */
public record CommandEnvelope(UUID commandId, String type, int version, Instant issuedAt, String correlationId,
                              String idempotencyKey, Payload payload) {

    /** The only envelope version this build writes and understands. */
    public static final int VERSION = 1;

    public CommandEnvelope {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(payload, "payload");
        if (!type.equals(payload.type())) {
            throw new IllegalArgumentException("type " + type + " does not match a " + payload.type() + " payload");
        }
    }

    public static CommandEnvelope of(UUID commandId, Instant issuedAt, String correlationId, String idempotencyKey, Payload payload) {
        return new CommandEnvelope(commandId, payload.type(), VERSION, issuedAt, correlationId, idempotencyKey, payload);
    }
}
