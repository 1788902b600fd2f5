package dev.bookstore.http;

/** Every kind of error the API answers with; the {@code type} URI is stable for clients to switch on. */
public enum ProblemType {
    VALIDATION_FAILED(400, "validation-failed", "The request is not valid"),
    MALFORMED_JSON(400, "malformed-json", "The body is not valid JSON"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    GONE(410, "gone", "Deleted for good"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "The body must be JSON"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "The Idempotency-Key was used with another request"),
    QUEUE_UNAVAILABLE(503, "queue-unavailable", "The command was not queued"),
    QUEUE_OUTCOME_UNKNOWN(503, "queue-outcome-unknown", "The command may have been queued"),
    DATABASE_UNAVAILABLE(503, "database-unavailable", "The data cannot be read right now"),
    INTERNAL(500, "internal", "Something went wrong on our side");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String uri() {
        return "urn:bookstore:problem:" + slug;
    }

    public String title() {
        return title;
    }
}
