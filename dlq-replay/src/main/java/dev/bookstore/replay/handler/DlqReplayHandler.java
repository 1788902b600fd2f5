package dev.bookstore.replay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.bookstore.config.Settings;
import dev.bookstore.replay.AuditLog;
import dev.bookstore.replay.DlqMessage;
import dev.bookstore.replay.QueuePair;
import dev.bookstore.replay.Replayer;
import dev.bookstore.replay.Selection;
import dev.bookstore.sqs.SqsClients;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Replays a selection of one DLQ, as {@code bookstore-dlq replay} does, when an operator invokes it:
 * {@code {"queue":"books","commandIds":["…"],"dryRun":true}}. Fields: queue (books|reviews), all,
 * messageIds, commandIds, type, olderThanMinutes, newerThanMinutes, max, rate, dryRun. The audit lines
 * go to the function's log.
 */
public final class DlqReplayHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    public static final String BOOKS_QUEUE_URL = "BOOKSTORE_BOOKS_QUEUE_URL";
    public static final String BOOKS_DLQ_URL = "BOOKSTORE_BOOKS_DLQ_URL";
    public static final String REVIEWS_QUEUE_URL = "BOOKSTORE_REVIEWS_QUEUE_URL";
    public static final String REVIEWS_DLQ_URL = "BOOKSTORE_REVIEWS_DLQ_URL";
    public static final String SQS_ENDPOINT = SqsClients.SQS_ENDPOINT;

    private final Map<String, QueuePair> queues;
    private final Replayer replayer;

    public DlqReplayHandler() {
        this(System.getenv());
    }

    public DlqReplayHandler(Map<String, String> environment) {
        Settings settings = new Settings(environment);
        queues = Map.of(
                "books", new QueuePair("books", settings.requiredUrl(BOOKS_QUEUE_URL).toString(), settings.requiredUrl(BOOKS_DLQ_URL).toString()),
                "reviews", new QueuePair("reviews", settings.requiredUrl(REVIEWS_QUEUE_URL).toString(),
                        settings.requiredUrl(REVIEWS_DLQ_URL).toString()));
        // The JDK HTTP client's own timeouts, and the SDK's retries: a replay is not in a hurry.
        SqsClient sqs = SqsClients.of(settings, Duration.ofSeconds(2), Duration.ofSeconds(30), o -> { });
        replayer = new Replayer(sqs, new AuditLog(System.out::println, Clock.systemUTC()), Clock.systemUTC());
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> request, Context context) {
        QueuePair queue = queues.get(String.valueOf(request.get("queue")));
        if (queue == null) {
            throw new IllegalArgumentException("\"queue\" must be one of " + queues.keySet() + ", was " + request.get("queue"));
        }
        Selection selection = new Selection(Boolean.TRUE.equals(request.get("all")), strings(request.get("messageIds")),
                strings(request.get("commandIds")), (String) request.get("type"), minutes(request.get("olderThanMinutes")),
                minutes(request.get("newerThanMinutes")), request.get("max") == null ? null : ((Number) request.get("max")).intValue());
        if (!selection.chosen()) {
            throw new IllegalArgumentException("choose what to replay: all, messageIds, commandIds, type, olderThanMinutes or newerThanMinutes");
        }
        boolean dryRun = Boolean.TRUE.equals(request.get("dryRun"));
        double rate = request.get("rate") == null ? 0 : ((Number) request.get("rate")).doubleValue();
        // Leave time to release what is held before the function's own timeout.
        long deadline = System.currentTimeMillis() + context.getRemainingTimeInMillis() - 10_000L;
        Replayer.Result result = replayer.replay(queue, selection, rate, dryRun, (moved, remaining, perSecond) -> { },
                () -> System.currentTimeMillis() > deadline);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("queue", queue.name());
        response.put("selection", selection.toString());
        response.put("dryRun", dryRun);
        response.put("selected", result.selected());
        response.put("moved", result.moved());
        response.put("failed", result.failed());
        response.put("failures", result.failures());
        if (dryRun) {
            response.put("wouldMove", result.wouldMove().stream().map(DlqMessage::messageId).toList());
        }
        return response;
    }

    private static Set<String> strings(Object value) {
        return value instanceof Collection<?> items ? items.stream().map(String::valueOf).collect(Collectors.toSet()) : Set.of();
    }

    private static Duration minutes(Object value) {
        return value == null ? null : Duration.ofMinutes(((Number) value).longValue());
    }
}
