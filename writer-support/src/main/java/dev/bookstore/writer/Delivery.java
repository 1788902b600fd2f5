package dev.bookstore.writer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.Payload;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.telemetry.TraceHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One SQS message in one invocation and what became of it, as an immutable value: each step of
 * {@link BatchWriter} returns a new one. While it is being written it has a {@link Fate#pending} command
 * to apply or a {@link Fate#rejection} to record, never both; once it has {@link Fate#ended} it has a
 * disposition, and the message is acknowledged or returned accordingly.
 */
record Delivery<P extends Payload>(String messageId, String receiptHandle, int receiveCount, String traceId, UUID commandId, String type,
                                   String correlationId, Instant issuedAt, Fate<P> fate) {

    /** Where a delivery stands: what is still to commit, or how it ended. */
    sealed interface Fate<P> {
        /** A valid command to apply. */
        record Pending<P>(CommandTarget.Pending<P> command) implements Fate<P> {
        }

        /** A rejection to record; {@code databaseError} is what the database said, for the log only. */
        record Rejection<P>(CommandOutcome outcome, String databaseError) implements Fate<P> {
        }

        /**
         * The end of this delivery: committed, a duplicate, or returned to SQS with a reason (and, for a command
         * waiting for something, when it is to come back, once that delay is set on the message).
         */
        record Ended<P>(Disposition disposition, String reason, String detail, String databaseError, Duration redeliverIn)
                implements Fate<P> {
        }
    }

    static <P extends Payload> Delivery<P> of(SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        int receiveCount;
        try {
            receiveCount = count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            receiveCount = 1;
        }
        // The trace of the request that queued it, which SQS carries as a system attribute (see TraceHeader).
        TraceHeader trace = TraceHeader.parse(message.getAttributes() == null ? null : message.getAttributes().get(TraceHeader.SQS_ATTRIBUTE));
        return new Delivery<>(message.getMessageId(), message.getReceiptHandle(), receiveCount, TraceHeader.traceIdOf(trace), null, null, null,
                null, null);
    }

    Delivery<P> command(CommandEnvelope envelope, P payload) {
        return new Delivery<>(messageId, receiptHandle, receiveCount, traceId, envelope.commandId(), envelope.type(), envelope.correlationId(),
                envelope.issuedAt(),
                new Fate.Pending<>(new CommandTarget.Pending<>(envelope.commandId(), envelope.issuedAt(), envelope.correlationId(), payload)));
    }

    /** About a command known by id and type only (an unknown version, a command on the wrong queue). */
    Delivery<P> about(UUID command, String commandType) {
        return new Delivery<>(messageId, receiptHandle, receiveCount, traceId, command, commandType, correlationId, issuedAt, fate);
    }

    /**
     * Rejected with the id of the resource it would have created, when known: a review waiting for a book whose own
     * command was rejected is then rejected at once instead of waiting for a book that will never come.
     */
    Delivery<P> reject(CommandOutcome outcome) {
        return rejectByDatabase(outcome, null);
    }

    Delivery<P> rejectByDatabase(CommandOutcome outcome, String databaseError) {
        CommandTarget.Pending<P> command = pending();
        CommandOutcome recorded = command == null || outcome.resourceId() != null ? outcome : outcome.about(command.payload().resourceId());
        return new Delivery<>(messageId, receiptHandle, receiveCount, traceId, outcome.commandId(), outcome.type(), correlationId, issuedAt,
                new Fate.Rejection<>(recorded, databaseError));
    }

    Delivery<P> end(Disposition disposition, String reason, String detail) {
        return end(disposition, reason, detail, null);
    }

    Delivery<P> end(Disposition disposition, String reason, String detail, Duration redeliverIn) {
        String databaseError = fate instanceof Fate.Rejection<P> rejection ? rejection.databaseError() : null;
        return new Delivery<>(messageId, receiptHandle, receiveCount, traceId, commandId, type, correlationId, issuedAt,
                new Fate.Ended<>(disposition, reason, detail, databaseError, redeliverIn));
    }

    /** The command to apply, or null. */
    CommandTarget.Pending<P> pending() {
        return fate instanceof Fate.Pending<P> command ? command.command() : null;
    }

    /** The rejection to record, or null. */
    CommandOutcome rejection() {
        return fate instanceof Fate.Rejection<P> rejection ? rejection.outcome() : null;
    }

    /** How it ended, or null while it is still being written. */
    Fate.Ended<P> ended() {
        return fate instanceof Fate.Ended<P> ended ? ended : null;
    }

    /** Whether it still has something to commit. */
    boolean open() {
        return fate instanceof Fate.Pending || fate instanceof Fate.Rejection;
    }

    /** The outcome that would be recorded for it. */
    CommandOutcome outcome() {
        CommandOutcome rejection = rejection();
        return rejection != null ? rejection : CommandOutcome.applied(commandId, type, pending().payload().resourceId());
    }
}
