package dev.bookstore.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Moves DLQ messages back to their source queue one by one: the copy is sent (same body and attributes,
 * plus {@code replayCount}) and only when SQS has it is the original deleted, so a crash at any point
 * leaves a message in both queues at worst, never in neither; the writers apply a command once.
 */
public final class Replayer {

    /** Observes a move between its send and its delete; tests use it to crash exactly there. */
    public interface MoveStep {
        void sent(DlqMessage original, String newMessageId);
    }

    /** Told after each message, to show progress. */
    public interface Progress {
        void moved(long moved, long remaining, double perSecond);
    }

    /** What a replay did. {@code selected} are those matching the selection (all of them moved in a dry run, on paper). */
    public record Result(int selected, int moved, int failed, List<String> failures, List<DlqMessage> wouldMove) {
        public boolean complete() {
            return failed == 0;
        }
    }

    private final SqsClient sqs;
    private final AuditLog audit;
    private final Clock clock;
    private final MoveStep step;

    public Replayer(SqsClient sqs, AuditLog audit, Clock clock, MoveStep step) {
        this.sqs = sqs;
        this.audit = audit;
        this.clock = clock;
        this.step = step;
    }

    public Replayer(SqsClient sqs, AuditLog audit, Clock clock) {
        this(sqs, audit, clock, (original, newId) -> { });
    }

    /** Up to {@code max} messages of the DLQ, left where they are (released right after reading). */
    public List<DlqMessage> peek(QueuePair queue, int max) {
        List<DlqMessage> messages = new ArrayList<>();
        try (DlqScan scan = new DlqScan(sqs, queue.dlqUrl())) {
            for (List<DlqMessage> batch = scan.next(); !batch.isEmpty() && messages.size() < max; batch = scan.next()) {
                batch.stream().limit(max - messages.size()).forEach(messages::add);
            }
        }
        return messages;
    }

    /** Depth of a DLQ and the send time of its oldest message among up to {@code sample} looked at. */
    public record Depth(QueuePair queue, int messages, int inFlight, Instant oldestSent, int sampled) {
    }

    public Depth depth(QueuePair queue, int sample) {
        Map<QueueAttributeName, String> attributes;
        try {
            attributes = sqs.getQueueAttributes(r -> r.queueUrl(queue.dlqUrl()).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        } catch (SdkException e) {
            throw new QueueAccessException("could not read the depth of " + queue.dlqUrl() + " (sqs:GetQueueAttributes): "
                    + QueueDirectory.describe(e), e);
        }
        int visible = Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        List<DlqMessage> looked = visible == 0 || sample == 0 ? List.of() : peek(queue, sample);
        Instant oldest = looked.stream().map(DlqMessage::sentAt).filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
        return new Depth(queue, visible, Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                oldest, looked.size());
    }

    /**
     * Replays the selected messages at most {@code perSecond} a second (0 for no limit). A dry run only
     * reports what it would move. {@code stop} is checked between messages (Ctrl-C).
     */
    public Result replay(QueuePair queue, Selection selection, double perSecond, boolean dryRun, Progress progress, BooleanSupplier stop) {
        int selected = 0;
        int moved = 0;
        List<String> failures = new ArrayList<>();
        List<DlqMessage> wouldMove = new ArrayList<>();
        long started = System.nanoTime();
        long total = dryRun ? 0 : Math.max(1, depth(queue, 0).messages());
        try (DlqScan scan = new DlqScan(sqs, queue.dlqUrl())) {
            Instant now = clock.instant();
            outer:
            for (List<DlqMessage> batch = scan.next(); !batch.isEmpty(); batch = scan.next()) {
                for (DlqMessage message : batch) {
                    if (stop.getAsBoolean() || (selection.max() != null && selected >= selection.max())) {
                        break outer;
                    }
                    if (!selection.matches(message, now)) {
                        continue;
                    }
                    selected++;
                    if (dryRun) {
                        wouldMove.add(message);
                        continue;
                    }
                    pace(started, moved, perSecond);
                    try {
                        move(queue, selection, message);
                        scan.consumed(message);
                        moved++;
                    } catch (QueueAccessException e) {
                        failures.add(message.messageId() + ": " + e.getMessage());
                    }
                    double elapsed = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
                    progress.moved(moved, Math.max(0, total - moved - failures.size()), moved / elapsed);
                }
            }
        }
        return new Result(selected, moved, failures.size(), failures, wouldMove);
    }

    private void move(QueuePair queue, Selection selection, DlqMessage message) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(message.attributes());
        attributes.put("replayCount", MessageAttributeValue.builder().dataType("Number").stringValue(String.valueOf(message.replayCount() + 1)).build());
        String newId;
        try {
            newId = sqs.sendMessage(r -> {
                r.queueUrl(queue.sourceUrl()).messageBody(message.body()).messageAttributes(attributes);
                if (message.traceHeader() != null) { // the replayed command stays in the trace of the request that issued it
                    r.messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                            MessageSystemAttributeValue.builder().dataType("String").stringValue(message.traceHeader()).build()));
                }
            }).messageId();
        } catch (SdkException e) {
            throw new QueueAccessException("could not send to " + queue.sourceUrl() + " (sqs:SendMessage): " + QueueDirectory.describe(e), e);
        }
        step.sent(message, newId);
        ObjectNode entry = audit.entry("moved", queue).put("from", queue.dlqUrl()).put("to", queue.sourceUrl())
                .put("selection", selection.toString()).put("messageId", message.messageId()).put("newMessageId", newId)
                .put("commandId", message.commandId());
        audit.write(entry);
        delete(queue, message);
    }

    /** Deletes one message after writing its full content to the audit log. Returns false when it is not in the DLQ. */
    public boolean discard(QueuePair queue, String messageId) {
        try (DlqScan scan = new DlqScan(sqs, queue.dlqUrl())) {
            for (List<DlqMessage> batch = scan.next(); !batch.isEmpty(); batch = scan.next()) {
                for (DlqMessage message : batch) {
                    if (message.messageId().equals(messageId)) {
                        ObjectNode entry = audit.entry("discarded", queue).put("from", queue.dlqUrl()).put("messageId", messageId)
                                .put("commandId", message.commandId()).put("body", message.body()).put("receiveCount", message.receiveCount());
                        AuditLog.putAttributes(entry, message.attributes());
                        audit.write(entry);
                        delete(queue, message);
                        scan.consumed(message);
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * SQS's own redrive of the whole DLQ ({@code StartMessageMoveTask}), followed to its end with
     * {@code ListMessageMoveTasks}: fast, but no selection, dry run or per-message audit.
     */
    public ListMessageMoveTasksResultEntry nativeMove(QueuePair queue, Integer perSecond, Progress progress, Duration timeout) {
        String source = arn(queue.dlqUrl());
        String destination = arn(queue.sourceUrl());
        String handle;
        try {
            handle = sqs.startMessageMoveTask(r -> {
                r.sourceArn(source).destinationArn(destination);
                if (perSecond != null && perSecond > 0) {
                    r.maxNumberOfMessagesPerSecond(perSecond);
                }
            }).taskHandle();
        } catch (SdkException e) {
            throw new QueueAccessException("could not start a move task from " + queue.dlqUrl() + " (sqs:StartMessageMoveTask): "
                    + QueueDirectory.describe(e), e);
        }
        audit.write(audit.entry("native-move-started", queue).put("from", queue.dlqUrl()).put("to", queue.sourceUrl()).put("taskHandle", handle));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ListMessageMoveTasksResultEntry task = sqs.listMessageMoveTasks(r -> r.sourceArn(source).maxResults(1)).results().get(0);
            long moved = task.approximateNumberOfMessagesMoved() == null ? 0 : task.approximateNumberOfMessagesMoved();
            long toMove = task.approximateNumberOfMessagesToMove() == null ? moved : task.approximateNumberOfMessagesToMove();
            progress.moved(moved, Math.max(0, toMove - moved), 0);
            if (!"RUNNING".equals(task.status()) || System.nanoTime() > deadline) {
                audit.write(audit.entry("native-move-" + task.status().toLowerCase(java.util.Locale.ROOT), queue).put("taskHandle", handle)
                        .put("moved", moved).put("failureReason", task.failureReason()));
                return task;
            }
            sleep(500);
        }
    }

    private String arn(String queueUrl) {
        try {
            return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
        } catch (SdkException e) {
            throw new QueueAccessException("could not read the ARN of " + queueUrl + " (sqs:GetQueueAttributes): " + QueueDirectory.describe(e), e);
        }
    }

    private void delete(QueuePair queue, DlqMessage message) {
        try {
            sqs.deleteMessage(r -> r.queueUrl(queue.dlqUrl()).receiptHandle(message.receiptHandle()));
        } catch (SdkException e) {
            // The copy is already on the source queue: at worst the command is in both, and is applied once.
            throw new QueueAccessException("sent, but could not delete from " + queue.dlqUrl() + " (sqs:DeleteMessage): "
                    + QueueDirectory.describe(e) + "; the message is now in both queues and will be applied once", e);
        }
    }

    private static void pace(long startedNanos, int moved, double perSecond) {
        if (perSecond <= 0) {
            return;
        }
        long due = startedNanos + (long) (moved / perSecond * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            sleep(wait / 1_000_000);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
