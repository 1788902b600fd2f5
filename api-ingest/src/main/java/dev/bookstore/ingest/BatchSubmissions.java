package dev.bookstore.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.Validated;
import dev.bookstore.command.Violation;
import dev.bookstore.http.Problem;
import dev.bookstore.http.ProblemException;
import dev.bookstore.http.ProblemType;
import dev.bookstore.http.Requests;
import dev.bookstore.http.Responses;
import dev.bookstore.telemetry.TraceHeader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code POST /books/batch} and {@code POST /books/{bookId}/reviews/batch}: up to {@value #MAX_ITEMS} items, each
 * exactly what the single route takes as its body, plus an optional {@code idempotencyKey}. A fault of the request
 * as a whole (its body, its headers, its path) is a {@code 4xx} for the whole of it and nothing is queued; otherwise
 * the answer is {@code 207} with one result per item, in the items' order, each what the single route would have
 * answered for it: {@code 202} with its ids once SQS has it, or its problem. A bad item never holds back a good one.
 */
final class BatchSubmissions {

    public static final int MAX_ITEMS = 100;
    /**
     * Sixteen times a single request's: a hundred items at the longest the rules allow, with every character escaped,
     * still fit; API Gateway's own limit is 10 MB and Lambda's 6 MB.
     */
    public static final int MAX_BODY_BYTES = 16 * IngestApi.MAX_BODY_BYTES;
    /** Each batch route, and the single route whose rules, ids and idempotency keys its items share. */
    static final Map<String, String> SINGLE_ROUTES = Map.of(
            IngestApi.POST_BOOKS_BATCH, IngestApi.POST_BOOKS,
            IngestApi.POST_REVIEWS_BATCH, IngestApi.POST_REVIEWS);
    static final String ITEM_KEY = "idempotencyKey";

    private final IngestApi api;
    private final CommandPublisher publisher;
    private final IdempotencyKeys keys;
    private final Clock clock;

    BatchSubmissions(IngestApi api, CommandPublisher publisher, IdempotencyKeys keys, Clock clock) {
        this.api = api;
        this.publisher = publisher;
        this.keys = keys;
        this.clock = clock;
    }

    /** What one item came to: a command to queue (and its key's fingerprint), or the problem that refuses it. */
    private record Item(CommandEnvelope command, String fingerprint, Problem problem) {
    }

    IngestApi.Outcome accept(String route, APIGatewayProxyRequestEvent request, String correlationId, Context context) {
        String single = SINGLE_ROUTES.get(route);
        JsonNode items = items(route, request);
        String caller = Requests.caller(request);
        String basePath = Requests.basePath(request);

        List<Item> checked = new ArrayList<>(items.size());
        List<CommandEnvelope> toQueue = new ArrayList<>();
        Map<String, String> keysInThisBatch = new HashMap<>();
        for (JsonNode item : items) {
            Item result = item(single, request, item, caller, correlationId, keysInThisBatch);
            checked.add(result);
            if (result.command() != null) {
                toQueue.add(result.command());
            }
        }
        List<CommandPublisher.Sent> sent = toQueue.isEmpty() ? List.of()
                : publisher.publishAll(toQueue, TraceHeader.of(context), IngestApi.publishBudget(context));

        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        Map<String, Integer> refused = new TreeMap<>();
        int accepted = 0;
        String firstError = null;
        Iterator<CommandPublisher.Sent> fates = sent.iterator();
        for (int index = 0; index < checked.size(); index++) {
            Item item = checked.get(index);
            ObjectNode result = results.addObject().put("index", index);
            Problem problem = item.problem();
            if (problem == null) {
                CommandEnvelope command = item.command();
                CommandPublisher.Sent fate = fates.next();
                if (!(fate instanceof CommandPublisher.NotQueued) && command.idempotencyKey() != null) {
                    // Queued, or maybe: either way the key may now name a queued command.
                    keys.remember(caller, single, command.idempotencyKey(), item.fingerprint());
                }
                if (fate instanceof CommandPublisher.Queued) {
                    accepted++;
                    IngestApi.acceptedFields(result.put("status", 202), command)
                            .put("location", IngestApi.location(command, basePath))
                            .put("statusUrl", IngestApi.monitor(command, basePath));
                    continue;
                }
                boolean unknown = fate instanceof CommandPublisher.OutcomeUnknown;
                problem = unknown ? IngestApi.outcomeUnknown(command, basePath, ITEM_KEY)
                        : IngestApi.notQueued(command.idempotencyKey() != null, ITEM_KEY);
                if (firstError == null) {
                    firstError = unknown ? ((CommandPublisher.OutcomeUnknown) fate).error() : ((CommandPublisher.NotQueued) fate).error();
                }
            }
            problem = problem.at(request.getPath(), correlationId);
            refused.merge(problem.type().name(), 1, Integer::sum);
            result.put("status", problem.status()).set("problem", problem.body());
        }

        ObjectNode body = JsonNodeFactory.instance.objectNode().put("accepted", accepted);
        body.set("results", results);
        // A client that retries what was not queued waits as the single route asks it to.
        Map<String, String> headers = refused.containsKey(ProblemType.QUEUE_UNAVAILABLE.name())
                || refused.containsKey(ProblemType.QUEUE_OUTCOME_UNKNOWN.name())
                ? Map.of("Retry-After", IngestApi.RETRY_AFTER_SECONDS) : Map.of();
        return new IngestApi.Outcome(Responses.json(207, body, headers), route, null, null, firstError,
                new IngestApi.Items(checked.size(), accepted, refused));
    }

    /** The request's items, once the request as a whole is sound; otherwise a problem for all of it. */
    private static JsonNode items(String route, APIGatewayProxyRequestEvent request) {
        JsonNode body = IngestApi.readBody(request, MAX_BODY_BYTES);
        List<Violation> violations = new ArrayList<>(Requests.queryViolations(request, Set.of()));
        if (Requests.header(request, IngestApi.IDEMPOTENCY_KEY) != null) {
            // One key for the whole batch could only mean "the same answer again", which needs the answers stored;
            // ignoring it would let the client believe its retry is safe.
            violations.add(new Violation(IngestApi.IDEMPOTENCY_KEY, "header",
                    "a batch takes no Idempotency-Key header; give each item its own " + ITEM_KEY));
        }
        if (Requests.header(request, "If-Match") != null) {
            violations.add(new Violation("If-Match", "header", "a new book or review has no version to match"));
        }
        if (route.equals(IngestApi.POST_REVIEWS_BATCH)) {
            Requests.uuidPathParameter(request, "bookId", violations);
        }
        JsonNode items = body.isObject() ? body.get("items") : null;
        if (!body.isObject()) {
            violations.add(Violation.body("", "must be a JSON object: {\"items\": [ … ]}"));
        } else {
            body.fieldNames().forEachRemaining(name -> {
                if (!name.equals("items")) {
                    violations.add(Violation.body(name, "is not a known field; the only field is items"));
                }
            });
            if (items == null || items.isNull()) {
                violations.add(Violation.body("items", "is required: an array of 1 to " + MAX_ITEMS + " items"));
            } else if (!items.isArray()) {
                violations.add(Violation.body("items", "must be an array of 1 to " + MAX_ITEMS + " items"));
            } else if (items.isEmpty() || items.size() > MAX_ITEMS) {
                violations.add(Violation.body("items", "must hold 1 to " + MAX_ITEMS + " items, not " + items.size()));
            }
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.invalid(violations));
        }
        return items;
    }

    /**
     * One item, checked as the single route checks its body, and given ids as the single route gives them: derived
     * from its key under the single route's name, so a key means the same on both, or fresh without one.
     */
    private Item item(String single, APIGatewayProxyRequestEvent request, JsonNode item, String caller, String correlationId,
                      Map<String, String> keysInThisBatch) {
        List<Violation> violations = new ArrayList<>();
        JsonNode fields = item;
        String key = null;
        if (item.isObject() && item.has(ITEM_KEY)) {
            ObjectNode withoutKey = item.deepCopy();
            JsonNode given = withoutKey.remove(ITEM_KEY);
            fields = withoutKey;
            if (!given.isNull()) {
                if (given.isTextual() && IngestApi.validKey(given.textValue())) {
                    key = given.textValue();
                } else {
                    violations.add(Violation.body(ITEM_KEY, IngestApi.KEY_RULE));
                }
            }
        }
        Validated<? extends IngestApi.Draft> draft = api.draft(single, request, fields, null);
        violations.addAll(draft.violations());
        if (!violations.isEmpty()) {
            return new Item(null, null, Problem.invalid(violations));
        }
        String fingerprint = IngestApi.fingerprint(single, draft.value());
        IdempotencyKeys.Ids ids = key == null
                ? new IdempotencyKeys.Ids(CommandIds.fresh(), CommandIds.fresh())
                : IdempotencyKeys.derive(caller, single, key, fingerprint);
        if (key != null) {
            String earlier = keysInThisBatch.putIfAbsent(key, fingerprint);
            if ((earlier != null && !earlier.equals(fingerprint)) || keys.conflicts(caller, single, key, fingerprint)) {
                return new Item(null, null, Problem.of(ProblemType.IDEMPOTENCY_KEY_REUSED, "this " + ITEM_KEY
                        + " was already used on " + single + " with a different request; use a new key"));
            }
        }
        CommandEnvelope command = CommandEnvelope.of(ids.commandId(), clock.instant(), correlationId, key, draft.value().withId(ids.resourceId()));
        return new Item(command, fingerprint, null);
    }
}
