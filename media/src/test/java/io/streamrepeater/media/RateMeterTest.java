package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateMeterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void averagesTheCompletedSecondsOfTheWindow() {
        RateMeter meter = new RateMeter(5);
        for (int s = 0; s < 10; s++) {
            meter.add(125_000, s * SECOND + 1); // 2 x 125 kB = 2 Mbit/s in every second
            meter.add(125_000, s * SECOND + SECOND / 2);
        }
        assertThat(meter.perSecond(9 * SECOND + SECOND / 2) * 8).isEqualTo(2_000_000);
    }

    @Test
    void fallsToZeroWhenNothingIsSent() {
        RateMeter meter = new RateMeter(5);
        meter.add(1_000, 0);
        assertThat(meter.perSecond(SECOND) * 8).isEqualTo(2_000);
        assertThat(meter.perSecond(20 * SECOND)).isZero();
    }

    @Test
    void refusesAWindowTooShortToHaveACompletedSecond() {
        assertThatThrownBy(() -> new RateMeter(1)).hasMessageContaining("at least 2 s");
    }
}
