package dev.bookstore.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.config.InvalidConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionSettingsTest {

    /** The template's values: a 30-day window, queues that keep messages 4 days and DLQs 14. */
    private static Map<String, String> environment(String windowDays) {
        Map<String, String> env = new HashMap<>();
        env.put(RetentionSettings.WINDOW_DAYS, windowDays);
        env.put(RetentionSettings.SOURCE_QUEUE_RETENTION_SECONDS, "345600");
        env.put(RetentionSettings.DLQ_RETENTION_SECONDS, "1209600");
        return env;
    }

    @Test
    void theTemplatesWindowIsTakenWithBatchesOfAThousandRows() {
        RetentionSettings settings = RetentionSettings.from(environment("30"));

        assertThat(settings.window()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.batchSize()).isEqualTo(1000);
    }

    @Test
    void aWindowNoLongerThanTheDlqsRetentionPlusTheSourcesIsRefusedNamingBoth() {
        assertThatThrownBy(() -> RetentionSettings.from(environment("18")))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.variable()).isEqualTo(RetentionSettings.WINDOW_DAYS);
                    assertThat(e.getMessage()).contains(RetentionSettings.DLQ_RETENTION_SECONDS, RetentionSettings.SOURCE_QUEUE_RETENTION_SECONDS,
                            "1209600 s", "345600 s", "1555200 s (18 days)");
                });
    }

    @Test
    void oneDayLongerThanBothIsEnough() {
        assertThat(RetentionSettings.from(environment("19")).window()).isEqualTo(Duration.ofDays(19));
    }

    @Test
    void longerQueueRetentionsNeedALongerWindow() {
        Map<String, String> env = environment("19");
        env.put(RetentionSettings.SOURCE_QUEUE_RETENTION_SECONDS, "1209600");

        assertThatThrownBy(() -> RetentionSettings.from(env)).hasMessageContaining("2419200 s (28 days)");
    }

    @ParameterizedTest
    @ValueSource(strings = {RetentionSettings.WINDOW_DAYS, RetentionSettings.SOURCE_QUEUE_RETENTION_SECONDS, RetentionSettings.DLQ_RETENTION_SECONDS})
    void eachOfTheThreeMustBeSet(String variable) {
        Map<String, String> env = environment("30");
        env.remove(variable);

        assertThatThrownBy(() -> RetentionSettings.from(env)).isInstanceOfSatisfying(InvalidConfigurationException.class,
                e -> assertThat(e.getMessage()).isEqualTo(variable + ": not set"));
    }

    @Test
    void aRetentionSqsCannotHaveIsRefused() {
        Map<String, String> env = environment("30");
        env.put(RetentionSettings.DLQ_RETENTION_SECONDS, "2000000");

        assertThatThrownBy(() -> RetentionSettings.from(env)).hasMessage(RetentionSettings.DLQ_RETENTION_SECONDS
                + ": must be between 60 and 1209600, was 2000000");
    }

    @Test
    void theBatchSizeIsBounded() {
        Map<String, String> env = environment("30");
        env.put(RetentionSettings.BATCH_SIZE, "0");

        assertThatThrownBy(() -> RetentionSettings.from(env)).hasMessageStartingWith(RetentionSettings.BATCH_SIZE + ": must be between 1 and");
    }
}
