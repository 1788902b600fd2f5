package dev.bookstore.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One pass over a DLQ. Each message received is kept invisible while the pass lasts, so the pass sees
 * every message once; the ones not consumed are released (made visible again) when it ends, or come
 * back on their own after the hold should the process die. Nothing is deleted here.
 */
final class DlqScan implements AutoCloseable {

    static final int HOLD_SECONDS = 300;

    private final SqsClient sqs;
    private final String dlqUrl;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, DlqMessage> held = new LinkedHashMap<>();
    private int emptyReceives;

    DlqScan(SqsClient sqs, String dlqUrl) {
        this.sqs = sqs;
        this.dlqUrl = dlqUrl;
    }

    /** The next messages not seen in this pass; empty when the DLQ has nothing more to show. */
    List<DlqMessage> next() {
        while (emptyReceives < 2) {
            List<DlqMessage> fresh = new ArrayList<>();
            try {
                sqs.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(HOLD_SECONDS)
                                .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All"))
                        .messages().forEach(message -> {
                            DlqMessage dlqMessage = DlqMessage.of(message);
                            held.put(dlqMessage.messageId(), dlqMessage);
                            if (seen.add(dlqMessage.messageId())) {
                                fresh.add(dlqMessage);
                            }
                        });
            } catch (SdkException e) {
                throw new QueueAccessException("could not receive from " + dlqUrl + " (sqs:ReceiveMessage): " + QueueDirectory.describe(e), e);
            }
            if (!fresh.isEmpty()) {
                emptyReceives = 0;
                return fresh;
            }
            emptyReceives++;
        }
        return List.of();
    }

    /** The message is gone from the DLQ (moved or discarded); there is nothing to release. */
    void consumed(DlqMessage message) {
        held.remove(message.messageId());
    }

    /** Makes every message still held visible again. */
    @Override
    public void close() {
        List<DlqMessage> remaining = new ArrayList<>(held.values());
        for (int start = 0; start < remaining.size(); start += 10) {
            List<DlqMessage> chunk = remaining.subList(start, Math.min(remaining.size(), start + 10));
            try {
                sqs.changeMessageVisibilityBatch(r -> r.queueUrl(dlqUrl).entries(chunk.stream()
                        .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder().id(safeId(m.messageId()))
                                .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build()).toList()));
            } catch (SdkException e) {
                // They come back by themselves when the hold expires; nothing is lost.
            }
        }
        held.clear();
    }

    static String safeId(String messageId) {
        return messageId.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
