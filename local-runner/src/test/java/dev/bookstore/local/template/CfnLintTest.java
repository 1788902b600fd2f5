package dev.bookstore.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.bookstore.testkit.RepositoryFiles;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** cfn-lint, with the SAM translator, finds nothing in template.yaml. .ci/run also runs it directly. */
class CfnLintTest {

    @Test
    void cfnLintFindsNothing() throws Exception {
        assumeThat(onPath("cfn-lint")).as("cfn-lint on the PATH (pip install cfn-lint)").isTrue();
        Path template = RepositoryFiles.find("template.yaml");

        Process lint = new ProcessBuilder("cfn-lint", template.toString()).redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(lint.exitValue()).as(output).isZero();
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
