package dev.bookstore.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aLineIsAnEmbeddedMetricFormatDocument() throws Exception {
        new Metrics("book-writer", new PrintStream(out, true, StandardCharsets.UTF_8), clock)
                .line("Reason", "DUPLICATE_ISBN").count("Rejected", 2).millis("BatchLatency", 12.5).write();

        JsonNode emf = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(emf.at("/_aws/Timestamp").asLong()).isEqualTo(clock.millis());
        JsonNode directive = emf.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo("Bookstore");
        assertThat(directive.at("/Dimensions/0").toString()).isEqualTo("[\"Service\",\"Reason\"]");
        assertThat(directive.get("Metrics").toString())
                .isEqualTo("[{\"Name\":\"Rejected\",\"Unit\":\"Count\"},{\"Name\":\"BatchLatency\",\"Unit\":\"Milliseconds\"}]");
        assertThat(emf.get("Service").asText()).isEqualTo("book-writer");
        assertThat(emf.get("Reason").asText()).isEqualTo("DUPLICATE_ISBN");
        assertThat(emf.get("Rejected").asLong()).isEqualTo(2);
        assertThat(emf.get("BatchLatency").asDouble()).isEqualTo(12.5);
    }

    @Test
    void theFirstInvocationOfAnEnvironmentIsCountedAsItsColdStartOnce() throws Exception {
        Metrics metrics = new Metrics("query-api", new PrintStream(out, true, StandardCharsets.UTF_8), clock);
        metrics.coldStart();
        metrics.coldStart();

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1);
        JsonNode emf = new ObjectMapper().readTree(lines[0]);
        assertThat(emf.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString()).isEqualTo("[\"Service\"]");
        assertThat(emf.get("ColdStart").asLong()).isEqualTo(1);
    }

    @Test
    void aLineWithoutValuesWritesNothing() {
        new Metrics("x", new PrintStream(out, true, StandardCharsets.UTF_8), clock).line().write();

        assertThat(out.size()).isZero();
    }

    @Test
    void logLinesAreSingleJsonObjectsWithoutNulls() throws Exception {
        new LogLine("api-ingest", new PrintStream(out, true, StandardCharsets.UTF_8), clock).warn("batch failed")
                .with("messageId", "m-1").with("count", 3).with("absent", null).with("ok", false).write();

        String text = out.toString(StandardCharsets.UTF_8);
        JsonNode line = new ObjectMapper().readTree(text);
        assertThat(text.strip()).doesNotContain("\n");
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("service").asText()).isEqualTo("api-ingest");
        assertThat(line.get("message").asText()).isEqualTo("batch failed");
        assertThat(line.get("count").asInt()).isEqualTo(3);
        assertThat(line.get("ok").asBoolean()).isFalse();
        assertThat(line.has("absent")).isFalse();
        assertThat(line.get("timestamp").asText()).isEqualTo("2026-11-25T10:00:00Z");
    }
}
