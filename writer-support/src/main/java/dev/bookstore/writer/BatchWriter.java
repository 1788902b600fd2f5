package dev.bookstore.writer;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.Decoded;
import dev.bookstore.command.Payload;
import dev.bookstore.command.Violation;
import dev.bookstore.db.ConstraintViolationException;
import dev.bookstore.db.Database;
import dev.bookstore.db.DatabaseException;
import dev.bookstore.db.DuplicateIdException;
import dev.bookstore.db.DuplicateIsbnException;
import dev.bookstore.db.MissingBookException;
import dev.bookstore.domain.CommandOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Applies one SQS batch with an exactly-once effect. The valid commands and the rejections of a batch
 * go in one transaction; if one command breaks a rule, each is retried in a transaction of its own, so
 * one bad command cannot fail the others. The outcome row is written before the effect and is the
 * claim on the command: a command that already has one is a duplicate and changes nothing. A message
 * is acknowledged only once its effect or rejection is committed; everything else is reported back.
 */
public final class BatchWriter<P extends Payload> {

    private final Database db;
    private final CommandCodec codec;
    private final CommandTarget<P> target;
    private final Patience patience;
    private final WriterTelemetry telemetry;

    /**
     * @param patience how long a command waits for what it needs (a review's book); its receives must stay below the
     *                 queue's {@code maxReceiveCount}, so the rejection comes before the DLQ
     */
    public BatchWriter(Database db, CommandCodec codec, CommandTarget<P> target, Patience patience, WriterTelemetry telemetry) {
        this.db = db;
        this.codec = codec;
        this.target = target;
        this.patience = patience;
        this.telemetry = telemetry;
    }

    public SQSBatchResponse write(SQSEvent event) {
        long started = System.nanoTime();
        List<SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<Delivery<P>> deliveries = new ArrayList<>(records.size());
        for (SQSMessage record : records) {
            deliveries.add(classify(record));
        }
        holdWaiting(deliveries);
        commitTogether(deliveries.stream().filter(Delivery::open).toList());
        spaceRedeliveries(deliveries);
        telemetry.batch(deliveries, (System.nanoTime() - started) / 1e6);
        return response(deliveries);
    }

    private Delivery<P> classify(SQSMessage record) {
        Delivery<P> delivery = Delivery.of(record);
        Decoded decoded = codec.decode(record.getBody());
        if (decoded instanceof Decoded.Command command) {
            Payload payload = command.envelope().payload();
            if (target.payloadClass().isInstance(payload)) {
                delivery.command(command.envelope(), target.payloadClass().cast(payload));
            } else {
                delivery.commandId = command.envelope().commandId();
                delivery.type = command.envelope().type();
                delivery.end(Disposition.UNSUPPORTED, "WRONG_QUEUE", "a " + command.envelope().type() + " command on the queue of "
                        + target.type() + "; replay it to its own queue");
            }
        } else if (decoded instanceof Decoded.Unsupported unsupported) {
            delivery.commandId = unsupported.commandId();
            delivery.type = unsupported.type();
            delivery.end(Disposition.UNSUPPORTED, "UNSUPPORTED_VERSION", unsupported.type() + " version " + unsupported.version()
                    + " is not understood by this build; it will reach the DLQ for replay after an upgrade");
        } else if (decoded instanceof Decoded.Invalid invalid) {
            String violations = invalid.violations().stream().map(Violation::toString).collect(Collectors.joining("; "));
            delivery.reject(CommandOutcome.rejected(invalid.commandId(), invalid.type(), Reasons.INVALID_PAYLOAD, violations));
        } else if (decoded instanceof Decoded.Undecodable undecodable) {
            // With no command id to record against, the message's own id names it: a redelivery maps to the same one.
            UUID id = undecodable.commandId() != null ? undecodable.commandId() : CommandIds.derived("sqs-message\n" + record.getMessageId());
            delivery.reject(CommandOutcome.rejected(id, null, Reasons.UNDECODABLE, undecodable.reason()));
        }
        return delivery;
    }

    /** Commands that need something not stored yet wait for another delivery, as long as {@link #patience} allows. */
    private void holdWaiting(List<Delivery<P>> deliveries) {
        List<Delivery<P>> pending = deliveries.stream().filter(d -> d.pending != null).toList();
        if (pending.isEmpty()) {
            return;
        }
        Map<UUID, CommandTarget.Missing> waiting;
        try {
            List<CommandTarget.Pending<P>> commands = pending.stream().map(d -> d.pending).toList();
            waiting = db.inTransaction(mappers -> target.waiting(mappers, commands));
        } catch (DatabaseException e) {
            pending.forEach(d -> d.end(Disposition.RETRY, "DATABASE_UNAVAILABLE", e.getMessage()));
            return;
        }
        for (Delivery<P> delivery : pending) {
            CommandTarget.Missing missing = waiting.get(delivery.commandId);
            if (missing == null) {
                continue;
            }
            if (missing.neverComing()) {
                delivery.reject(CommandOutcome.rejected(delivery.commandId, delivery.type, Reasons.BOOK_REJECTED,
                        "bookId: the command that would have created this book was rejected"));
            } else {
                waitOrReject(delivery, missing.misses());
            }
        }
    }

    /**
     * A command is rejected only once it has waited its whole {@link #patience} in this message's life: the misses
     * counted for the command (deliveries the database failed do not count) and this message's receives, whichever is
     * fewer. A message replayed from a DLQ starts its receives again, and so waits again for a book replayed after it.
     */
    private void waitOrReject(Delivery<P> delivery, int misses) {
        int waits = Math.min(misses, delivery.receiveCount);
        if (waits < patience.receives()) {
            delivery.redeliverIn = patience.delayAfter(waits);
            delivery.end(Disposition.RETRY, Reasons.BOOK_NOT_FOUND, "bookId: no book with this id is stored yet (wait " + waits + " of "
                    + patience.receives() + ", next delivery in " + delivery.redeliverIn.toSeconds() + " s)");
        } else {
            delivery.reject(CommandOutcome.rejected(delivery.commandId, delivery.type, Reasons.BOOK_NOT_FOUND,
                    "bookId: no book with this id was stored in " + patience.total().toSeconds() + " s of waiting"));
        }
    }

    /** Sets each waiting message's next delivery; what could not be set comes back after the visibility timeout. */
    private void spaceRedeliveries(List<Delivery<P>> deliveries) {
        Map<String, Duration> delays = new LinkedHashMap<>();
        for (Delivery<P> delivery : deliveries) {
            if (delivery.disposition == Disposition.RETRY && delivery.redeliverIn != null && delivery.receiptHandle != null) {
                delays.put(delivery.receiptHandle, delivery.redeliverIn);
            }
        }
        Set<String> delayed = delays.isEmpty() ? Set.of() : patience.redelivery().delay(delays);
        for (Delivery<P> delivery : deliveries) {
            if (delivery.redeliverIn != null && !delayed.contains(delivery.receiptHandle)) {
                delivery.redeliverIn = null;
            }
        }
    }

    private void commitTogether(List<Delivery<P>> open) {
        if (open.isEmpty()) {
            return;
        }
        Map<UUID, List<Delivery<P>>> byCommand = byCommand(open);
        try {
            Set<UUID> claimed = db.inTransaction(mappers -> {
                Set<UUID> recorded = new HashSet<>(mappers.outcomes().recordOutcomes(outcomes(byCommand)));
                List<CommandTarget.Pending<P>> effects = new ArrayList<>();
                byCommand.forEach((id, same) -> {
                    if (same.get(0).pending != null && recorded.contains(id)) {
                        effects.add(same.get(0).pending);
                    }
                });
                if (!effects.isEmpty()) {
                    target.insert(mappers, effects);
                }
                return recorded;
            });
            byCommand.forEach((id, same) -> settle(same, claimed.contains(id)));
        } catch (ConstraintViolationException oneBreaksARule) {
            boolean reachable = true;
            for (List<Delivery<P>> same : byCommand.values()) {
                if (reachable) {
                    reachable = commitAlone(same);
                } else {
                    // Trying each of the rest would wait out a connect timeout apiece, past the function's own.
                    same.stream().filter(Delivery::open).forEach(d -> d.end(Disposition.RETRY, "DATABASE_UNAVAILABLE",
                            "not tried: the database failed on an earlier command of this batch"));
                }
            }
        } catch (DatabaseException e) {
            open.forEach(d -> d.end(Disposition.RETRY, "DATABASE_UNAVAILABLE", e.getMessage()));
        }
    }

    /**
     * One command in a transaction of its own. False when the database failed (not a rule): the caller then
     * leaves the rest for SQS to redeliver.
     */
    private boolean commitAlone(List<Delivery<P>> same) {
        Delivery<P> first = same.get(0);
        if (!first.open()) {
            return true;
        }
        try {
            boolean claimed = db.inTransaction(mappers -> {
                boolean recorded = !mappers.outcomes().recordOutcomes(List.of(first.outcome())).isEmpty();
                if (recorded && first.pending != null) {
                    target.insert(mappers, List.of(first.pending));
                }
                return recorded;
            });
            settle(same, claimed);
            return true;
        } catch (ConstraintViolationException violation) {
            if (first.pending == null) {
                same.forEach(d -> d.end(Disposition.RETRY, "OUTCOME_NOT_RECORDED", violation.getMessage()));
                return true;
            }
            if (violation instanceof MissingBookException) {
                // The book was there when checked and gone at insert: only a race with its own deletion, which
                // nothing does; count it as one more miss by the receive count, the best measure left.
                same.forEach(d -> waitOrReject(d, d.receiveCount));
            } else {
                same.forEach(d -> d.rejectByDatabase(CommandOutcome.rejected(d.commandId, d.type, reasonFor(violation),
                        RejectionDetails.of(violation)), violation.getMessage()));
            }
            return commitAlone(same);
        } catch (DatabaseException e) {
            same.forEach(d -> d.end(Disposition.RETRY, "DATABASE_UNAVAILABLE", e.getMessage()));
            return false;
        }
    }

    private static String reasonFor(ConstraintViolationException violation) {
        if (violation instanceof DuplicateIsbnException) {
            return Reasons.DUPLICATE_ISBN;
        }
        if (violation instanceof DuplicateIdException) {
            return Reasons.IDEMPOTENCY_KEY_REUSED;
        }
        if (violation instanceof MissingBookException) {
            return Reasons.BOOK_NOT_FOUND;
        }
        return Reasons.INVALID_PAYLOAD;
    }

    private void settle(List<Delivery<P>> same, boolean claimed) {
        for (Delivery<P> delivery : same) {
            if (!claimed) {
                delivery.end(Disposition.DUPLICATE, null, "the command already has an outcome");
            } else if (delivery.rejection != null) {
                delivery.end(Disposition.REJECTED, delivery.rejection.reason(), delivery.rejection.detail());
            } else {
                delivery.end(Disposition.APPLIED, null, null);
            }
        }
    }

    /**
     * Sorted by command id, so concurrent overlapping batches (redeliveries, replays) take their command-id locks in
     * one order and do not deadlock on each other; a deadlock over another unique key (an ISBN) is still possible,
     * and is a transient failure that SQS redelivers.
     */
    private static <P extends Payload> Map<UUID, List<Delivery<P>>> byCommand(List<Delivery<P>> deliveries) {
        Map<UUID, List<Delivery<P>>> byCommand = new TreeMap<>();
        for (Delivery<P> delivery : deliveries) {
            byCommand.computeIfAbsent(delivery.commandId, id -> new ArrayList<>()).add(delivery);
        }
        return byCommand;
    }

    private static <P extends Payload> List<CommandOutcome> outcomes(Map<UUID, List<Delivery<P>>> byCommand) {
        return byCommand.values().stream().map(same -> same.get(0).outcome()).toList();
    }

    private static <P extends Payload> SQSBatchResponse response(List<Delivery<P>> deliveries) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (Delivery<P> delivery : deliveries) {
            if (delivery.disposition == null || delivery.disposition.failed()) {
                if (delivery.messageId == null || delivery.messageId.isBlank()) {
                    // Unreportable: failing the whole invocation is the only way not to acknowledge it.
                    throw new IllegalStateException("a message without a messageId could not be applied; failing the whole batch");
                }
                failures.add(new SQSBatchResponse.BatchItemFailure(delivery.messageId));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
