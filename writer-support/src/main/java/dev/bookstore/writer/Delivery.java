package dev.bookstore.writer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.Payload;
import dev.bookstore.domain.CommandOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One SQS message in one invocation: what it was decoded to, and how it ended. Exactly one of
 * {@link #pending} and {@link #rejection} is set while it is being written; {@link #disposition}
 * is set once it has ended.
 */
final class Delivery<P extends Payload> {

    final String messageId;
    final String receiptHandle;
    final int receiveCount;
    UUID commandId;
    String type;
    Instant issuedAt;
    CommandTarget.Pending<P> pending;
    CommandOutcome rejection;
    Disposition disposition;
    String reason;
    String detail;
    /** What the database said when it refused the command: for the log only, never the outcome clients read. */
    String databaseError;
    /** When a waiting command is to come back, once its delay is set on the message; null for the queue's default. */
    Duration redeliverIn;

    private Delivery(String messageId, String receiptHandle, int receiveCount) {
        this.messageId = messageId;
        this.receiptHandle = receiptHandle;
        this.receiveCount = receiveCount;
    }

    static <P extends Payload> Delivery<P> of(SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        int receiveCount;
        try {
            receiveCount = count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            receiveCount = 1;
        }
        return new Delivery<>(message.getMessageId(), message.getReceiptHandle(), receiveCount);
    }

    void command(CommandEnvelope envelope, P payload) {
        commandId = envelope.commandId();
        type = envelope.type();
        issuedAt = envelope.issuedAt();
        pending = new CommandTarget.Pending<>(envelope.commandId(), payload);
    }

    /**
     * Rejected with the id of the resource it would have created, when known: a review waiting for a book whose own
     * command was rejected is then rejected at once instead of waiting for a book that will never come.
     */
    void reject(CommandOutcome outcome) {
        commandId = outcome.commandId();
        type = outcome.type();
        rejection = pending == null || outcome.resourceId() != null ? outcome : outcome.about(pending.payload().resourceId());
        pending = null;
    }

    void rejectByDatabase(CommandOutcome outcome, String databaseError) {
        reject(outcome);
        this.databaseError = databaseError;
    }

    /** Whether it still has something to commit. */
    boolean open() {
        return disposition == null && (pending != null || rejection != null);
    }

    void end(Disposition disposition, String reason, String detail) {
        this.disposition = disposition;
        this.reason = reason;
        this.detail = detail;
    }

    /** The outcome that would be recorded for it. */
    CommandOutcome outcome() {
        if (rejection != null) {
            return rejection;
        }
        return CommandOutcome.applied(commandId, type, pending.payload().resourceId());
    }
}
