package dev.bookstore.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatienceTest {

    private static long total(List<Duration> schedule) {
        return schedule.stream().mapToLong(Duration::toSeconds).sum();
    }

    @Test
    void twelveHoursOverFourReceivesIsAMinuteThenGrowingDelaysThatAddUpToTwelveHours() {
        List<Duration> schedule = new Patience(4, Duration.ofHours(12), Redelivery.NONE).schedule();

        assertThat(schedule).hasSize(3);
        assertThat(schedule.get(0)).isEqualTo(Duration.ofMinutes(1));
        assertThat(schedule.get(1)).isBetween(Duration.ofMinutes(20), Duration.ofMinutes(30));
        assertThat(schedule.get(2)).isLessThanOrEqualTo(Patience.LONGEST_DELAY);
        assertThat(total(schedule)).isEqualTo(12 * 3600);
    }

    @Test
    void eachDelayIsLongerThanTheOneBeforeAndTheWaitIsKeptForAnyShape() {
        for (int receives = 2; receives <= 10; receives++) {
            for (long seconds : new long[] {36, 600, 3600, 43_200, 86_400}) {
                if (seconds > 43_200L * (receives - 1)) {
                    continue;
                }
                List<Duration> schedule = new Patience(receives, Duration.ofSeconds(seconds), Redelivery.NONE).schedule();
                assertThat(total(schedule)).as(receives + " receives, " + seconds + " s").isEqualTo(seconds);
                for (int i = 1; i < schedule.size(); i++) {
                    assertThat(schedule.get(i)).as(receives + " receives, " + seconds + " s: delay " + i).isGreaterThanOrEqualTo(schedule.get(i - 1));
                }
            }
        }
    }

    @Test
    void theDelayAfterAWaitFollowsTheScheduleAndStaysAtItsLastStep() {
        Patience patience = new Patience(4, Duration.ofHours(12), Redelivery.NONE);

        assertThat(patience.delayAfter(1)).isEqualTo(patience.schedule().get(0));
        assertThat(patience.delayAfter(3)).isEqualTo(patience.schedule().get(2));
        assertThat(patience.delayAfter(9)).isEqualTo(patience.schedule().get(2));
    }

    @Test
    void aWaitThatNoDelaysOfTwelveHoursCanCoverIsRefused() {
        assertThatThrownBy(() -> new Patience(2, Duration.ofHours(13), Redelivery.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Patience.none().schedule()).isEmpty();
        assertThat(new Patience(4, Duration.ZERO, Redelivery.NONE).schedule()).containsOnly(Duration.ZERO);
    }

    @Test
    void theRestOfAWaitIsWholeSecondsRoundedUpAtMostTwelveHoursAndZeroOnceItHasPassed() {
        Patience patience = new Patience(4, Duration.ofSeconds(24), Redelivery.NONE);

        assertThat(patience.rest(Duration.ofMillis(7539))).isEqualTo(Duration.ofSeconds(17));
        assertThat(patience.rest(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(20));
        assertThat(patience.rest(Duration.ofSeconds(24))).isZero();
        assertThat(patience.rest(Duration.ofSeconds(90))).isZero();
        assertThat(new Patience(4, Duration.ofHours(30), Redelivery.NONE).rest(Duration.ZERO)).isEqualTo(Patience.LONGEST_DELAY);
    }
}
