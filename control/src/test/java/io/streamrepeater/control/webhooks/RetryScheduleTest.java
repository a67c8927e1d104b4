package io.streamrepeater.control.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryScheduleTest {

    @Test
    void theDefaultsTryFiveTimesOverAboutAMinute() {
        RetrySchedule defaults = RetrySchedule.defaults();

        assertThat(defaults.delayBefore(1)).contains(Duration.ZERO);
        assertThat(defaults.delayBefore(2)).contains(Duration.ofSeconds(4));
        assertThat(defaults.delayBefore(3)).contains(Duration.ofSeconds(8));
        assertThat(defaults.delayBefore(4)).contains(Duration.ofSeconds(16));
        assertThat(defaults.delayBefore(5)).contains(Duration.ofSeconds(32));
        assertThat(defaults.delayBefore(6)).isEmpty();
        assertThat(defaults.delayBefore(0)).isEmpty();
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt <= defaults.maxAttempts(); attempt++) {
            total = total.plus(defaults.delayBefore(attempt).orElseThrow());
        }
        assertThat(total).isEqualTo(Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "attempt {0} waits {1} ms")
    @CsvSource({"2, 100", "3, 200", "4, 400", "5, 500", "6, 500", "9, 500"})
    void delaysDoubleUpToTheCap(int attempt, long millis) {
        RetrySchedule schedule = new RetrySchedule(9, Duration.ofMillis(100), Duration.ofMillis(500));

        assertThat(schedule.delayBefore(attempt)).contains(Duration.ofMillis(millis));
        assertThat(schedule.delayBefore(10)).isEqualTo(Optional.empty());
    }

    @Test
    void aScheduleOfOneTryNeverRetries() {
        assertThat(new RetrySchedule(1, Duration.ofSeconds(1), Duration.ofSeconds(1)).delayBefore(2))
                .isEmpty();
    }

    @Test
    void nonsenseIsRefusedWithItsValue() {
        assertThatThrownBy(() -> new RetrySchedule(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("webhook maxAttempts 0 is outside 1..20");
        assertThatThrownBy(() -> new RetrySchedule(3, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("webhook firstDelay PT0S must be positive");
        assertThatThrownBy(() -> new RetrySchedule(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("webhook maxDelay PT1S is below firstDelay PT2S");
    }
}
