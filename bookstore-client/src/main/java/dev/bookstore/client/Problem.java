package dev.bookstore.client;

import java.util.List;
import java.util.UUID;

/**
 * An RFC 9457 problem as the API sends it. {@code commandId}, {@code bookId} and {@code reviewId} only with
 * {@link #QUEUE_OUTCOME_UNKNOWN}: the command that may have been queued. {@code errors} lists every invalid field of a
 * {@code 400}, empty otherwise.
 */
public record Problem(String type, String title, int status, String detail, String instance, String correlationId,
                      UUID commandId, UUID bookId, UUID reviewId, List<FieldError> errors) {

    /** SQS did not take the command: nothing was queued. */
    public static final String QUEUE_UNAVAILABLE = "urn:bookstore:problem:queue-unavailable";
    /** SQS's answer was lost: the command may have been queued. */
    public static final String QUEUE_OUTCOME_UNKNOWN = "urn:bookstore:problem:queue-outcome-unknown";
    public static final String VALIDATION_FAILED = "urn:bookstore:problem:validation-failed";
    public static final String IDEMPOTENCY_KEY_REUSED = "urn:bookstore:problem:idempotency-key-reused";
    public static final String NOT_FOUND = "urn:bookstore:problem:not-found";
    public static final String GONE = "urn:bookstore:problem:gone";
    public static final String DATABASE_UNAVAILABLE = "urn:bookstore:problem:database-unavailable";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** One invalid part of a request: {@code in} is body, path, query or header. */
    public record FieldError(String field, String in, String detail) {
    }

    public boolean is(String problemType) {
        return problemType.equals(type);
    }

    @Override
    public String toString() {
        return status + " " + type + ": " + detail + (errors.isEmpty() ? "" : " " + errors);
    }
}
