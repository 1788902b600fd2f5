package dev.bookstore.writer;

import dev.bookstore.writer.Redelivery;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * A waiting command's back-off, set on its message: its visibility timeout becomes the delay, so it comes back
 * then rather than after the queue's timeout. A message reported as a batch item failure "reappears in the queue
 * after the visibility timeout" (AWS Lambda Developer Guide, "Handling errors for an SQS event source in Lambda"),
 * and a ChangeMessageVisibility call sets that timeout for the message, from 0 to 43,200 s counted from the call
 * (Amazon SQS API Reference, "ChangeMessageVisibility"). Ten messages to a call, as ChangeMessageVisibilityBatch allows.
 */
public final class SqsRedelivery implements Redelivery {

    private static final int PER_CALL = 10;

    private final SqsClient sqs;
    private final URI queue;

    public SqsRedelivery(SqsClient sqs, URI queue) {
        this.sqs = sqs;
        this.queue = queue;
    }

    @Override
    public Set<String> delay(Map<String, Duration> byReceiptHandle) {
        List<Map.Entry<String, Duration>> all = new ArrayList<>(byReceiptHandle.entrySet());
        Set<String> delayed = new HashSet<>();
        for (int from = 0; from < all.size(); from += PER_CALL) {
            List<Map.Entry<String, Duration>> chunk = all.subList(from, Math.min(all.size(), from + PER_CALL));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(String.valueOf(i))
                        .receiptHandle(chunk.get(i).getKey()).visibilityTimeout((int) chunk.get(i).getValue().toSeconds()).build());
            }
            try {
                ChangeMessageVisibilityBatchResponse response = sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queue.toString()).entries(entries));
                response.successful().forEach(ok -> delayed.add(chunk.get(Integer.parseInt(ok.id())).getKey()));
            } catch (SdkException e) {
                // Not delayed: these come back after the queue's visibility timeout, a shorter wait and nothing worse.
            }
        }
        return delayed;
    }
}
