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
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Puts a command on its queue. Returns only once SQS has stored it; a {@code 202} must never come before that.
 *
 * <p>The retries are ours, not the SDK's, because the answer depends on every attempt: a request that may have
 * reached SQS and whose answer was lost makes the whole call's outcome unknown, even if a later attempt is refused
 * outright. Every attempt sends the same envelope, so a copy that SQS did store is one command to the writers.
 */
public final class CommandPublisher {

    /** One attempt: SendMessage answers in milliseconds when SQS is well. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);
    /** All attempts together, at most; less when the function has less time left (see {@link #publish}). */
    public static final Duration BUDGET = Duration.ofSeconds(6);
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

    /**
     * Sends the command, retrying within {@code budget}; returns the SQS message id. The request's trace header, when it
     * has one, rides with the message as its {@code AWSTraceHeader}, so the writer's invocation is linked to this trace.
     *
     * @throws NotQueuedException when SQS certainly does not have it
     * @throws QueueOutcomeUnknownException when it may
     */
    public String publish(CommandEnvelope command, TraceHeader trace, Duration budget) {
        URI queue = command.payload().aboutReview() ? config.reviewsQueueUrl() : config.booksQueueUrl();
        SendMessageRequest.Builder builder = SendMessageRequest.builder().queueUrl(queue.toString())
                .messageBody(codec.encode(command))
                .messageAttributes(Map.of(
                        "type", text(command.type()),
                        "version", MessageAttributeValue.builder().dataType("Number").stringValue(String.valueOf(command.version())).build(),
                        "correlationId", text(command.correlationId())));
        if (trace != null) {
            builder.messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                    MessageSystemAttributeValue.builder().dataType("String").stringValue(trace.value()).build()));
        }
        SendMessageRequest request = builder.build();
        long deadline = System.nanoTime() + budget.toNanos();
        boolean mayHaveReachedSqs = false;
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return sqs.sendMessage(request).messageId();
            } catch (SdkException e) {
                Attempt failed = Attempt.of(e);
                mayHaveReachedSqs |= failed == Attempt.ANSWER_LOST;
                boolean timeLeft = System.nanoTime() + pause.plus(ATTEMPT_TIMEOUT).toNanos() <= deadline;
                if (failed == Attempt.REFUSED_FOR_GOOD || !timeLeft || !paused(pause)) {
                    String what = " for " + queue + " after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": " + e.getMessage();
                    throw mayHaveReachedSqs
                            ? new QueueOutcomeUnknownException("SQS may have stored the command" + what, e)
                            : new NotQueuedException("SQS did not store the command" + what, e);
                }
                pause = pause.multipliedBy(2);
            }
        }
    }

    /** How one attempt failed, and so what the caller may be told. */
    enum Attempt {
        /** The request never reached SQS: refused connection, unknown host, no route. */
        NEVER_SENT,
        /** SQS answered with an error that a retry may cure (throttling, a 5xx): it stored nothing. */
        REFUSED_FOR_NOW,
        /** SQS answered with an error no retry cures (access denied, no such queue): it stored nothing. */
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
