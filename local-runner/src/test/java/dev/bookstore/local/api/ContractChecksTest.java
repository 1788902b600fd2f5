package dev.bookstore.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.testkit.ApiContract;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's contract checks report what they find, and a check that could not run, rather than passing it in silence. */
class ContractChecksTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ContractChecks checks = ContractChecks.against(RepositoryFiles.find("openapi.yaml"),
            new PrintStream(console, true, StandardCharsets.UTF_8));

    @Test
    void anAnswerWithAFieldTheSpecDoesNotNameIsReportedOnTheConsoleAndKept() {
        checks.observe(new ApiContract.Exchange("GET", "/commands/0190f5a2-7c1e-7d3a-9b41-2f6e8c0d1a11", Map.of(), Map.of(), null, 200,
                Map.of("Content-Type", List.of("application/json")),
                "{\"commandId\":\"0190f5a2-7c1e-7d3a-9b41-2f6e8c0d1a11\",\"status\":\"PENDING\",\"undocumented\":1}"));

        assertThat(checks.violations()).singleElement().asString().contains("undocumented");
        assertThat(console.toString(StandardCharsets.UTF_8)).startsWith("Contract: GET /commands/");
    }

    /** It runs on the server's thread after the function answered: an exception there would otherwise vanish. */
    @Test
    void aCheckThatCannotRunIsReported() {
        checks.observe(new ApiContract.Exchange("GET", null, Map.of(), Map.of(), null, 200, Map.of(), "{}"));

        assertThat(checks.violations()).singleElement().asString().contains("could not be checked against openapi.yaml");
    }

    @Test
    void noSpecNoChecks() {
        assertThat(ContractChecks.against(null, System.out).enabled()).isFalse();
        assertThat(checks.enabled()).isTrue();
    }
}
