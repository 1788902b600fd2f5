package dev.bookstore.client;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link BookstoreClient#awaitOutcome} saw no outcome in time. The command may still be applied later; PENDING also
 * describes a command that sits in a dead-letter queue, or one that was never queued.
 */
public final class OutcomeTimeoutException extends BookstoreException {

    private final UUID commandId;
    private final transient CommandStatus lastStatus;

    OutcomeTimeoutException(UUID commandId, Duration timeout, CommandStatus lastStatus, Throwable lastFailure) {
        super("command " + commandId + " had no outcome after " + timeout + "; last status "
                + (lastStatus != null ? lastStatus.status() : "unknown: no poll was answered"), lastFailure);
        this.commandId = commandId;
        this.lastStatus = lastStatus;
    }

    public UUID commandId() {
        return commandId;
    }

    /** The last status read, empty when no poll was answered. */
    public Optional<CommandStatus> lastStatus() {
        return Optional.ofNullable(lastStatus);
    }
}
