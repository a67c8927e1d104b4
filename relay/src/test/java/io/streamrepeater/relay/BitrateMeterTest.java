package io.streamrepeater.relay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitrateMeterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void averagesTheCompletedSecondsOfTheWindow() {
        BitrateMeter meter = new BitrateMeter(5);
        for (int s = 0; s < 10; s++) {
            meter.add(125_000, s * SECOND + 1);        // 1 Mbit/s in every second
            meter.add(125_000, s * SECOND + SECOND / 2);
        }
        assertThat(meter.bitsPerSecond(9 * SECOND + SECOND / 2)).isEqualTo(2_000_000);
    }

    @Test
    void fallsToZeroWhenNothingIsSent() {
        BitrateMeter meter = new BitrateMeter(5);
        meter.add(1_000, 0);
        assertThat(meter.bitsPerSecond(SECOND)).isEqualTo(2_000);
        assertThat(meter.bitsPerSecond(20 * SECOND)).isZero();
    }

    @Test
    void refusesAWindowTooShortToHaveACompletedSecond() {
        assertThatThrownBy(() -> new BitrateMeter(1)).hasMessageContaining("at least 2 s");
    }
}
