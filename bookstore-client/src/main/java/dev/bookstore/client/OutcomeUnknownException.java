package dev.bookstore.client;

import java.util.Optional;
import java.util.UUID;

/**
 * A write may or may not have been queued, and the client's attempts ran out (or it was interrupted, or answered in a
 * way it does not retry) before it could tell. Sending the same call again with {@link #idempotencyKey()} is always
 * safe: the server derives the same command from the same key and body, so at most one is ever applied. When the
 * server named the command ({@code queue-outcome-unknown}), {@link #commandId()} can also be awaited. A new key
 * instead could apply the write twice.
 */
public final class OutcomeUnknownException extends BookstoreException {

    private final String idempotencyKey;
    private final UUID commandId;
    private final int attempts;

    OutcomeUnknownException(String call, String idempotencyKey, UUID commandId, int attempts, Throwable cause) {
        super(call + " may have been queued (" + attempts + (attempts == 1 ? " attempt" : " attempts")
                + (cause != null ? "; last " + cause.getMessage() : "") + "): send it again with Idempotency-Key "
                + idempotencyKey + (commandId != null ? ", or await command " + commandId : ""), cause);
        this.idempotencyKey = idempotencyKey;
        this.commandId = commandId;
        this.attempts = attempts;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Optional<UUID> commandId() {
        return Optional.ofNullable(commandId);
    }

    public int attempts() {
        return attempts;
    }
}
