package dev.bookstore.client;

import java.util.UUID;

/**
 * What one item of a batch came to, after the client's retries, at its {@link #index()} in the list given. Each is what
 * the single route would have come to: queued; refused, with nothing queued; or an outcome unknown, where sending the
 * item again with the same {@link #idempotencyKey()} (on either route) is always safe.
 */
public sealed interface BatchItemResult permits BatchItemResult.Queued, BatchItemResult.Refused, BatchItemResult.OutcomeUnknown {

    int index();

    /** The key the item was sent with, on every attempt. */
    String idempotencyKey();

    /** Answered {@code 202}: durably queued. */
    record Queued(int index, Accepted accepted) implements BatchItemResult {
        @Override
        public String idempotencyKey() {
            return accepted.idempotencyKey();
        }
    }

    /**
     * Not queued: the item broke a rule ({@code 400}), its key was used with other content ({@code 422}), or SQS refused
     * it ({@code 503} queue-unavailable) on every attempt.
     */
    record Refused(int index, String idempotencyKey, Problem problem) implements BatchItemResult {
    }

    /**
     * May have been queued: an attempt's answer was lost, or SQS's was. {@code commandId} when the server named it, and
     * {@code problem} the last one the item was answered with, or null when no answer came.
     */
    record OutcomeUnknown(int index, String idempotencyKey, UUID commandId, Problem problem) implements BatchItemResult {
    }
}
