package dev.bookstore.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.testkit.RepositoryFiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The schedules the local runner reads from a function's Schedule and ScheduleV2 events: rates it can run, and nothing else. */
class ScheduleEventsTest {

    private static List<FunctionSpec.Schedule> schedulesOf(String type, String properties) {
        String yaml = """
                Resources:
                  Job:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: dev.example.Job::handleRequest
                      CodeUri: job/target/lambda/job.jar
                      Events:
                        Tick:
                          Type: %s
                          Properties: {%s}
                """.formatted(type, properties);
        return SamTemplate.parse(yaml, Map.of()).functions().get("Job").schedules();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rate(1 minute)   | PT1M
            rate(5 minutes)  | PT5M
            rate(1 hour)     | PT1H
            rate(12 hours)   | PT12H
            rate(1 day)      | PT24H
            rate(7 days)     | PT168H
            """)
    void aRateRunsAtItsPeriod(String expression, Duration period) {
        assertThat(schedulesOf("Schedule", "Schedule: '" + expression + "'"))
                .containsExactly(new FunctionSpec.Schedule("Tick", expression, period, true, null));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cron(0 3 * * ? *)", "at(2026-12-24T18:00:00)", "rate(1 hours)", "rate(2 hour)", "rate(0 minutes)",
            "rate(30 seconds)", "rate(-1 days)", "every hour"})
    void anythingButARateEventBridgeTakesIsRefusedNamingTheEvent(String expression) {
        assertThatThrownBy(() -> schedulesOf("Schedule", "Schedule: '" + expression + "'"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Job.Tick: ")
                .hasMessageContaining(expression);
    }

    @Test
    void aScheduleV2ReadsItsScheduleExpression() {
        assertThat(schedulesOf("ScheduleV2", "ScheduleExpression: 'rate(10 minutes)'"))
                .containsExactly(new FunctionSpec.Schedule("Tick", "rate(10 minutes)", Duration.ofMinutes(10), true, null));
    }

    @Test
    void aDisabledScheduleIsReadAsDisabled() {
        assertThat(schedulesOf("Schedule", "Schedule: 'rate(1 day)', Enabled: false").get(0).enabled()).isFalse();
        assertThat(schedulesOf("Schedule", "Schedule: 'rate(1 day)', State: DISABLED").get(0).enabled()).isFalse();
        assertThat(schedulesOf("ScheduleV2", "ScheduleExpression: 'rate(1 day)', State: DISABLED").get(0).enabled()).isFalse();
    }

    @Test
    void theTemplatesRetentionFunctionRunsEveryHour() {
        FunctionSpec retention = SamTemplate.read(RepositoryFiles.find("template.yaml")).functions().get("Retention");

        assertThat(retention.schedules()).containsExactly(new FunctionSpec.Schedule("Hourly", "rate(1 hour)", Duration.ofHours(1), true, null));
        assertThat(retention.routes()).isEmpty();
        assertThat(retention.sqsSources()).isEmpty();
    }
}
