package dev.bookstore.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.client.internal.Answer;
import dev.bookstore.client.internal.Json;
import dev.bookstore.client.internal.Outgoing;
import dev.bookstore.client.internal.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One logical batch: every item keeps the {@code idempotencyKey} it was first sent with, and each round sends again
 * only the items not yet settled (answered 503, or in a request whose answer was lost). Once any item has an answer,
 * the batch returns one result per item rather than throwing, so no queued item is lost from sight.
 */
final class Batches {

    private static final Set<Integer> RETRIED = Set.of(429, 502, 503, 504);

    private final Transport transport;
    private final RetryPolicy policy;
    private final Clock clock;

    Batches(Transport transport, RetryPolicy policy, Clock clock) {
        this.transport = transport;
        this.policy = policy;
        this.clock = clock;
    }

    private record BatchBody(List<ItemBody> results) {
    }

    private record ItemBody(Integer index, int status, UUID commandId, UUID bookId, UUID reviewId, Instant issuedAt,
                            String location, String statusUrl, Problem problem) {
    }

    /** What is known of each item so far. */
    private static final class Items {
        final List<String> keys;
        final BatchItemResult[] results;
        final boolean[] mayBeQueued;
        final UUID[] commandIds;
        final Problem[] lastProblems;
        List<Integer> pending;

        Items(List<String> keys) {
            int count = keys.size();
            this.keys = keys;
            this.results = new BatchItemResult[count];
            this.mayBeQueued = new boolean[count];
            this.commandIds = new UUID[count];
            this.lastProblems = new Problem[count];
            List<Integer> all = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                all.add(i);
            }
            this.pending = all;
        }

        /** Nothing to tell the caller item by item: no item answered, none possibly queued. */
        boolean nothingToReport() {
            for (int i = 0; i < results.length; i++) {
                if (results[i] != null || mayBeQueued[i]) {
                    return false;
                }
            }
            return true;
        }

        void pendingMissed(boolean queuedMaybe, Problem problem) {
            for (int i : pending) {
                mayBeQueued[i] |= queuedMaybe;
                if (problem != null) {
                    lastProblems[i] = problem;
                }
            }
        }

        /** The pending items' results from what is known of them. */
        List<BatchItemResult> settle() {
            for (int i : pending) {
                results[i] = mayBeQueued[i]
                        ? new BatchItemResult.OutcomeUnknown(i, keys.get(i), commandIds[i], lastProblems[i])
                        : new BatchItemResult.Refused(i, keys.get(i), lastProblems[i]);
            }
            pending = List.of();
            return List.of(results);
        }
    }

    List<BatchItemResult> send(URI uri, Map<String, String> headers, List<ObjectNode> bodies, List<String> keys) {
        String call = "POST " + uri.getRawPath();
        Items items = new Items(keys);
        Duration retryAfter = null;
        for (int attempt = 1; attempt <= policy.maxAttempts() && !items.pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                try {
                    Pause.sleep(policy.delayBefore(attempt - 1, retryAfter));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    if (items.nothingToReport()) {
                        throw new CallInterruptedException(call, "nothing was queued", e);
                    }
                    return items.settle();
                }
            }
            List<ObjectNode> round = items.pending.stream().map(bodies::get).toList();
            HttpRequest signed;
            try {
                signed = transport.prepare(new Outgoing("POST", uri, headers, Json.batch(round)));
            } catch (RuntimeException e) {
                if (items.nothingToReport()) {
                    throw e;
                }
                return items.settle();
            }
            Answer answer;
            try {
                answer = transport.send(signed);
            } catch (IOException e) {
                items.pendingMissed(true, null);
                retryAfter = null;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                items.pendingMissed(true, null);
                return items.settle();
            }
            retryAfter = answer.retryAfter(clock);
            int status = answer.status();
            if (status == 207) {
                BatchBody body = readable(answer, items.pending.size());
                if (body == null) {
                    items.pendingMissed(true, Problems.made(207, "the results cannot be read: " + answer.excerpt()));
                    return items.settle();
                }
                items.pending = answered(items, body.results());
                continue;
            }
            Problem problem = Problems.of(answer);
            if (RETRIED.contains(status)) {
                items.pendingMissed(!Problems.surelyNotQueued(status, problem), problem);
                continue;
            }
            if (status >= 400 && status < 500 && items.nothingToReport()) {
                throw new ProblemException(call, problem);
            }
            // A refusal of the whole request after some items were answered, a 500, or a status no batch answers.
            items.pendingMissed(status >= 500 || status < 400, problem);
            return items.settle();
        }
        return items.settle();
    }

    /** The items still to send after this round's answers. */
    private static List<Integer> answered(Items items, List<ItemBody> results) {
        List<Integer> stillPending = new ArrayList<>();
        for (int position = 0; position < results.size(); position++) {
            int i = items.pending.get(position);
            ItemBody item = results.get(position);
            String key = items.keys.get(i);
            Problem problem = item.problem() != null ? item.problem() : Problems.made(item.status(), "no problem given");
            if (item.status() == 202) {
                items.results[i] = new BatchItemResult.Queued(i, new Accepted(item.commandId(), item.bookId(), item.reviewId(),
                        item.issuedAt(), item.location(), item.statusUrl(), key));
                continue;
            }
            if (problem.commandId() != null) {
                items.commandIds[i] = problem.commandId();
            }
            items.lastProblems[i] = problem;
            if (item.status() == 503) {
                items.mayBeQueued[i] |= !Problems.surelyNotQueued(503, problem);
                stillPending.add(i);
            } else if (item.status() >= 400 && item.status() < 500 && !items.mayBeQueued[i]) {
                items.results[i] = new BatchItemResult.Refused(i, key, problem);
            } else {
                items.results[i] = new BatchItemResult.OutcomeUnknown(i, key, items.commandIds[i], problem);
            }
        }
        return stillPending;
    }

    /** The body, when it answers exactly the items sent, each at its index; null otherwise. */
    private static BatchBody readable(Answer answer, int sent) {
        BatchBody body;
        try {
            body = Json.read(answer.body(), BatchBody.class);
        } catch (Json.MalformedException e) {
            return null;
        }
        if (body.results() == null || body.results().size() != sent) {
            return null;
        }
        for (int position = 0; position < sent; position++) {
            ItemBody item = body.results().get(position);
            if (item == null || !Objects.equals(item.index(), position) || item.status() == 202 && item.commandId() == null) {
                return null;
            }
        }
        return body;
    }

    static void requireSize(List<?> items, List<String> keys) {
        if (items.isEmpty() || items.size() > 100) {
            throw new IllegalArgumentException("a batch holds 1 to 100 items, not " + items.size());
        }
        if (keys.size() != items.size()) {
            throw new IllegalArgumentException(items.size() + " items but " + keys.size() + " idempotency keys");
        }
        if (keys.stream().distinct().count() != keys.size()) {
            throw new IllegalArgumentException("each item needs its own idempotency key: " + Arrays.toString(keys.toArray()));
        }
    }
}
