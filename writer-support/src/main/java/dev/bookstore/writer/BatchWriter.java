package dev.bookstore.writer;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.Decoded;
import dev.bookstore.command.Payload;
import dev.bookstore.command.Violation;
import dev.bookstore.config.Settings;
import dev.bookstore.db.ConstraintViolationException;
import dev.bookstore.db.Database;
import dev.bookstore.db.DatabaseException;
import dev.bookstore.db.DuplicateIdException;
import dev.bookstore.db.DuplicateIsbnException;
import dev.bookstore.db.MissingBookException;
import dev.bookstore.db.Mappers;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.Miss;
import dev.bookstore.domain.OutcomeStatus;
import dev.bookstore.mapper.ChangeEventMapper;
import dev.bookstore.mapper.OutcomeMapper;
import dev.bookstore.telemetry.Stopwatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Applies one SQS batch with an exactly-once effect. The valid commands and the rejections of a batch
 * go in one transaction; if one command breaks a rule, the batch is split in halves until that command is in a
 * transaction of its own, so one bad command cannot fail the others. The outcome row is written before the effect and is the
 * claim on the command: a command that already has one is a duplicate and changes nothing. A message
 * is acknowledged only once its effect or rejection is committed; everything else is reported back.
 * Each step takes the batch's deliveries and returns them as they now stand; this class owns every
 * transaction.
 */
public final class BatchWriter<P extends Payload> {

    private final Database db;
    private final CommandCodec codec;
    private final CommandTarget<P> target;
    private final Patience patience;
    private final WriterTelemetry telemetry;
    private final PublisherNudge nudge;

    /** A writer as its environment's settings configure it: its waits and its nudges sent through one SQS client. */
    public static <P extends Payload> BatchWriter<P> configured(Database db, CommandTarget<P> target, Settings settings, WriterTelemetry telemetry) {
        SqsClient sqs = WaitSettings.client(settings);
        return new BatchWriter<>(db, new CommandCodec(Clock.systemUTC()), target, WaitSettings.patience(settings, sqs), telemetry,
                PublisherNudge.from(settings, sqs));
    }

    /** A writer whose events the publisher's sweep alone picks up (tests, tools). */
    public BatchWriter(Database db, CommandCodec codec, CommandTarget<P> target, Patience patience, WriterTelemetry telemetry) {
        this(db, codec, target, patience, telemetry, PublisherNudge.NONE);
    }

    /**
     * @param patience how long a command waits for what it needs (a review's book); its receives must stay below the
     *                 queue's {@code maxReceiveCount}, so the rejection comes before the DLQ
     * @param nudge    told after a commit that applied changes, so their events are published at once
     */
    public BatchWriter(Database db, CommandCodec codec, CommandTarget<P> target, Patience patience, WriterTelemetry telemetry,
                       PublisherNudge nudge) {
        this.db = db;
        this.codec = codec;
        this.target = target;
        this.patience = patience;
        this.telemetry = telemetry;
        this.nudge = nudge;
    }

    public SQSBatchResponse write(SQSEvent event) {
        Stopwatch stopwatch = Stopwatch.start();
        List<SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<Delivery<P>> deliveries = records.stream().map(this::classify).toList();
        deliveries = holdWaiting(deliveries);
        deliveries = commit(deliveries);
        if (deliveries.stream().anyMatch(d -> d.ended() != null && d.ended().disposition() == Disposition.APPLIED)) {
            nudge.eventsCommitted(); // an applied change may have written an event: the publisher sends it now
        }
        deliveries = spaceRedeliveries(deliveries);
        telemetry.batch(deliveries, stopwatch.millis());
        return response(deliveries);
    }

    /**
     * For SnapStart priming, touching no network: encodes {@code sample} as the API would queue it and classifies it as a
     * delivery from this writer's queue (the codec, the rules, the delivery's types), then builds the SQL of the
     * statements every batch may run: the outcomes' and the waits' here, the target's own in {@code targetStatements}
     * (see {@link Database#prime}).
     */
    public void prime(Payload sample, Map<String, Map<String, Object>> targetStatements) {
        UUID id = new UUID(0, 0);
        SQSMessage message = new SQSMessage();
        message.setMessageId("snapstart-priming");
        message.setBody(codec.encode(CommandEnvelope.of(CommandIds.fresh(), Instant.now(), "snapstart-priming", null, sample)));
        message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        classify(message);
        Map<String, Map<String, Object>> statements = new java.util.HashMap<>(targetStatements);
        statements.put("OutcomeMapper.recordOutcomeColumns", Map.of("c", OutcomeMapper.columns(List.of(CommandOutcome.applied(id, "Priming", id)))));
        statements.put("OutcomeMapper.completeOutcomes", Map.of("outcomes", List.of(CommandOutcome.changed(id, "Priming", id, 1, List.of()))));
        statements.put("OutcomeMapper.countMisses", Map.of("misses", List.of(new Miss(id, id, 0))));
        statements.put("OutcomeMapper.findRejectedCreations", Map.of("type", "Priming", "resourceIds", List.of(id)));
        statements.put("ChangeEventMapper.appendEventColumns", Map.of("c", ChangeEventMapper.columns(List.of(
                ChangeEvents.bookDeleted(new CommandTarget.Pending<>(id, Instant.EPOCH, null, sample), id, 1))), "count", 1));
        db.prime(statements);
    }

    private Delivery<P> classify(SQSMessage record) {
        Delivery<P> delivery = Delivery.of(record);
        Decoded decoded = codec.decode(record.getBody());
        if (decoded instanceof Decoded.Command command) {
            Payload payload = command.envelope().payload();
            if (target.accepts(payload)) {
                @SuppressWarnings("unchecked") // accepts() checked it is one of this target's payloads
                P own = (P) payload;
                return delivery.command(command.envelope(), own);
            }
            return delivery.about(command.envelope().commandId(), command.envelope().type()).end(Disposition.UNSUPPORTED, "WRONG_QUEUE",
                    "a " + command.envelope().type() + " command on the queue of " + String.join(", ", new java.util.TreeSet<>(target.types()))
                            + "; replay it to its own queue");
        }
        if (decoded instanceof Decoded.Unsupported unsupported) {
            return delivery.about(unsupported.commandId(), unsupported.type()).end(Disposition.UNSUPPORTED, "UNSUPPORTED_VERSION",
                    unsupported.type() + " version " + unsupported.version()
                            + " is not understood by this build; it will reach the DLQ for replay after an upgrade");
        }
        if (decoded instanceof Decoded.Invalid invalid) {
            String violations = invalid.violations().stream().map(Violation::toString).collect(Collectors.joining("; "));
            return delivery.reject(CommandOutcome.rejected(invalid.commandId(), invalid.type(), Reasons.INVALID_PAYLOAD, violations));
        }
        Decoded.Undecodable undecodable = (Decoded.Undecodable) decoded;
        // With no command id to record against, the message's own id names it: a redelivery maps to the same one.
        UUID id = undecodable.commandId() != null ? undecodable.commandId() : CommandIds.derived("sqs-message\n" + record.getMessageId());
        return delivery.reject(CommandOutcome.rejected(id, null, Reasons.UNDECODABLE, undecodable.reason()));
    }

    /** Commands that need something not stored yet wait for another delivery, as long as {@link #patience} allows. */
    private List<Delivery<P>> holdWaiting(List<Delivery<P>> deliveries) {
        List<CommandTarget.Pending<P>> commands = deliveries.stream().map(Delivery::pending).filter(p -> p != null).toList();
        if (commands.isEmpty()) {
            return deliveries;
        }
        Map<UUID, CommandTarget.Missing> waiting;
        try {
            waiting = db.inTransaction(mappers -> target.waiting(mappers, commands));
        } catch (DatabaseException e) {
            return each(deliveries, d -> d.pending() == null ? d : d.end(Disposition.RETRY, "DATABASE_UNAVAILABLE", e.getMessage()));
        }
        return each(deliveries, d -> {
            CommandTarget.Missing missing = d.pending() == null ? null : waiting.get(d.commandId());
            if (missing == null) {
                return d;
            }
            return missing.neverComing()
                    ? d.reject(CommandOutcome.rejected(d.commandId(), d.type(), missing.reason(),
                            missing.field() + ": the command that would have created this " + missing.noun() + " was rejected"))
                    : waitOrReject(d, missing, missing.misses());
        });
    }

    /**
     * A command is rejected only once it has waited its whole {@link #patience} in this message's life: the misses
     * counted for the command (deliveries the database failed do not count) and this message's receives, whichever is
     * fewer, and not before the whole {@code total} has passed since the command was accepted. A message replayed from a
     * DLQ starts its receives again, and so waits again for a book replayed after it.
     */
    private Delivery<P> waitOrReject(Delivery<P> delivery, CommandTarget.Missing missing, int misses) {
        int waits = Math.min(misses, delivery.receiveCount());
        if (waits < patience.receives()) {
            Duration next = patience.delayAfter(waits);
            return delivery.end(Disposition.RETRY, missing.reason(), missing.field() + ": no " + missing.noun() + " with this id is stored yet (wait "
                    + waits + " of " + patience.receives() + ", next delivery in " + next.toSeconds() + " s)", next);
        }
        Duration rest = delivery.issuedAt() == null ? Duration.ZERO : patience.rest(Duration.between(delivery.issuedAt(), codec.clock().instant()));
        if (!rest.isZero()) {
            // Its receives came sooner than its delays: a batch that outlived the visibility timeout had the message
            // delivered again before the delay was set. Rejection is final, so it waits out the rest of its patience.
            return delivery.end(Disposition.RETRY, missing.reason(), missing.field() + ": no " + missing.noun() + " with this id is stored yet ("
                    + waits + " waits in less than " + patience.total().toSeconds() + " s, next delivery in " + rest.toSeconds() + " s)", rest);
        }
        return delivery.reject(CommandOutcome.rejected(delivery.commandId(), delivery.type(), missing.reason(),
                missing.field() + ": no " + missing.noun() + " with this id was stored in " + patience.total().toSeconds() + " s of waiting"));
    }

    /** The open deliveries committed together, or in halves, down to one command at a time, where one breaks a rule. */
    private List<Delivery<P>> commit(List<Delivery<P>> deliveries) {
        List<Delivery<P>> open = deliveries.stream().filter(Delivery::open).toList();
        if (open.isEmpty()) {
            return deliveries;
        }
        List<List<Delivery<P>>> byCommand = List.copyOf(byCommand(open).values());
        Map<Delivery<P>, Delivery<P>> ended = new IdentityHashMap<>();
        commitPart(byCommand, ended);
        return each(deliveries, d -> ended.getOrDefault(d, d));
    }

    /**
     * Commits a part of the batch (each element one command's deliveries, in command-id order) in one transaction; if a
     * command in it breaks a rule, each half in turn, so a batch of n with one rule breaker takes about 2 log2(n)
     * transactions rather than n, and the one command alone ends rejected (see {@link #commitAlone}). Returns false when
     * the database failed (not a rule): the rest of the batch is then left for SQS to redeliver, untried, since trying
     * each would wait out a connect timeout apiece, past the function's own.
     */
    private boolean commitPart(List<List<Delivery<P>>> part, Map<Delivery<P>, Delivery<P>> ended) {
        if (part.size() == 1) {
            Alone<P> alone = commitAlone(part.get(0));
            record(ended, part.get(0), alone.deliveries());
            return alone.reachable();
        }
        try {
            Claim claim = db.inTransaction(mappers -> claim(mappers, part.stream().map(same -> same.get(0)).toList()));
            part.forEach(same -> record(ended, same, settle(same, claim, same.get(0).commandId())));
            return true;
        } catch (ConstraintViolationException oneBreaksARule) {
            List<List<Delivery<P>>> second = part.subList(part.size() / 2, part.size());
            if (commitPart(part.subList(0, part.size() / 2), ended)) {
                return commitPart(second, ended);
            }
            second.forEach(same -> record(ended, same, each(same, d -> d.end(Disposition.RETRY, "DATABASE_UNAVAILABLE",
                    "not tried: the database failed on an earlier command of this batch"))));
            return false;
        } catch (DatabaseException e) {
            part.forEach(same -> record(ended, same, each(same, d -> d.end(Disposition.RETRY, "DATABASE_UNAVAILABLE", e.getMessage()))));
            return false;
        }
    }

    /** What one command's deliveries came to in a transaction of their own; not reachable when the database failed. */
    private record Alone<P extends Payload>(List<Delivery<P>> deliveries, boolean reachable) {
    }

    /**
     * One command in a transaction of its own. A command that breaks a rule becomes a rejection (or one more wait for
     * its book), recorded by a second pass: a rejection has no effect, so that pass breaks no rule of one. Not
     * reachable when the database failed (not a rule): the caller then leaves the rest for SQS to redeliver.
     */
    private Alone<P> commitAlone(List<Delivery<P>> same) {
        List<Delivery<P>> current = same;
        while (current.get(0).open()) {
            Delivery<P> first = current.get(0);
            try {
                Claim claim = db.inTransaction(mappers -> claim(mappers, List.of(first)));
                return new Alone<>(settle(current, claim, first.commandId()), true);
            } catch (ConstraintViolationException violation) {
                if (first.pending() == null) {
                    return new Alone<>(each(current, d -> d.end(Disposition.RETRY, "OUTCOME_NOT_RECORDED", violation.getMessage())), true);
                }
                current = each(current, d -> brokenRule(d, violation));
            } catch (DatabaseException e) {
                return new Alone<>(each(current, d -> d.end(Disposition.RETRY, "DATABASE_UNAVAILABLE", e.getMessage())), false);
            }
        }
        return new Alone<>(current, true);
    }

    /** What a transaction claimed, and what the changes among them came to. */
    private record Claim(Set<UUID> claimed, Map<UUID, CommandOutcome> outcomes) {
    }

    /**
     * Claims each command's outcome (the first outcome of a command is final: one already recorded makes this delivery
     * a duplicate), applies the claimed commands, records over the claim what each change came to, and appends the
     * events of the changes made to the feed (the outbox). One transaction: an event exists exactly when its change does.
     */
    private Claim claim(Mappers mappers, List<Delivery<P>> firsts) {
        Set<UUID> claimed = new HashSet<>(mappers.outcomes().recordOutcomes(firsts.stream().map(Delivery::outcome).toList()));
        List<CommandTarget.Pending<P>> effects = firsts.stream()
                .filter(d -> d.pending() != null && claimed.contains(d.commandId())).map(Delivery::pending).toList();
        CommandTarget.Applied applied = effects.isEmpty() ? new CommandTarget.Applied(Map.of(), List.of()) : target.apply(mappers, effects);
        if (!applied.outcomes().isEmpty()) {
            mappers.outcomes().completeOutcomes(List.copyOf(new TreeMap<>(applied.outcomes()).values()));
        }
        // Last before the commit: it takes the feed's numbers, and the lock that keeps them in commit order, for as short a time as it can.
        mappers.events().appendEvents(applied.events());
        return new Claim(claimed, applied.outcomes());
    }

    /** What a command that broke a rule at insert comes to: a rejection to record, or one more wait for its book. */
    private Delivery<P> brokenRule(Delivery<P> delivery, ConstraintViolationException violation) {
        if (violation instanceof MissingBookException) {
            // The book was there when checked and gone at insert: only a race with its own deletion, which
            // nothing does; count it as one more miss by the receive count, the best measure left.
            return waitOrReject(delivery, CommandTarget.Missing.counted("bookId", 0), delivery.receiveCount());
        }
        return delivery.rejectByDatabase(CommandOutcome.rejected(delivery.commandId(), delivery.type(), reasonFor(violation),
                RejectionDetails.of(violation)), violation.getMessage());
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

    /**
     * How a command's deliveries end once its outcome is committed: by this transaction's claim (with what the change
     * came to, for a change) or by an earlier one.
     */
    private List<Delivery<P>> settle(List<Delivery<P>> same, Claim claim, UUID commandId) {
        return each(same, delivery -> {
            if (!claim.claimed().contains(commandId)) {
                return delivery.end(Disposition.DUPLICATE, null, "the command already has an outcome");
            }
            CommandOutcome outcome = claim.outcomes().getOrDefault(commandId, delivery.rejection());
            if (outcome != null && outcome.status() == OutcomeStatus.REJECTED) {
                return delivery.end(Disposition.REJECTED, outcome.reason(), outcome.detail());
            }
            return delivery.end(Disposition.APPLIED, null, outcome == null || outcome.changedFields() == null ? null
                    : "version " + outcome.foundVersion() + " to " + outcome.resourceVersion() + "; set [" + outcome.changedFields() + "]");
        });
    }

    /** Sets each waiting message's next delivery; what could not be set comes back after the visibility timeout. */
    private List<Delivery<P>> spaceRedeliveries(List<Delivery<P>> deliveries) {
        Map<String, Duration> delays = new LinkedHashMap<>();
        for (Delivery<P> delivery : deliveries) {
            Delivery.Fate.Ended<P> ended = delivery.ended();
            if (ended != null && ended.disposition() == Disposition.RETRY && ended.redeliverIn() != null && delivery.receiptHandle() != null) {
                delays.put(delivery.receiptHandle(), ended.redeliverIn());
            }
        }
        if (delays.isEmpty()) {
            return deliveries;
        }
        Set<String> delayed = patience.redelivery().delay(delays);
        return each(deliveries, d -> d.ended() == null || d.ended().redeliverIn() == null || delayed.contains(d.receiptHandle()) ? d
                : d.end(d.ended().disposition(), d.ended().reason(), d.ended().detail()));
    }

    /**
     * Sorted by command id, so concurrent overlapping batches (redeliveries, replays) take their command-id locks in
     * one order and do not deadlock on each other; a deadlock over another unique key (an ISBN) is still possible,
     * and is a transient failure that SQS redelivers.
     */
    private static <P extends Payload> Map<UUID, List<Delivery<P>>> byCommand(List<Delivery<P>> deliveries) {
        Map<UUID, List<Delivery<P>>> byCommand = new TreeMap<>();
        for (Delivery<P> delivery : deliveries) {
            byCommand.computeIfAbsent(delivery.commandId(), id -> new ArrayList<>()).add(delivery);
        }
        return byCommand;
    }

    private static <P extends Payload> List<Delivery<P>> each(List<Delivery<P>> deliveries, UnaryOperator<Delivery<P>> step) {
        return deliveries.stream().map(step).toList();
    }

    /** Notes what each of {@code before} came to, position by position. */
    private static <P extends Payload> void record(Map<Delivery<P>, Delivery<P>> ended, List<Delivery<P>> before, List<Delivery<P>> after) {
        for (int i = 0; i < before.size(); i++) {
            ended.put(before.get(i), after.get(i));
        }
    }

    private static <P extends Payload> SQSBatchResponse response(List<Delivery<P>> deliveries) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (Delivery<P> delivery : deliveries) {
            if (delivery.ended() == null || delivery.ended().disposition().failed()) {
                if (delivery.messageId() == null || delivery.messageId().isBlank()) {
                    // Unreportable: failing the whole invocation is the only way not to acknowledge it.
                    throw new IllegalStateException("a message without a messageId could not be applied; failing the whole batch");
                }
                failures.add(new SQSBatchResponse.BatchItemFailure(delivery.messageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
