package dev.bookstore.ingest;

import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.sqs.SqsClients;
import dev.bookstore.telemetry.TraceHeader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Puts commands on their queues: one with {@code SendMessage}, many with {@code SendMessageBatch}, ten to a call. A
 * command counts as queued only once SQS has said it stored it; a {@code 202} must never come before that.
 *
 * <p>The retries are ours, not the SDK's, because the answer depends on every attempt: a request that may have
 * reached SQS and whose answer was lost makes that command's outcome unknown, even if a later attempt is refused
 * outright. Every attempt sends the same envelope, so a copy that SQS did store is one command to the writers. Single
 * and batch sends share the attempts' classification, the back-off and the budget; a batch only adds that SQS answers
 * for each entry apart, and that one call's fate is each of its entries' fate.
 */
public final class CommandPublisher {

    /** One attempt: SendMessage (or a batch of ten) answers in milliseconds when SQS is well. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);
    /** All attempts together, at most; less when the function has less time left (see {@link #publish}). */
    public static final Duration BUDGET = Duration.ofSeconds(6);
    /**
     * SendMessageBatch takes at most ten entries, and at most 256 KiB in all; the command rules keep a command under
     * 4 KB, so ten never come near the size.
     */
    public static final int BATCH_ENTRIES = 10;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

    private final SqsClient sqs;
    private final IngestConfig config;
    private final CommandCodec codec;

    public CommandPublisher(SqsClient sqs, IngestConfig config, CommandCodec codec) {
        this.sqs = sqs;
        this.config = config;
        this.codec = codec;
    }

    /** No retries of the SDK's (ours decide what a failure means); the socket timeout below the attempt's, below the function's. */
    public static SqsClient client(IngestConfig config) {
        return SqsClients.of(config.region(), config.credentials(), config.sqsEndpoint(), Duration.ofSeconds(1), Duration.ofMillis(1400),
                o -> o.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).retryStrategy(AwsRetryStrategy.doNotRetry()));
    }

    /** What became of one command: SQS has it, certainly does not have it, or may have it. */
    public sealed interface Sent permits Queued, NotQueued, OutcomeUnknown {
    }

    /** SQS said it stored the command. */
    public record Queued(String messageId) implements Sent {
    }

    /**
     * SQS certainly does not have the command: every attempt either never reached it or was answered with a refusal
     * (or there was no time left to make one). {@code error} is for the operator; {@code cause} is the last exception, if any.
     */
    public record NotQueued(String error, Throwable cause) implements Sent {
    }

    /** At least one attempt reached SQS and its answer never came: SQS may have stored the command. */
    public record OutcomeUnknown(String error, Throwable cause) implements Sent {
    }

    /**
     * Sends the command, retrying within {@code budget}; returns the SQS message id. The request's trace header, when it
     * has one, rides with the message as its {@code AWSTraceHeader}, so the writer's invocation is linked to this trace.
     *
     * @throws NotQueuedException when SQS certainly does not have it
     * @throws QueueOutcomeUnknownException when it may
     */
    public String publish(CommandEnvelope command, TraceHeader trace, Duration budget) {
        Delivery delivery = new Delivery(0, command, queue(command), codec.encode(command));
        SendMessageRequest.Builder builder = SendMessageRequest.builder().queueUrl(delivery.queue.toString())
                .messageBody(delivery.body).messageAttributes(attributes(command));
        if (trace != null) {
            builder.messageSystemAttributes(traceAttribute(trace));
        }
        SendMessageRequest request = builder.build();
        retrying(List.of(delivery), budget, (pending, deadline) -> {
            try {
                delivery.queued(sqs.sendMessage(request).messageId());
            } catch (SdkException e) {
                delivery.failed(Attempt.of(e), e.getMessage(), e);
            }
        });
        Sent sent = delivery.outcome();
        if (sent instanceof Queued queued) {
            return queued.messageId();
        }
        if (sent instanceof OutcomeUnknown unknown) {
            throw new QueueOutcomeUnknownException(unknown.error(), unknown.cause());
        }
        NotQueued notQueued = (NotQueued) sent;
        throw new NotQueuedException(notQueued.error(), notQueued.cause());
    }

    /**
     * Sends the commands with {@code SendMessageBatch}, at most {@value #BATCH_ENTRIES} to a call and each call to one
     * queue, retrying within {@code budget} what SQS did not take: a call that failed whole, and the entries it
     * refused for a reason that may pass ({@code SenderFault} false). Returns what became of each command, in the
     * order given. Calls go one after the other, and none is started without an attempt's time left in the budget:
     * what was never sent is {@link NotQueued}.
     */
    public List<Sent> publishAll(List<CommandEnvelope> commands, TraceHeader trace, Duration budget) {
        List<Delivery> deliveries = new ArrayList<>(commands.size());
        for (CommandEnvelope command : commands) {
            deliveries.add(new Delivery(deliveries.size(), command, queue(command), codec.encode(command)));
        }
        retrying(deliveries, budget, (pending, deadline) -> sendInBatches(pending, trace, deadline));
        return deliveries.stream().map(Delivery::outcome).toList();
    }

    /**
     * Rounds of attempts: each round sends what is still pending; between rounds a pause that doubles, as long as
     * another attempt fits in the budget and the thread is not interrupted. A command is settled once SQS has it or
     * refused it for good.
     */
    private static void retrying(List<Delivery> deliveries, Duration budget, BiConsumer<List<Delivery>, Long> round) {
        long deadline = System.nanoTime() + budget.toNanos();
        Duration pause = FIRST_PAUSE;
        List<Delivery> pending = deliveries;
        while (true) {
            round.accept(pending, deadline);
            pending = pending.stream().filter(d -> !d.settled()).toList();
            boolean timeLeft = System.nanoTime() + pause.plus(ATTEMPT_TIMEOUT).toNanos() <= deadline;
            if (pending.isEmpty() || !timeLeft || !paused(pause)) {
                return;
            }
            pause = pause.multipliedBy(2);
        }
    }

    /** One round of a batch send: the pending commands, queue by queue, ten to a call. */
    private void sendInBatches(List<Delivery> pending, TraceHeader trace, long deadline) {
        Map<URI, List<Delivery>> byQueue = new LinkedHashMap<>();
        pending.forEach(d -> byQueue.computeIfAbsent(d.queue, q -> new ArrayList<>()).add(d));
        boolean first = true;
        for (Map.Entry<URI, List<Delivery>> queue : byQueue.entrySet()) {
            List<Delivery> all = queue.getValue();
            for (int from = 0; from < all.size(); from += BATCH_ENTRIES) {
                if (!first && System.nanoTime() + ATTEMPT_TIMEOUT.toNanos() > deadline) {
                    return; // no time for another call: what is left was not sent in this round
                }
                first = false;
                sendBatch(queue.getKey(), all.subList(from, Math.min(from + BATCH_ENTRIES, all.size())), trace);
            }
        }
    }

    private void sendBatch(URI queue, List<Delivery> batch, TraceHeader trace) {
        Map<String, Delivery> byId = new HashMap<>();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (Delivery delivery : batch) {
            byId.put(delivery.entryId(), delivery);
            SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder().id(delivery.entryId())
                    .messageBody(delivery.body).messageAttributes(attributes(delivery.command));
            if (trace != null) {
                entry.messageSystemAttributes(traceAttribute(trace));
            }
            entries.add(entry.build());
        }
        try {
            SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queue.toString()).entries(entries));
            for (SendMessageBatchResultEntry stored : response.successful()) {
                Delivery delivery = byId.remove(stored.id());
                if (delivery != null) {
                    delivery.queued(stored.messageId());
                }
            }
            for (BatchResultErrorEntry refused : response.failed()) {
                Delivery delivery = byId.remove(refused.id());
                if (delivery != null) {
                    delivery.failed(Attempt.of(refused), "SQS refused the entry (" + refused.code() + (Boolean.TRUE.equals(refused.senderFault())
                            ? ", sender's fault" : "") + "): " + refused.message(), null);
                }
            }
            // An entry the answer does not mention was sent and is not accounted for: it may have been stored.
            byId.values().forEach(d -> d.failed(Attempt.ANSWER_LOST, "SQS's answer did not mention the entry", null));
        } catch (SdkException e) {
            Attempt failed = Attempt.of(e);
            batch.forEach(d -> d.failed(failed, e.getMessage(), e));
        }
    }

    private URI queue(CommandEnvelope command) {
        return command.payload().aboutReview() ? config.reviewsQueueUrl() : config.booksQueueUrl();
    }

    private static Map<String, MessageAttributeValue> attributes(CommandEnvelope command) {
        return Map.of(
                "type", text(command.type()),
                "version", MessageAttributeValue.builder().dataType("Number").stringValue(String.valueOf(command.version())).build(),
                "correlationId", text(command.correlationId()));
    }

    private static Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> traceAttribute(TraceHeader trace) {
        return Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                MessageSystemAttributeValue.builder().dataType("String").stringValue(trace.value()).build());
    }

    /** One command on its way: every attempt made for it so far, and what they allow to be said. */
    private static final class Delivery {
        private final int position;
        private final CommandEnvelope command;
        private final URI queue;
        private final String body;
        private int attempts;
        private boolean mayHaveReachedSqs;
        private boolean refusedForGood;
        private String messageId;
        private String lastError = "SQS was not asked: the time for it ran out first";
        private Throwable lastCause;

        Delivery(int position, CommandEnvelope command, URI queue, String body) {
            this.position = position;
            this.command = command;
            this.queue = queue;
            this.body = body;
        }

        /** Unique within a batch call, as SendMessageBatch requires, and leads back to the command. */
        String entryId() {
            return Integer.toString(position);
        }

        void queued(String id) {
            attempts++;
            messageId = id;
        }

        void failed(Attempt how, String error, Throwable cause) {
            attempts++;
            mayHaveReachedSqs |= how == Attempt.ANSWER_LOST;
            refusedForGood = how == Attempt.REFUSED_FOR_GOOD;
            lastError = error;
            lastCause = cause;
        }

        boolean settled() {
            return messageId != null || refusedForGood;
        }

        Sent outcome() {
            if (messageId != null) {
                return new Queued(messageId);
            }
            String what = " for " + queue + " after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ": " + lastError;
            return mayHaveReachedSqs
                    ? new OutcomeUnknown("SQS may have stored the command" + what, lastCause)
                    : new NotQueued("SQS did not store the command" + what, lastCause);
        }
    }

    /** How one attempt failed, and so what the caller may be told. */
    enum Attempt {
        /** The request never reached SQS: refused connection, unknown host, no route. */
        NEVER_SENT,
        /** SQS answered with an error that a retry may cure (throttling, a 5xx, an entry failed on its side): it stored nothing. */
        REFUSED_FOR_NOW,
        /** SQS answered with an error no retry cures (access denied, no such queue, an entry it will never take): it stored nothing. */
        REFUSED_FOR_GOOD,
        /** Anything else, timeouts first: the request may have been stored and its answer lost. */
        ANSWER_LOST;

        static Attempt of(SdkException e) {
            if (e instanceof AwsServiceException answered) {
                return answered.retryable() || answered.isThrottlingException() || answered.statusCode() >= 500
                        ? REFUSED_FOR_NOW : REFUSED_FOR_GOOD;
            }
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
                    return NEVER_SENT;
                }
            }
            return ANSWER_LOST;
        }

        /** One entry of a batch that SQS refused: {@code SenderFault} says whether sending it again can ever help. */
        static Attempt of(BatchResultErrorEntry refused) {
            return Boolean.TRUE.equals(refused.senderFault()) ? REFUSED_FOR_GOOD : REFUSED_FOR_NOW;
        }
    }

    /** False when interrupted: the caller stops retrying and says what it knows so far. */
    private static boolean paused(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
