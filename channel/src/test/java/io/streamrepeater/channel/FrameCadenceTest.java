package io.streamrepeater.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The frame grid learnt from millisecond timestamps: exact durations for the usual rates, and the phase. */
class FrameCadenceTest {

    private static FrameCadence fed(double frameMs, long originMs, int frames) {
        FrameCadence cadence = new FrameCadence();
        for (int n = 0; n < frames; n++) {
            long t = originMs + Math.round(n * frameMs);
            cadence.add(t, t + Math.round(2 * frameMs)); // presented two frames later, as with B-frames
        }
        return cadence;
    }

    @ParameterizedTest(name = "{0} fps")
    @CsvSource({"30, 33.3333333", "29.97, 33.3666667", "25, 40", "60, 16.6666667", "59.94, 16.6833333", "24, 41.6666667"
    })
    void millisecondTimestampsOfAUsualRateGiveItsExactFrameDuration(double fps, double expectedMs) {
        double frameMs = fps == 29.97 ? 1001.0 / 30 : fps == 59.94 ? 1001.0 / 60 : 1000.0 / fps;
        assertThat(fed(frameMs, 12_345, FrameCadence.WINDOW).frameMs()).isCloseTo(expectedMs, within(1e-6));
    }

    @Test
    void theRateIsUnknownBeforeEightFramesAndAfterAJump() {
        assertThat(fed(1000.0 / 30, 0, 7).frameMs()).isNaN();
        FrameCadence cadence = fed(1000.0 / 30, 0, 40);
        cadence.add(90_000, 90_067); // the encoder's clock jumped: the old grid says nothing
        assertThat(cadence.frameMs()).isNaN();
    }

    /**
     * Regression (found by bench/failover-figures.sh, disconnect / next-keyframe / realtime): the output's own grid
     * is measured across realtime jumps of the timeline; a 750 ms jump inside the window read as a 39 ms frame, the
     * next input was not recognised as being on the output's grid, and its segment landed off it (two frames in one
     * decoder slot every 100 ms in the recording).
     */
    @Test
    void aJumpOfSeveralFramesStartsTheMeasurementAgain() {
        FrameCadence cadence = fed(1000.0 / 30, 0, 100);
        long jumpedTo = Math.round(99 * 1000.0 / 30) + 767; // 23 frames later, as a realtime outage of 767 ms
        for (int n = 0; n < 20; n++) {
            long t = jumpedTo + Math.round(n * 1000.0 / 30);
            cadence.add(t, t + 67);
            if (n < 7) {
                assertThat(cadence.frameMs()).as("frame %d after the jump", n).isNaN();
            }
        }
        assertThat(cadence.frameMs()).isCloseTo(1000.0 / 30, within(1e-6));
    }

    @Test
    void aFewDroppedFramesAreNoJump() {
        FrameCadence cadence = fed(1000.0 / 30, 0, 40);
        cadence.add(Math.round(41 * 1000.0 / 30), 0); // one frame missing: a step of two frames
        assertThat(cadence.frameMs())
                .as("still measured over the window, not started again")
                .isNotNaN();
    }

    @Test
    void thePhaseIsWhereTheFramesSitOnTheGridDespiteRounding() {
        double frameMs = 1000.0 / 30;
        // frames at 17 + round(n * 33.33): on the grid of 33.33 ms shifted by 17 ms (plus the two-frame delay)
        FrameCadence cadence = fed(frameMs, 17, 32);
        assertThat(cadence.phaseMs(frameMs)).isCloseTo(FrameCadence.mod(17 + 2 * frameMs, frameMs), within(0.35));
        assertThat(fed(frameMs, 0, 32).phaseMs(frameMs))
                .satisfiesAnyOf(
                        p -> assertThat(p).isCloseTo(0, within(0.35)),
                        p -> assertThat(p).isCloseTo(frameMs, within(0.35)));
    }

    @Test
    void theEncodersAnnouncedRateDecidesBetweenCloseOnes() {
        FrameCadence few = fed(1001.0 / 30, 0, 12); // 11 steps cannot tell 29.97 from 30
        assertThat(few.frameMs(29.97)).isCloseTo(1001.0 / 30, within(1e-6));
        assertThat(few.frameMs(30)).isCloseTo(1000.0 / 30, within(1e-6));
        assertThat(few.frameMs(50))
                .as("an announced rate the timestamps contradict is ignored")
                .isCloseTo(1000.0 / 30, within(0.05));
    }

    @Test
    void anUnusualRateIsTheMeasuredMean() {
        assertThat(fed(37.0, 0, 20).frameMs()).isCloseTo(37.0, within(1e-9));
    }
}
