package dev.bookstore.telemetry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * CloudWatch metrics in the embedded metric format: a log line that CloudWatch turns into metrics,
 * with no API call on the request path. Every line carries the {@code Service} dimension.
 */
public final class Metrics {

    public static final String NAMESPACE = "Bookstore";

    private final String service;
    private final PrintStream out;
    private final Clock clock;
    private final AtomicBoolean cold = new AtomicBoolean(true);

    public Metrics(String service, PrintStream out, Clock clock) {
        this.service = service;
        this.out = out;
        this.clock = clock;
    }

    /** Lines written nowhere: for SnapStart priming, which runs the code that writes them without a request to log. */
    public static Metrics discarding(String service) {
        return new Metrics(service, new PrintStream(java.io.OutputStream.nullOutputStream()), Clock.systemUTC());
    }

    public static Metrics toStdout(String service) {
        return new Metrics(service, System.out, Clock.systemUTC());
    }

    /**
     * {@code ColdStart} once, at the first invocation this instance serves: one per execution environment, since each
     * environment builds its handler once. Lambda has no such metric of its own. With SnapStart the handler is built
     * before the snapshot and priming writes through other instances, so each restored environment counts its first
     * invocation too.
     */
    public void coldStart() {
        if (cold.getAndSet(false)) {
            line().count("ColdStart", 1).write();
        }
    }

    /** Starts one EMF line for the given extra dimensions ({@code name, value, name, value…}). */
    public Line line(String... dimensions) {
        return new Line(dimensions);
    }

    public final class Line {

        private final Map<String, String> dimensions = new LinkedHashMap<>();
        private final Map<String, Number> values = new LinkedHashMap<>();
        private final Map<String, String> units = new LinkedHashMap<>();

        private Line(String... pairs) {
            dimensions.put("Service", service);
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                dimensions.put(pairs[i], pairs[i + 1]);
            }
        }

        public Line count(String name, long value) {
            values.put(name, value);
            units.put(name, "Count");
            return this;
        }

        public Line millis(String name, double value) {
            values.put(name, value);
            units.put(name, "Milliseconds");
            return this;
        }

        public void write() {
            if (values.isEmpty()) {
                return;
            }
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            ObjectNode directive = json.putObject("_aws").put("Timestamp", clock.millis())
                    .putArray("CloudWatchMetrics").addObject().put("Namespace", NAMESPACE);
            ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
            dimensions.keySet().forEach(dimensionSet::add);
            ArrayNode metrics = directive.putArray("Metrics");
            units.forEach((name, unit) -> metrics.addObject().put("Name", name).put("Unit", unit));
            dimensions.forEach(json::put);
            values.forEach(json::putPOJO);
            out.println(json);
        }
    }
}
