package dev.bookstore.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.bookstore.local.template.FunctionSpec;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalFunctionTest {

    /** Like a JDBC round trip: an interrupt does not stop it; it runs its 2.5 s whatever the function's timeout. */
    public static final class InterruptIgnoringHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
            long end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException ignored) {
                    // Carries on, as a call blocked in a socket read would.
                }
            }
            return new SQSBatchResponse(List.of());
        }
    }

    @Test
    void aTimedOutHandlerStillAtWorkCountsAsRunningUntilItReturns() throws Exception {
        FunctionSpec spec = new FunctionSpec("Stubborn", InterruptIgnoringHandler.class.getName(), "local-runner", 1, 128, null,
                Map.of(), List.of(), List.of(), List.of(), Map.of());
        try (LocalFunction function = new LocalFunction(spec, Map.of(), 1, new PrintStream(OutputStream.nullOutputStream()))) {
            assertThat(function.handlersRunning()).isZero();

            LocalFunction.Invocation invocation = function.invoke("{\"Records\":[]}");

            assertThat(invocation.errorType()).isEqualTo("Sandbox.Timedout");
            assertThat(function.handlersRunning()).as("the timed-out handler, still at work").isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> function.handlersRunning() == 0);
        }
    }
}
