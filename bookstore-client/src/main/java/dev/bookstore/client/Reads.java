package dev.bookstore.client;

import dev.bookstore.client.internal.Answer;
import dev.bookstore.client.internal.Json;
import dev.bookstore.client.internal.Outgoing;
import dev.bookstore.client.internal.Transport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/** A read, sent again while it gets no answer or one that may change: throttling, and any 5xx (the database's 503 first). */
final class Reads {

    private final Transport transport;
    private final RetryPolicy policy;
    private final Clock clock;

    Reads(Transport transport, RetryPolicy policy, Clock clock) {
        this.transport = transport;
        this.policy = policy;
        this.clock = clock;
    }

    /** What one attempt came to, when not something to throw. */
    sealed interface Attempt<T> {
        record Got<T>(T value) implements Attempt<T> {
        }

        /** No answer worth having yet: a retryable problem, or the I/O failure that stood for one. */
        record Missed<T>(Problem problem, IOException failure, Duration retryAfter) implements Attempt<T> {
        }
    }

    <T> T get(Outgoing request, Function<byte[], T> parse) {
        String call = request.describe();
        Attempt.Missed<T> missed = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            if (missed != null) {
                try {
                    Pause.sleep(policy.delayBefore(attempt - 1, missed.retryAfter()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CallInterruptedException(call, "nothing was read", e);
                }
            }
            Attempt<T> result = once(request, parse);
            if (result instanceof Attempt.Got<T> got) {
                return got.value();
            }
            missed = (Attempt.Missed<T>) result;
        }
        throw new ServiceUnavailableException(call, "no answer", policy.maxAttempts(), missed.problem(), missed.failure());
    }

    /** One attempt; throws what no retry would change. */
    <T> Attempt<T> once(Outgoing request, Function<byte[], T> parse) {
        String call = request.describe();
        Answer answer;
        try {
            answer = transport.send(transport.prepare(request));
        } catch (IOException e) {
            return new Attempt.Missed<>(null, e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallInterruptedException(call, "nothing was read", e);
        }
        int status = answer.status();
        if (status == 200) {
            try {
                return new Attempt.Got<>(parse.apply(answer.body()));
            } catch (Json.MalformedException e) {
                throw new UnexpectedResponseException(call, status, e.getMessage() + ": " + answer.excerpt(), e);
            }
        }
        Problem problem = Problems.of(answer);
        if (status == 429 || status >= 500) {
            return new Attempt.Missed<>(problem, null, answer.retryAfter(clock));
        }
        if (status >= 400) {
            throw new ProblemException(call, problem);
        }
        throw new UnexpectedResponseException(call, status, "not an answer to a read: " + answer.excerpt(), null);
    }
}
