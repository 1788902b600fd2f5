package dev.bookstore.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.bookstore.ingest.IngestConfig;
import dev.bookstore.ingest.handler.ApiIngestHandler;
import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.TestLambdaContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The ApiIngest handler's latency per request, SQS send included, against ElasticMQ on loopback.
 * Baseline: a bare SendMessage of the same body from the same client library, in the same run,
 * so the ratio says what validation, encoding and logging add.
 */
public final class IngestLatency {

    static Measure run(Scale scale) {
        int requests = scale.smoke() ? 200 : 10_000;
        PrintStream console = System.out;
        try (EmbeddedSqs sqs = EmbeddedSqs.start()) {
            String books = sqs.createQueue("books-commands");
            System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the handler's log lines
            ApiIngestHandler handler = new ApiIngestHandler(Map.of(IngestConfig.BOOKS_QUEUE_URL, books,
                    IngestConfig.REVIEWS_QUEUE_URL, sqs.createQueue("reviews-commands"), IngestConfig.SQS_ENDPOINT, sqs.endpoint(),
                    "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench"));
            String body = "{\"title\":\"The Left Hand of Darkness\",\"author\":\"Ursula K. Le Guin\",\"publisher\":\"Ace Books\","
                    + "\"year\":1969,\"isbn\":\"978-0-441-47812-5\"}";
            long[] handled = new long[requests];
            long[] bare = new long[requests];
            for (int round = 0; round < 2; round++) { // the first round warms the JIT
                for (int i = 0; i < requests; i++) {
                    APIGatewayProxyRequestEvent request = post(body);
                    long start = System.nanoTime();
                    int status = handler.handleRequest(request, new TestLambdaContext()).getStatusCode();
                    handled[i] = System.nanoTime() - start;
                    if (status != 202) {
                        throw new IllegalStateException("expected 202, got " + status);
                    }
                    start = System.nanoTime();
                    sqs.client().sendMessage(r -> r.queueUrl(books).messageBody(body));
                    bare[i] = System.nanoTime() - start;
                }
                sqs.client().purgeQueue(r -> r.queueUrl(books));
            }
            System.setOut(console);
            Percentiles h = new Percentiles(handled);
            Percentiles b = new Percentiles(bare);
            return new Measure("Ingest handler latency", "ApiIngest handler called directly, " + requests
                    + " valid POST /books, ElasticMQ on loopback")
                    .figure("ApiIngest handler, p50", h.millis(50), "ms")
                    .figure("ApiIngest handler, p99", h.millis(99), "ms")
                    .figure("baseline: a bare SendMessage of the same body, p50", b.millis(50), "ms")
                    .figure("baseline: a bare SendMessage of the same body, p99", b.millis(99), "ms")
                    .note(String.format("what validation, encoding and logging add: p50 x%.2f, p99 x%.2f", h.millis(50) / b.millis(50),
                            h.millis(99) / b.millis(99)));
        } finally {
            System.setOut(console);
        }
    }

    /** {@code POST /books} with a JSON body, as API Gateway passes it. */
    static APIGatewayProxyRequestEvent post(String body) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withResource("/books").withPath("/books")
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body);
    }
}
