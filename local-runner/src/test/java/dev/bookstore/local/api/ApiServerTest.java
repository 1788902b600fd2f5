package dev.bookstore.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.bookstore.local.lambda.LocalFunction;
import dev.bookstore.local.template.FunctionSpec;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ApiServerTest {

    /** A function that takes half a second to answer. */
    public static final class SlowApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("{\"slow\":true}");
        }
    }

    @Test
    void aRequestUnderWayWhenTheServerStopsIsStillAnswered() throws Exception {
        FunctionSpec spec = new FunctionSpec("Slow", SlowApiHandler.class.getName(), "local-runner", 5, 128, null,
                Map.of(), List.of(), List.of(), List.of(), Map.of());
        try (LocalFunction function = new LocalFunction(spec, Map.of(), 1, new PrintStream(OutputStream.nullOutputStream()))) {
            ApiServer api = ApiServer.start(0, List.of(new ApiServer.Route("GET", "/slow", function)), ContractChecks.NONE);
            CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> function.handlersRunning() == 1);

            api.close();

            assertThat(answer.get().statusCode()).isEqualTo(200);
            assertThat(answer.get().body()).isEqualTo("{\"slow\":true}");
        }
    }
}
