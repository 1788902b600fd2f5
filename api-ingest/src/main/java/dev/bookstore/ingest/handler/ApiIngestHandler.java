package dev.bookstore.ingest.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.CreateBook;
import dev.bookstore.config.Settings;
import dev.bookstore.http.Requests;
import dev.bookstore.ingest.CommandPublisher;
import dev.bookstore.ingest.IdempotencyKeys;
import dev.bookstore.ingest.IngestApi;
import dev.bookstore.ingest.IngestConfig;
import dev.bookstore.snapstart.Priming;
import dev.bookstore.snapstart.SyntheticRequests;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import dev.bookstore.telemetry.Stopwatch;
import dev.bookstore.telemetry.TraceHeader;
import java.time.Clock;
import java.util.Map;

/**
 * The write routes: validate, queue, 202; {@code POST /books/batch} and {@code POST /books/{bookId}/reviews/batch}
 * answer 207 with a result per item.
 */
public final class ApiIngestHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private static final int LOGGED_HEADER_CHARS = 80;

    private final IngestApi api;
    private final LogLine log;
    private final Metrics metrics;
    /** Its SnapStart hooks, held for the environment's life; only the Lambda runtime's constructors register them. */
    private Priming priming;

    /** For the Lambda runtime. */
    public ApiIngestHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables (the local runner gives each function its own). */
    public ApiIngestHandler(Map<String, String> environment) {
        this(api(IngestConfig.from(new Settings(environment))), LogLine.toStdout("api-ingest"), Metrics.toStdout("api-ingest"));
        priming = Priming.register(this::prime, () -> { });
    }

    /** The SnapStart hooks this environment registered, or null for a handler built around its collaborators. */
    public Priming priming() {
        return priming;
    }

    /**
     * Before the snapshot: a request that validation refuses (JSON parsing, the rules, problem+json, the log line and the
     * metric, written nowhere), a batch whose one item it refuses, and a command encoded as it would be queued. Nothing is sent: SQS is first called, and
     * the credentials first resolved, by the first request after a restore.
     */
    private void prime() {
        ApiIngestHandler discarding = new ApiIngestHandler(api, LogLine.discarding("api-ingest"), Metrics.discarding("api-ingest"));
        discarding.handleRequest(SyntheticRequests.of("POST", "/books", Map.of(), Map.of(), "{\"title\":\"\"}"), null);
        // A batch whose one item is refused: its items are checked and answered, and nothing is queued.
        discarding.handleRequest(SyntheticRequests.of("POST", "/books/batch", Map.of(), Map.of(), "{\"items\":[{\"title\":\"\"}]}"), null);
        new CommandCodec(Clock.systemUTC()).encode(CommandEnvelope.of(CommandIds.fresh(), Clock.systemUTC().instant(), "snapstart-priming",
                null, new CreateBook(CommandIds.fresh(), "Priming", "Priming", "Priming", 2000, null)));
    }

    public ApiIngestHandler(IngestApi api, LogLine log, Metrics metrics) {
        this.api = api;
        this.log = log;
        this.metrics = metrics;
    }

    private static IngestApi api(IngestConfig config) {
        Clock clock = Clock.systemUTC();
        return new IngestApi(new CommandPublisher(CommandPublisher.client(config), config, new CommandCodec(clock)),
                new IdempotencyKeys(), clock);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        Stopwatch stopwatch = Stopwatch.start();
        metrics.coldStart();
        IngestApi.Outcome outcome = api.handle(request, context);
        double millis = stopwatch.millis();
        if (outcome.items() != null) {
            logBatch(request, context, outcome, millis);
            return outcome.response();
        }
        int status = outcome.response().getStatusCode();
        LogLine.Entry line = (status >= 500 ? log.error("request refused") : log.info(status == 202 ? "command accepted" : "request rejected"))
                .with("route", outcome.route())
                .with("status", status)
                .with("commandId", outcome.commandId())
                .with("correlationId", Requests.correlationId(request, context))
                .with("traceId", TraceHeader.traceIdOf(TraceHeader.of(context)))
                .latency(millis)
                .with("error", outcome.error());
        if (outcome.problem() != null) {
            // The body's size and type, never its text: a review's text and reviewer are personal data.
            line.with("problem", outcome.problem()).with("bodyBytes", Requests.bodyBytes(request).length)
                    .with("contentType", clipped(Requests.header(request, "Content-Type")));
        }
        line.write();
        Metrics.Line metric = outcome.problem() == null
                ? metrics.line("Route", outcome.route()).count("Accepted", 1)
                : metrics.line("Route", outcome.route(), "Reason", outcome.problem()).count("Rejected", 1);
        metric.millis("Latency", millis).write();
        return outcome.response();
    }

    /**
     * A batch that got as far as its items: one line with the items' counts (never their content: a review's text and
     * reviewer are personal data), and the metrics the single route writes, counted per item, so the dashboard's
     * commands queued and refused add up whichever route brought them.
     */
    private void logBatch(APIGatewayProxyRequestEvent request, Context context, IngestApi.Outcome outcome, double millis) {
        IngestApi.Items items = outcome.items();
        (items.anyServerError() ? log.error("batch answered, some items not queued") : log.info("batch answered"))
                .with("route", outcome.route())
                .with("status", outcome.response().getStatusCode())
                .with("items", items.count())
                .with("accepted", items.accepted())
                .with("refused", items.refused().isEmpty() ? null : items.refused().toString())
                .with("correlationId", Requests.correlationId(request, context))
                .with("traceId", TraceHeader.traceIdOf(TraceHeader.of(context)))
                .latency(millis)
                .with("bodyBytes", Requests.bodyBytes(request).length)
                .with("error", outcome.error())
                .write();
        metrics.line("Route", outcome.route()).count("Accepted", items.accepted()).millis("Latency", millis).write();
        items.refused().forEach((reason, count) -> metrics.line("Route", outcome.route(), "Reason", reason).count("Rejected", count).write());
    }

    /** A header as sent, cut short: a client's 8 KB header is not worth a log line that size. */
    private static String clipped(String header) {
        return header == null || header.length() <= LOGGED_HEADER_CHARS ? header : header.substring(0, LOGGED_HEADER_CHARS) + "…";
    }
}
