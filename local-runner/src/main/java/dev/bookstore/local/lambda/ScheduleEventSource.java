package dev.bookstore.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.local.sqs.LocalQueues;
import dev.bookstore.local.template.FunctionSpec;
import java.io.PrintStream;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An EventBridge schedule of one function: every period, the first one period after the start, it invokes the
 * function with the scheduled event EventBridge sends ({@code "detail-type": "Scheduled Event"}), or with the event's
 * {@code Input} where the template gives one, as EventBridge then sends that instead. The function's
 * concurrency (its reserved concurrency) holds a run back while another is still going, where Lambda would throttle
 * it and retry. A failed run is reported on the console; the next comes at its time.
 */
public final class ScheduleEventSource implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionSpec.Schedule spec;
    private final LocalFunction function;
    private final String ruleArn;
    private final Clock clock;
    private final PrintStream console;
    private final ScheduledExecutorService timer;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failedRuns = new AtomicLong();

    public ScheduleEventSource(FunctionSpec.Schedule spec, LocalFunction function, String stackName, Clock clock, PrintStream console) {
        this.spec = spec;
        this.function = function;
        // The rule SAM makes for the event is named after the function and the event: RetentionHourly.
        this.ruleArn = "arn:aws:events:" + LocalQueues.REGION + ":" + LocalQueues.ACCOUNT + ":rule/" + stackName + "-"
                + function.spec().logicalId() + spec.name();
        this.clock = clock;
        this.console = console;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, function.spec().logicalId() + "-" + spec.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        long period = spec.period().toMillis();
        timer.scheduleAtFixedRate(() -> {
            try {
                fire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    public FunctionSpec.Schedule spec() {
        return spec;
    }

    public LocalFunction function() {
        return function;
    }

    /** Invokes the function with a scheduled event now, as its schedule does, and returns how the run ended. */
    public LocalFunction.Invocation fire() throws InterruptedException {
        LocalFunction.Invocation invocation = function.invoke(spec.input() != null ? spec.input() : event().toString());
        runs.incrementAndGet();
        if (invocation.failed()) {
            failedRuns.incrementAndGet();
            console.println(function.spec().logicalId() + ": scheduled run (" + spec.expression() + ") failed ("
                    + invocation.errorType() + ": " + invocation.errorMessage() + "); the next comes at its time");
        }
        return invocation;
    }

    public long runs() {
        return runs.get();
    }

    public long failedRuns() {
        return failedRuns.get();
    }

    /** The event of a scheduled rule, field for field as EventBridge sends it. */
    private ObjectNode event() {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", "Scheduled Event")
                .put("source", "aws.events")
                .put("account", LocalQueues.ACCOUNT)
                .put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", LocalQueues.REGION);
        event.putArray("resources").add(ruleArn);
        event.putObject("detail");
        return event;
    }

    /** No further runs; one in flight is left to end within its function's timeout. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(function.spec().timeoutSeconds() + 5L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
