package dev.bookstore.telemetry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;

/**
 * Structured log lines: each a single JSON object, written whole so concurrent lines never interleave.
 * Lambda's JSON log format passes such lines through without wrapping them again.
 */
public final class LogLine {

    private final String service;
    private final PrintStream out;
    private final Clock clock;

    public LogLine(String service, PrintStream out, Clock clock) {
        this.service = service;
        this.out = out;
        this.clock = clock;
    }

    /** Lines written nowhere: for SnapStart priming, which runs the code that writes them without a request to log. */
    public static LogLine discarding(String service) {
        return new LogLine(service, new PrintStream(java.io.OutputStream.nullOutputStream()), Clock.systemUTC());
    }

    public static LogLine toStdout(String service) {
        return new LogLine(service, System.out, Clock.systemUTC());
    }

    /** A line at level INFO; fill it and {@link Entry#write()} it. */
    public Entry info(String message) {
        return new Entry("INFO", message);
    }

    public Entry warn(String message) {
        return new Entry("WARN", message);
    }

    public Entry error(String message) {
        return new Entry("ERROR", message);
    }

    /** One line being filled in; null values are left out. */
    public final class Entry {

        private final ObjectNode json = JsonNodeFactory.instance.objectNode();

        private Entry(String level, String message) {
            json.put("timestamp", clock.instant().toString()).put("level", level).put("service", service).put("message", message);
        }

        public Entry with(String field, Object value) {
            if (value instanceof Number number) {
                json.putPOJO(field, number);
            } else if (value instanceof Boolean flag) {
                json.put(field, flag);
            } else if (value != null) {
                json.put(field, value.toString());
            }
            return this;
        }

        /** The {@code latencyMs} field, to a hundredth of a millisecond. */
        public Entry latency(double millis) {
            return with("latencyMs", Math.round(millis * 100) / 100.0);
        }

        public void write() {
            out.println(json);
        }
    }
}
