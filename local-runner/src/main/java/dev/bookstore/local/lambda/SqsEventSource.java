package dev.bookstore.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.local.sqs.LocalQueues;
import dev.bookstore.local.template.FunctionSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping for one function and queue: long-polls, fills a batch up to its
 * size or until the batching window closes, invokes the function with the event JSON Lambda would send,
 * and deletes exactly the messages the response does not list in {@code batchItemFailures}. A thrown
 * exception, a timeout or a malformed response (an empty or unknown item identifier) fails the whole
 * batch: nothing is deleted, and the messages come back after the visibility timeout, so the queue's
 * redrive policy moves them to the DLQ after {@code maxReceiveCount} receives. At most the maximum
 * concurrency of batches run at once. Pollers scale as Lambda's do ("If messages are still available, Lambda
 * increases the number of processes that are reading batches", Lambda developer guide, "Configuring scaling behavior
 * for SQS event source mappings"): one while a poller finds the queue drained, one more each time a receive finds a
 * backlog, up to five. One poller alone caps a busy queue at what one receive loop drains; five on a quiet one
 * turn each message into a receive call of its own.
 */
public final class SqsEventSource implements AutoCloseable {

    /** Seen in the runner for tests of failures between commit and acknowledgement. */
    public interface AcknowledgementFault {
        /** Whether to drop this batch's deletions, as if the environment died right after the handler returned. */
        boolean dropAcknowledgement(List<String> messageIds);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LONG_POLL_SECONDS = 1;
    private static final int POLLERS = 5;

    private final FunctionSpec.SqsSource spec;
    private final LocalQueues.Queue queue;
    private final LocalFunction function;
    private final SqsClient sqs;
    private final Semaphore slots;
    private final ExecutorService batches;
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicInteger activePollers = new AtomicInteger(1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final PrintStream console;
    private volatile AcknowledgementFault fault = ids -> false;

    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong returned = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();

    public SqsEventSource(FunctionSpec.SqsSource spec, LocalQueues.Queue queue, LocalFunction function, SqsClient sqs,
                          int maximumConcurrency, PrintStream console) {
        this.spec = spec;
        this.queue = queue;
        this.function = function;
        this.sqs = sqs;
        this.console = console;
        this.slots = new Semaphore(maximumConcurrency);
        this.batches = Executors.newFixedThreadPool(maximumConcurrency, runnable -> {
            Thread thread = new Thread(runnable, function.spec().logicalId() + "-batch");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < Math.min(POLLERS, maximumConcurrency); i++) {
            int index = i;
            Thread poller = new Thread(() -> receive(index), function.spec().logicalId() + "-poller-" + i);
            poller.setDaemon(true);
            pollers.add(poller);
        }
    }

    public void start() {
        pollers.forEach(Thread::start);
    }

    /** The queue this source reads, by its id in the template. */
    public String queueLogicalId() {
        return queue.logicalId();
    }

    public LocalFunction function() {
        return function;
    }

    public void injectFault(AcknowledgementFault fault) {
        this.fault = fault;
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long returned() {
        return returned.get();
    }

    public long failedBatches() {
        return failedBatches.get();
    }

    /** How many pollers are collecting batches now: one on a drained queue, up to five on a backlog. */
    public int activePollers() {
        return activePollers.get();
    }

    private void receive(int index) {
        while (running.get()) {
            if (index >= activePollers.get()) {
                sleep(50);
                continue;
            }
            try {
                slots.acquire();
                List<Message> batch = collect();
                if (batch.isEmpty()) {
                    slots.release();
                    continue;
                }
                batches.execute(() -> {
                    try {
                        process(batch);
                    } finally {
                        slots.release();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                slots.release();
                if (running.get()) {
                    console.println("poller of " + function.spec().logicalId() + ": " + e.getMessage() + "; retrying");
                    sleep(1000);
                }
            }
        }
    }

    /** Up to the batch size, waiting at most the batching window once the first message has arrived. */
    private List<Message> collect() {
        int firstReceive = Math.min(10, spec.batchSize());
        List<Message> batch = new ArrayList<>(receiveUpTo(firstReceive, LONG_POLL_SECONDS));
        boolean backlog = batch.size() == firstReceive;
        activePollers.updateAndGet(n -> backlog ? Math.min(pollers.size(), n + 1) : Math.max(1, n - 1));
        if (batch.isEmpty()) {
            return batch;
        }
        long deadline = System.nanoTime() + spec.batchingWindowSeconds() * 1_000_000_000L;
        while (batch.size() < spec.batchSize() && System.nanoTime() < deadline && running.get()) {
            int asked = Math.min(10, spec.batchSize() - batch.size());
            int remainingSeconds = (int) ((deadline - System.nanoTime()) / 1_000_000_000L);
            List<Message> more = receiveUpTo(asked, Math.min(remainingSeconds, 20));
            batch.addAll(more);
            if (more.size() < asked) {
                // The queue is drained for now: let messages gather rather than spend a receive call on each.
                sleep(Math.max(1, Math.min(50, (deadline - System.nanoTime()) / 1_000_000L)));
            }
        }
        return batch;
    }

    private List<Message> receiveUpTo(int count, int waitSeconds) {
        return sqs.receiveMessage(r -> r.queueUrl(queue.url()).maxNumberOfMessages(count).waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
    }

    private void process(List<Message> batch) {
        LocalFunction.Invocation invocation;
        try {
            invocation = function.invoke(event(batch).toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Set<String> failed = failedIds(batch, invocation);
        List<Message> done = batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
        returned.addAndGet(failed.size());
        if (done.isEmpty() || fault.dropAcknowledgement(done.stream().map(Message::messageId).toList())) {
            return;
        }
        for (int start = 0; start < done.size(); start += 10) {
            List<Message> chunk = done.subList(start, Math.min(done.size(), start + 10));
            sqs.deleteMessageBatch(r -> r.queueUrl(queue.url()).entries(chunk.stream()
                    .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId().replaceAll("[^A-Za-z0-9_-]", "_"))
                            .receiptHandle(m.receiptHandle()).build()).toList()));
        }
        acknowledged.addAndGet(done.size());
    }

    /** The messages to leave for redelivery: every one, unless the response is a valid partial batch response. */
    private Set<String> failedIds(List<Message> batch, LocalFunction.Invocation invocation) {
        Set<String> all = new HashSet<>();
        batch.forEach(m -> all.add(m.messageId()));
        if (invocation.failed()) {
            failedBatches.incrementAndGet();
            console.println(function.spec().logicalId() + ": batch of " + batch.size() + " failed (" + invocation.errorType() + ": "
                    + invocation.errorMessage() + "); its messages come back after the visibility timeout");
            return all;
        }
        if (!spec.reportsBatchItemFailures()) {
            return Set.of();
        }
        try {
            JsonNode failures = JSON.readTree(invocation.responseJson()).path("batchItemFailures");
            Set<String> listed = new HashSet<>();
            for (JsonNode failure : failures) {
                String id = failure.path("itemIdentifier").asText("");
                if (id.isEmpty() || !all.contains(id)) {
                    failedBatches.incrementAndGet();
                    console.println(function.spec().logicalId() + ": a batch response names item \"" + id
                            + "\", which is not in the batch; Lambda fails the whole batch for that, and so does the runner");
                    return all;
                }
                listed.add(id);
            }
            return listed;
        } catch (Exception e) {
            failedBatches.incrementAndGet();
            return all;
        }
    }

    /** The SQS event, record for record as Lambda builds it. */
    private ObjectNode event(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : batch) {
            ObjectNode record = records.addObject()
                    .put("messageId", message.messageId())
                    .put("receiptHandle", message.receiptHandle())
                    .put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            message.messageAttributes().forEach((name, value) -> {
                ObjectNode attribute = messageAttributes.putObject(name);
                attribute.put("stringValue", value.stringValue());
                attribute.putArray("stringListValues");
                attribute.putArray("binaryListValues");
                attribute.put("dataType", value.dataType());
            });
            record.put("md5OfBody", message.md5OfBody())
                    .put("eventSource", "aws:sqs")
                    .put("eventSourceARN", queue.arn())
                    .put("awsRegion", LocalQueues.REGION);
        }
        return event;
    }

    /** Stops taking new batches, without waiting: a stack stops every source's pollers this way before it waits for any. */
    public void stopReceiving() {
        running.set(false);
    }

    /** Stops receiving and waits for the batches in flight to finish and be acknowledged. */
    @Override
    public void close() {
        stopReceiving();
        try {
            for (Thread poller : pollers) {
                poller.join(5_000);
            }
            batches.shutdown();
            batches.awaitTermination(function.spec().timeoutSeconds() + 5L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
