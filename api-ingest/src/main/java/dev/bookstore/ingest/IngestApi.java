package dev.bookstore.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.command.BookDraft;
import dev.bookstore.command.BookPatch;
import dev.bookstore.command.BookRules;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.DeleteBook;
import dev.bookstore.command.DeleteReview;
import dev.bookstore.command.Payload;
import dev.bookstore.command.ReviewDraft;
import dev.bookstore.command.ReviewPatch;
import dev.bookstore.command.ReviewRules;
import dev.bookstore.command.StrictJson;
import dev.bookstore.command.UpdateBook;
import dev.bookstore.command.UpdateReview;
import dev.bookstore.command.Validated;
import dev.bookstore.command.Versions;
import dev.bookstore.command.Violation;
import dev.bookstore.http.Problem;
import dev.bookstore.http.ProblemException;
import dev.bookstore.http.ProblemType;
import dev.bookstore.http.Requests;
import dev.bookstore.http.Responses;
import dev.bookstore.http.Sha256;
import dev.bookstore.telemetry.TraceHeader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The write side of the API: each request is checked, becomes a command on a queue, and is
 * answered {@code 202} only after SQS has it. Any {@code 4xx} means nothing was queued; a {@code 503}
 * says whether SQS certainly does not have the command or may have it. The batch routes answer each of
 * their items the same way, in one {@code 207} ({@link BatchSubmissions}).
 */
public final class IngestApi {

    public static final String POST_BOOKS = "POST /books";
    public static final String POST_REVIEWS = "POST /books/{bookId}/reviews";
    public static final String PUT_BOOK = "PUT /book";
    public static final String PUT_REVIEW = "PUT /review";
    public static final String PATCH_BOOK = "PATCH /books/{bookId}";
    public static final String DELETE_BOOK = "DELETE /books/{bookId}";
    public static final String PATCH_REVIEW = "PATCH /books/{bookId}/reviews/{reviewId}";
    public static final String DELETE_REVIEW = "DELETE /books/{bookId}/reviews/{reviewId}";
    public static final String POST_BOOKS_BATCH = "POST /books/batch";
    public static final String POST_REVIEWS_BATCH = "POST /books/{bookId}/reviews/batch";
    public static final Set<String> ROUTES = Set.of(POST_BOOKS, POST_REVIEWS, PUT_BOOK, PUT_REVIEW, PATCH_BOOK, DELETE_BOOK, PATCH_REVIEW,
            DELETE_REVIEW, POST_BOOKS_BATCH, POST_REVIEWS_BATCH);
    private static final Set<String> DELETES = Set.of(DELETE_BOOK, DELETE_REVIEW);

    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String RETRY_AFTER_SECONDS = "2";
    private static final Duration ANSWER_RESERVE = Duration.ofSeconds(1);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");
    static final String KEY_RULE = "must be 1 to 128 visible ASCII characters";

    private final CommandPublisher publisher;
    private final IdempotencyKeys keys;
    private final Clock clock;
    private final BatchSubmissions batches;

    public IngestApi(CommandPublisher publisher, IdempotencyKeys keys, Clock clock) {
        this.publisher = publisher;
        this.keys = keys;
        this.clock = clock;
        this.batches = new BatchSubmissions(this, publisher, keys, clock);
    }

    /**
     * What one request came to, for the log line and metrics; {@code error} is what SQS said when it did not take the
     * command, for the operator (the client is told only what it means). {@code items} only for a batch that got as far
     * as its items.
     */
    public record Outcome(APIGatewayProxyResponseEvent response, String route, UUID commandId, String problem, String error, Items items) {

        public Outcome(APIGatewayProxyResponseEvent response, String route, UUID commandId, String problem, String error) {
            this(response, route, commandId, problem, error, null);
        }
    }

    /**
     * What a batch's items came to: how many there were, how many were queued, and how many were not, by the problem
     * type each was answered with. The outcome's {@code error} is the first thing SQS said about an item it did not take.
     */
    public record Items(int count, int accepted, Map<String, Integer> refused) {

        public Items {
            refused = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(refused)); // sorted, so log lines compare
        }

        /** Whether any item was refused for a fault of ours or of SQS (a 5xx), not of the request. */
        public boolean anyServerError() {
            return refused.keySet().stream().anyMatch(type -> ProblemType.valueOf(type).status() >= 500);
        }
    }

    public Outcome handle(APIGatewayProxyRequestEvent request, Context context) {
        String route = Requests.route(request);
        String correlationId = Requests.correlationId(request, context);
        try {
            return accept(route, request, correlationId, context);
        } catch (ProblemException rejection) {
            return outcome(rejection.problem().at(request.getPath(), correlationId), route, null, null);
        }
    }

    private Outcome accept(String route, APIGatewayProxyRequestEvent request, String correlationId, Context context) {
        if (!ROUTES.contains(route)) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND, "no route " + route + " in this function"));
        }
        if (BatchSubmissions.SINGLE_ROUTES.containsKey(route)) {
            return batches.accept(route, request, correlationId, context);
        }
        JsonNode body = DELETES.contains(route) ? noBody(request) : readBody(request, MAX_BODY_BYTES);
        List<Violation> violations = new ArrayList<>(Requests.queryViolations(request, Set.of()));
        String key = Requests.header(request, IDEMPOTENCY_KEY);
        if (key != null && !validKey(key)) {
            violations.add(new Violation(IDEMPOTENCY_KEY, "header", KEY_RULE));
        }
        Integer expectedVersion = expectedVersion(route, request, violations);
        Validated<? extends Draft> draft = draft(route, request, body, expectedVersion);
        violations.addAll(draft.violations());
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.invalid(violations));
        }

        String caller = Requests.caller(request);
        String fingerprint = fingerprint(route, draft.value());
        IdempotencyKeys.Ids ids = key == null
                ? new IdempotencyKeys.Ids(CommandIds.fresh(), CommandIds.fresh())
                : IdempotencyKeys.derive(caller, route, key, fingerprint);
        if (key != null && keys.conflicts(caller, route, key, fingerprint)) {
            throw new ProblemException(Problem.of(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was already used on " + route + " with a different request; use a new key"));
        }
        Payload payload = draft.value().withId(ids.resourceId());
        CommandEnvelope command = CommandEnvelope.of(ids.commandId(), clock.instant(), correlationId, key, payload);
        try {
            publisher.publish(command, TraceHeader.of(context), publishBudget(context));
        } catch (NotQueuedException e) {
            return outcome(notQueued(key != null, "Idempotency-Key").at(request.getPath(), correlationId), route, null, e.getMessage());
        } catch (QueueOutcomeUnknownException e) {
            if (key != null) {
                keys.remember(caller, route, key, fingerprint); // the key may now name a queued command
            }
            return outcome(outcomeUnknown(command, Requests.basePath(request), IDEMPOTENCY_KEY).at(request.getPath(), correlationId), route,
                    command.commandId(), e.getMessage());
        }
        if (key != null) {
            keys.remember(caller, route, key, fingerprint);
        }
        return new Outcome(accepted(command, Requests.basePath(request)), route, command.commandId(), null, null);
    }

    /** A refused request; {@code commandId} only when the problem names a command that may have been queued. */
    private static Outcome outcome(Problem problem, String route, UUID commandId, String error) {
        return new Outcome(problem.toResponse(), route, commandId, problem.type().name(), error);
    }

    /** Whether a client's idempotency key (a header, or a batch item's field) has the allowed form. */
    static boolean validKey(String key) {
        return KEY.matcher(key).matches();
    }

    /** At most {@link CommandPublisher#BUDGET}, and a second short of the function's timeout to answer in. */
    static Duration publishBudget(Context context) {
        Duration left = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(ANSWER_RESERVE);
        return left.compareTo(CommandPublisher.BUDGET) < 0 ? left : CommandPublisher.BUDGET;
    }

    /** What is true when SQS certainly does not have the command: nothing was queued, and a retry is safe. */
    static Problem notQueued(boolean keyed, String keyName) {
        return Problem.of(ProblemType.QUEUE_UNAVAILABLE, "SQS did not take the command, so nothing was queued; retry after "
                + RETRY_AFTER_SECONDS + " s" + (keyed ? " with the same " + keyName : "")).withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    /** What is true when SQS's answer never came: the command may be queued, and where its fate will show. */
    static Problem outcomeUnknown(CommandEnvelope command, String basePath, String keyName) {
        String monitor = monitor(command, basePath);
        String detail = "SQS's answer did not come, so the command may have been queued; GET " + monitor
                + " shows APPLIED or REJECTED once it is written. " + (command.idempotencyKey() != null
                ? "Retrying with the same " + keyName + " is always safe."
                : "Resending it without an " + keyName + " may apply it twice.");
        Problem problem = Problem.of(ProblemType.QUEUE_OUTCOME_UNKNOWN, detail).with("commandId", command.commandId().toString());
        if (command.payload().aboutReview()) {
            problem = problem.with("reviewId", command.payload().resourceId().toString());
        }
        problem = problem.with("bookId", command.payload().bookId().toString());
        return problem.withHeader("Retry-After", RETRY_AFTER_SECONDS).withHeader("Link", "<" + monitor + ">; rel=\"monitor\"");
    }

    private static APIGatewayProxyResponseEvent accepted(CommandEnvelope command, String basePath) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!(command.payload() instanceof dev.bookstore.command.Change)) {
            headers.put("Location", location(command, basePath));
        }
        headers.put("Link", "<" + monitor(command, basePath) + ">; rel=\"monitor\"");
        return Responses.json(202, acceptedFields(JsonNodeFactory.instance.objectNode(), command).put("status", "PENDING"), headers);
    }

    /** What a 202 tells of its command: the command's id, its resource's ids, and {@code issuedAt}. */
    static ObjectNode acceptedFields(ObjectNode body, CommandEnvelope command) {
        body.put("commandId", command.commandId().toString());
        Payload payload = command.payload();
        if (payload.aboutReview()) {
            body.put("reviewId", payload.resourceId().toString());
        }
        body.put("bookId", payload.bookId().toString());
        // The order key: of two changes to one field, the one issued later wins, whatever order they are applied in.
        return body.put("issuedAt", command.issuedAt().toString());
    }

    /** Where the resource a command is about will be read. */
    static String location(CommandEnvelope command, String basePath) {
        Payload payload = command.payload();
        return basePath + "/books/" + payload.bookId() + (payload.aboutReview() ? "/reviews/" + payload.resourceId() : "");
    }

    /** Where the command's fate shows. */
    static String monitor(CommandEnvelope command, String basePath) {
        return basePath + "/commands/" + command.commandId();
    }

    /** A request turned valid draft, still without ids. */
    interface Draft {
        Payload withId(UUID id);
    }

    /** A change names what it changes in its path: it has all its ids already, and ignores the one given. */
    private record ChangeDraft(Payload change) implements Draft {
        @Override
        public Payload withId(UUID ignored) {
            return change;
        }
    }

    private record Book(BookDraft draft) implements Draft {
        @Override
        public Payload withId(UUID id) {
            return draft.withId(id);
        }
    }

    private record Review(ReviewDraft draft) implements Draft {
        @Override
        public Payload withId(UUID id) {
            return draft.withId(id);
        }
    }

    Validated<? extends Draft> draft(String route, APIGatewayProxyRequestEvent request, JsonNode body, Integer expectedVersion) {
        switch (route) {
            case PATCH_BOOK:
            case DELETE_BOOK:
            case PATCH_REVIEW:
            case DELETE_REVIEW:
                return change(route, request, body, expectedVersion);
            case POST_BOOKS:
                return map(BookRules.request(body, clock), Book::new);
            case PUT_BOOK:
                return map(BookRules.legacyRequest(body, clock), Book::new);
            case PUT_REVIEW:
                return map(ReviewRules.legacyRequest(body), Review::new);
            default:
                String bookId = Requests.pathParameter(request, "bookId");
                UUID book = CommandIds.parse(bookId);
                Validated<ReviewDraft> review = ReviewRules.request(book, body);
                if (book == null) {
                    List<Violation> all = new ArrayList<>(review.violations());
                    all.add(0, new Violation("bookId", "path", "must be a UUID such as 3f0c6a1e-5b7d-4e8a-9c2f-1d2e3f4a5b6c"));
                    return Validated.invalid(all);
                }
                return map(review, Review::new);
        }
    }

    /** A change: its ids from the path, its fields from a merge patch (PATCH) or none (DELETE). */
    private Validated<ChangeDraft> change(String route, APIGatewayProxyRequestEvent request, JsonNode body, Integer expectedVersion) {
        List<Violation> violations = new ArrayList<>();
        UUID book = Requests.uuidPathParameter(request, "bookId", violations);
        boolean review = route.equals(PATCH_REVIEW) || route.equals(DELETE_REVIEW);
        UUID reviewId = review ? Requests.uuidPathParameter(request, "reviewId", violations) : null;
        Payload change = null;
        switch (route) {
            case PATCH_BOOK -> {
                Validated<BookPatch> patch = BookRules.patch(body, clock);
                violations.addAll(patch.violations());
                change = patch.isValid() ? new UpdateBook(book, patch.value(), expectedVersion) : null;
            }
            case DELETE_BOOK -> change = new DeleteBook(book, expectedVersion);
            case PATCH_REVIEW -> {
                Validated<ReviewPatch> patch = ReviewRules.patch(body);
                violations.addAll(patch.violations());
                change = patch.isValid() ? new UpdateReview(reviewId, book, patch.value(), expectedVersion) : null;
            }
            default -> change = new DeleteReview(reviewId, book, expectedVersion);
        }
        return violations.isEmpty() ? Validated.valid(new ChangeDraft(change)) : Validated.invalid(violations);
    }

    /** The version an {@code If-Match} names, on a change; null when there is none (or it is {@code *}). */
    private static Integer expectedVersion(String route, APIGatewayProxyRequestEvent request, List<Violation> violations) {
        String ifMatch = Requests.header(request, "If-Match");
        if (ifMatch == null) {
            return null;
        }
        if (!route.startsWith("PATCH ") && !route.startsWith("DELETE ")) {
            violations.add(new Violation("If-Match", "header", "a new book or review has no version to match; send If-Match on PATCH or DELETE"));
            return null;
        }
        try {
            return Versions.fromIfMatch(ifMatch);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("If-Match", "header", e.getMessage()));
            return null;
        }
    }

    /** A DELETE carries no body; one that does is refused rather than ignored, since its sender meant something by it. */
    private static JsonNode noBody(APIGatewayProxyRequestEvent request) {
        if (Requests.bodyBytes(request).length > 0) {
            throw new ProblemException(Problem.invalid(List.of(Violation.body("", "a DELETE takes no body"))));
        }
        return null;
    }

    private static <T, D extends Draft> Validated<D> map(Validated<T> validated, Function<T, D> wrap) {
        return validated.isValid() ? Validated.valid(wrap.apply(validated.value())) : Validated.invalid(validated.violations());
    }

    static JsonNode readBody(APIGatewayProxyRequestEvent request, int maxBytes) {
        String contentType = Requests.header(request, "Content-Type");
        boolean patch = "PATCH".equalsIgnoreCase(request.getHttpMethod());
        if (contentType != null && !isJson(contentType, patch)) {
            throw new ProblemException(Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as "
                    + (patch ? "application/merge-patch+json or application/json" : "application/json") + " in UTF-8, not " + abbreviate(contentType)));
        }
        byte[] bytes = Requests.bodyBytes(request);
        if (bytes.length > maxBytes) {
            throw new ProblemException(Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "the body has " + bytes.length + " bytes; at most " + maxBytes + " are accepted"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProblemException(Problem.of(ProblemType.MALFORMED_JSON, "the body is not valid UTF-8"));
        }
        try {
            return StrictJson.parse(text);
        } catch (StrictJson.MalformedJsonException e) {
            throw new ProblemException(Problem.of(ProblemType.MALFORMED_JSON, e.getMessage()));
        }
    }

    /**
     * The media types openapi.yaml lists for the body, in UTF-8 if a charset is named at all: {@code application/json},
     * and for a change also {@code application/merge-patch+json} (RFC 7396), whose rules a change follows. Another
     * {@code +json} type is JSON too, but it says the body is something this API does not take.
     */
    static boolean isJson(String contentType, boolean patch) {
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        String type = parts[0].strip();
        boolean json = type.equals("application/json") || (patch && type.equals("application/merge-patch+json"));
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].strip().split("=", 2);
            if (param[0].strip().equals("charset") && param.length == 2
                    && !param[1].strip().replace("\"", "").equals("utf-8")) {
                return false;
            }
        }
        return json;
    }

    /** Two requests are the same when their validated content is, whatever their spacing or key order. */
    static String fingerprint(String route, Draft draft) {
        return HexFormat.of().formatHex(Sha256.of(route + "\n" + CommandCodec.payload(draft.withId(new UUID(0, 0)))));
    }

    static String abbreviate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "…";
    }
}
