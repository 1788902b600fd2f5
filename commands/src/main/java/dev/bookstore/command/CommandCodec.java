package dev.bookstore.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The JSON form of a command envelope on SQS (see {@code docs/commands.md}), written and read the same way on both sides. */
public final class CommandCodec {

    private static final Set<String> ENVELOPE_FIELDS =
            Set.of("commandId", "type", "version", "issuedAt", "correlationId", "idempotencyKey", "payload");
    private static final Set<String> KNOWN_TYPES = Set.of(Payload.CREATE_BOOK, Payload.CREATE_REVIEW, Payload.UPDATE_BOOK,
            Payload.DELETE_BOOK, Payload.UPDATE_REVIEW, Payload.DELETE_REVIEW);
    private static final int CORRELATION_ID_MAX = 200;
    private static final int IDEMPOTENCY_KEY_MAX = 128;

    private final Clock clock;

    public CommandCodec(Clock clock) {
        this.clock = clock;
    }

    /** The clock the rules judge "now" by; a writer measures how long a command has waited by it too. */
    public Clock clock() {
        return clock;
    }

    public String encode(CommandEnvelope envelope) {
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("commandId", envelope.commandId().toString())
                .put("type", envelope.type())
                .put("version", envelope.version())
                .put("issuedAt", envelope.issuedAt().toString())
                .put("correlationId", envelope.correlationId());
        if (envelope.idempotencyKey() != null) {
            json.put("idempotencyKey", envelope.idempotencyKey());
        }
        json.set("payload", payload(envelope.payload()));
        return json.toString();
    }

    /** The payload's JSON; also what an idempotency key's request fingerprint is taken over. */
    public static ObjectNode payload(Payload payload) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (payload instanceof CreateBook book) {
            json.put("bookId", book.bookId().toString())
                    .put("title", book.title())
                    .put("author", book.author())
                    .put("publisher", book.publisher())
                    .put("year", book.year());
            if (book.isbn() != null) {
                json.put("isbn", book.isbn());
            }
        } else if (payload instanceof CreateReview review) {
            json.put("reviewId", review.reviewId().toString())
                    .put("bookId", review.bookId().toString())
                    .put("reviewer", review.reviewer())
                    .put("rating", review.rating());
            if (review.text() != null) {
                json.put("text", review.text());
            }
        } else if (payload instanceof UpdateBook update) {
            json.put("bookId", update.bookId().toString()).set("changes", changes(update.patch()));
        } else if (payload instanceof DeleteBook delete) {
            json.put("bookId", delete.bookId().toString());
        } else if (payload instanceof UpdateReview update) {
            json.put("reviewId", update.reviewId().toString()).put("bookId", update.bookId().toString()).set("changes", changes(update.patch()));
        } else if (payload instanceof DeleteReview delete) {
            json.put("reviewId", delete.reviewId().toString()).put("bookId", delete.bookId().toString());
        }
        if (payload instanceof Change change && change.expectedVersion() != null) {
            json.put("expectedVersion", change.expectedVersion());
        }
        return json;
    }

    /** A book patch as the merge patch it came from: the fields it sets, and {@code "isbn": null} when it removes the ISBN. */
    private static ObjectNode changes(BookPatch patch) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (patch.title() != null) {
            json.put("title", patch.title());
        }
        if (patch.author() != null) {
            json.put("author", patch.author());
        }
        if (patch.publisher() != null) {
            json.put("publisher", patch.publisher());
        }
        if (patch.year() != null) {
            json.put("year", patch.year());
        }
        if (patch.isbn() != null || patch.removesIsbn()) {
            json.put("isbn", patch.isbn());
        }
        return json;
    }

    private static ObjectNode changes(ReviewPatch patch) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (patch.rating() != null) {
            json.put("rating", patch.rating());
        }
        if (patch.text() != null || patch.removesText()) {
            json.put("text", patch.text());
        }
        return json;
    }

    public Decoded decode(String body) {
        JsonNode json;
        try {
            json = StrictJson.parse(body);
        } catch (StrictJson.MalformedJsonException e) {
            return new Decoded.Undecodable(null, e.getMessage());
        }
        if (!json.isObject()) {
            return new Decoded.Undecodable(null, "the body is JSON but not an object");
        }
        UUID commandId = CommandIds.parse(json.path("commandId").textValue());
        if (commandId == null) {
            return new Decoded.Undecodable(null, "the envelope has no commandId in UUID form");
        }
        JsonNode type = json.get("type");
        JsonNode version = json.get("version");
        if (type == null || !type.isTextual() || version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
            return new Decoded.Undecodable(commandId, "the envelope needs a string type and a whole-number version");
        }
        // Type and version first: a newer producer may add fields this build would call unknown.
        boolean knownType = KNOWN_TYPES.contains(type.textValue());
        if (!knownType || version.intValue() != CommandEnvelope.VERSION) {
            return new Decoded.Unsupported(commandId, type.textValue(), version.intValue());
        }
        return decodeKnown(commandId, type.textValue(), json);
    }

    private Decoded decodeKnown(UUID commandId, String type, JsonNode json) {
        List<Violation> violations = new ArrayList<>();
        json.fieldNames().forEachRemaining(name -> {
            if (!ENVELOPE_FIELDS.contains(name)) {
                violations.add(Violation.body(name, "is not a field of a version 1 envelope"));
            }
        });
        Instant issuedAt = instant(json.get("issuedAt"));
        if (issuedAt == null) {
            violations.add(Violation.body("issuedAt", "must be an ISO-8601 instant such as 2026-11-25T10:00:00Z"));
        }
        String correlationId = text(json.get("correlationId"), CORRELATION_ID_MAX);
        if (correlationId == null) {
            violations.add(Violation.body("correlationId", "must be a string of at most " + CORRELATION_ID_MAX + " characters"));
        }
        JsonNode key = json.get("idempotencyKey");
        String idempotencyKey = key == null || key.isNull() ? null : text(key, IDEMPOTENCY_KEY_MAX);
        if (key != null && !key.isNull() && idempotencyKey == null) {
            violations.add(Violation.body("idempotencyKey", "must be a string of at most " + IDEMPOTENCY_KEY_MAX + " characters"));
        }
        JsonNode body = json.get("payload");
        Validated<? extends Payload> payload = switch (type) {
            case Payload.CREATE_BOOK -> BookRules.payload(body, clock);
            case Payload.UPDATE_BOOK -> BookRules.updatePayload(body, clock);
            case Payload.DELETE_BOOK -> BookRules.deletePayload(body);
            case Payload.CREATE_REVIEW -> ReviewRules.payload(body);
            case Payload.UPDATE_REVIEW -> ReviewRules.updatePayload(body);
            case Payload.DELETE_REVIEW -> ReviewRules.deletePayload(body);
            default -> throw new IllegalStateException("not a known type: " + type);
        };
        payload.violations().forEach(v -> violations.add(Violation.body("payload." + v.field(), v.detail())));
        if (!violations.isEmpty()) {
            return new Decoded.Invalid(commandId, type, violations);
        }
        return new Decoded.Command(CommandEnvelope.of(commandId, issuedAt, correlationId, idempotencyKey, payload.value()));
    }

    private static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.textValue());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, int max) {
        if (node == null || !node.isTextual() || node.textValue().isEmpty() || node.textValue().length() > max) {
            return null;
        }
        return node.textValue();
    }
}
