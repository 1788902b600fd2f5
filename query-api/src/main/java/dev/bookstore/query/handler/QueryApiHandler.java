package dev.bookstore.query.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.bookstore.db.Database;
import dev.bookstore.http.Problem;
import dev.bookstore.http.ProblemType;
import dev.bookstore.http.Requests;
import dev.bookstore.query.QueryApi;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import dev.bookstore.telemetry.Stopwatch;
import dev.bookstore.telemetry.TraceHeader;
import dev.bookstore.domain.Keyset;
import dev.bookstore.snapstart.Priming;
import dev.bookstore.snapstart.SyntheticRequests;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** {@code GET} routes: books, a book, its reviews, a command's status, and the original {@code GET /book}. */
public final class QueryApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final QueryApi api;
    private final LogLine log;
    private final Metrics metrics;
    private final Database db;
    /** Its SnapStart hooks, held for the environment's life; only the Lambda runtime's constructors register them. */
    private Priming priming;

    /** For the Lambda runtime. */
    public QueryApiHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables; bad configuration throws here. */
    public QueryApiHandler(Map<String, String> environment) {
        this(Database.fromEnvironment(environment), LogLine.toStdout("query-api"), Metrics.toStdout("query-api"));
        priming = Priming.register(this::prime, db::discardConnection);
    }

    public QueryApiHandler(Database db, LogLine log, Metrics metrics) {
        this(new QueryApi(db, log), log, metrics, db);
    }

    public QueryApiHandler(QueryApi api, LogLine log, Metrics metrics) {
        this(api, log, metrics, null);
    }

    private QueryApiHandler(QueryApi api, LogLine log, Metrics metrics, Database db) {
        this.api = api;
        this.log = log;
        this.metrics = metrics;
        this.db = db;
    }

    /** The SnapStart hooks this environment registered, or null for a handler built around its collaborators. */
    public Priming priming() {
        return priming;
    }

    /**
     * Before the snapshot: requests that validation refuses (the problem+json path, the log line and the metric, written
     * nowhere), and the read statements' SQL built. No connection is opened: the first request after a restore opens it.
     */
    private void prime() {
        LogLine nowhere = LogLine.discarding("query-api");
        QueryApiHandler quiet = new QueryApiHandler(new QueryApi(db, nowhere), nowhere, Metrics.discarding("query-api"));
        quiet.handleRequest(SyntheticRequests.of("GET", "/books/{bookId}", Map.of("bookId", "not-a-uuid"), Map.of(), null), null);
        quiet.handleRequest(SyntheticRequests.of("GET", "/books", Map.of(), Map.of("limit", "0"), null), null);
        UUID id = new UUID(0, 0);
        Keyset after = new Keyset(Instant.EPOCH, id);
        db.prime(Map.of(
                "BookMapper.listBooks", Map.of("author", "A", "after", after, "limit", 1),
                "BookMapper.findBookDetail", Map.of("id", id),
                "ReviewMapper.findReviewPage", Map.of("bookId", id, "after", after, "limit", 1),
                "ReviewMapper.findReview", Map.of("bookId", id, "reviewId", id),
                "OutcomeMapper.findOutcomeWithBook", Map.of("commandId", id)));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        Stopwatch stopwatch = Stopwatch.start();
        metrics.coldStart();
        String correlationId = Requests.correlationId(request, context);
        String route = Requests.route(request);
        APIGatewayProxyResponseEvent response;
        try {
            response = api.handle(request, correlationId);
        } catch (RuntimeException e) {
            // A bug: the client gets a problem without internals; the log line, found by its correlationId, gets the
            // exception's type and message.
            log.error("request failed").with("route", route).with("correlationId", correlationId).with("error", e.toString()).write();
            response = Problem.of(ProblemType.INTERNAL, "the request failed on our side; quote the correlationId to support")
                    .at(request.getPath(), correlationId).toResponse();
        }
        double millis = stopwatch.millis();
        int status = response.getStatusCode();
        (status >= 500 ? log.warn("request answered") : log.info("request answered"))
                .with("route", route).with("status", status).with("correlationId", correlationId)
                .with("traceId", TraceHeader.traceIdOf(TraceHeader.of(context))).latency(millis).write();
        metrics.line("Route", route, "StatusClass", (status / 100) + "xx").count("Requests", 1).millis("Latency", millis).write();
        return response;
    }
}
