package dev.bookstore.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark at a toy size, so the bench cannot rot unnoticed. It checks that each one runs and
 * reports; it checks no timing: speed is for the full run and BENCHMARKS.md, not for a test.
 */
class BenchSmokeIT {

    @Test
    void everyBenchmarkRunsAndReportsItsFiguresBaselinesAndTargets() throws Exception {
        Path dir = Files.createTempDirectory("bench-smoke");
        List<Measure> measures = BenchMain.run(Scale.smokeRun(), Set.of("writer", "e2e", "reads", "ingest", "coldstart", "footprint"));
        Report.write(measures, true, "--smoke", dir.resolve("BENCHMARKS.md"), dir.resolve("bench.json"));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
        assertThat(json.get("measures")).extracting(m -> m.get("name").asText()).containsExactly("Writer throughput",
                "End to end through the local runner", "Reads", "Ingest handler latency", "Cold start and footprint of each Lambda", "Footprint");
        assertThat(json.get("measures")).allSatisfy(m -> assertThat(m.get("figures")).isNotEmpty());
        assertThat(json.at("/machine/cpus").asInt()).isPositive();
        String markdown = Files.readString(dir.resolve("BENCHMARKS.md"));
        assertThat(markdown).contains("Smoke run", "| target | measured | met |", "ApiIngest: jar size", "connections per execution environment");
    }
}
