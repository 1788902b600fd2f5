package dev.bookstore.client;

import dev.bookstore.client.internal.Answer;
import dev.bookstore.client.internal.Json;
import dev.bookstore.client.internal.Outgoing;
import dev.bookstore.client.internal.Transport;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One logical write: the same request with the same {@code Idempotency-Key} on every attempt, so however many reach the
 * server, it derives one command from them. What the attempts came to decides the exception: a write that may have
 * been queued by any attempt ends in {@link OutcomeUnknownException} whatever later attempts say, since a caller told
 * "not queued" would send it again under a new key.
 */
final class Writes {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Worth another attempt: throttled, the queue's trouble, or API Gateway's (a Lambda that failed or took too long). */
    private static final Set<Integer> RETRIED = Set.of(429, 502, 503, 504);
    private static final Pattern MONITOR = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?monitor\"?");

    private final Transport transport;
    private final RetryPolicy policy;
    private final Clock clock;

    Writes(Transport transport, RetryPolicy policy, Clock clock) {
        this.transport = transport;
        this.policy = policy;
        this.clock = clock;
    }

    /** The body the API answers a single write's {@code 202} with. */
    private record AcceptedBody(UUID commandId, UUID bookId, UUID reviewId, Instant issuedAt) {
    }

    Accepted send(Outgoing request, String key) {
        String call = request.describe();
        Outgoing keyed = request.with(IDEMPOTENCY_KEY, key);
        boolean mayBeQueued = false;
        UUID commandId = null;
        Duration retryAfter = null;
        Problem lastProblem = null;
        Throwable lastFailure = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            if (attempt > 1) {
                try {
                    Pause.sleep(policy.delayBefore(attempt - 1, retryAfter));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (mayBeQueued) {
                        throw new OutcomeUnknownException(call, key, commandId, attempt - 1, e);
                    }
                    throw new CallInterruptedException(call, "nothing was queued", e);
                }
            }
            HttpRequest signed;
            try {
                signed = transport.prepare(keyed);
            } catch (RuntimeException e) {
                if (mayBeQueued) {
                    throw new OutcomeUnknownException(call, key, commandId, attempt - 1, e);
                }
                throw e;
            }
            Answer answer;
            try {
                answer = transport.send(signed);
            } catch (IOException e) {
                // The request may have been received and queued; only the reused key makes sending it again safe.
                mayBeQueued = true;
                lastFailure = e;
                lastProblem = null;
                retryAfter = null;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutcomeUnknownException(call, key, commandId, attempt, e);
            }
            int status = answer.status();
            if (status == 202) {
                return accepted(call, answer, key);
            }
            Problem problem = Problems.of(answer);
            if (problem.commandId() != null) {
                commandId = problem.commandId();
            }
            if (RETRIED.contains(status)) {
                mayBeQueued |= !Problems.surelyNotQueued(status, problem);
                lastProblem = problem;
                lastFailure = null;
                retryAfter = answer.retryAfter(clock);
                continue;
            }
            if (status >= 400 && status < 500) {
                ProblemException refused = new ProblemException(call, problem);
                if (mayBeQueued) {
                    throw new OutcomeUnknownException(call, key, commandId, attempt, refused);
                }
                throw refused;
            }
            // A 500, or a status no write answers: the API may have queued the command before it failed.
            Throwable cause = status >= 500 ? new ProblemException(call, problem)
                    : new UnexpectedResponseException(call, status, "not an answer to a write: " + answer.excerpt(), null);
            throw new OutcomeUnknownException(call, key, commandId, attempt, cause);
        }
        if (mayBeQueued) {
            throw new OutcomeUnknownException(call, key, commandId, policy.maxAttempts(),
                    lastFailure != null ? lastFailure : new ProblemException(call, lastProblem));
        }
        throw new ServiceUnavailableException(call, "nothing was queued", policy.maxAttempts(), lastProblem, lastFailure);
    }

    private static Accepted accepted(String call, Answer answer, String key) {
        AcceptedBody body;
        try {
            body = Json.read(answer.body(), AcceptedBody.class);
        } catch (Json.MalformedException e) {
            body = null;
        }
        if (body == null || body.commandId() == null) {
            throw new UnexpectedResponseException(call, 202, "queued, but its ids cannot be read (Idempotency-Key " + key
                    + " gives them again): " + answer.excerpt(), null);
        }
        String statusUrl = answer.header("Link").map(MONITOR::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse(null);
        return new Accepted(body.commandId(), body.bookId(), body.reviewId(), body.issuedAt(),
                answer.header("Location").orElse(null), statusUrl, key);
    }
}
