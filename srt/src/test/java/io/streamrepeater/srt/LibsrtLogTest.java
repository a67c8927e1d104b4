package io.streamrepeater.srt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** libsrt's lines are capped per second (issue 17: a flood of garbage datagrams wrote one line each). */
class LibsrtLogTest {
    @Test
    void atMostTenLinesASecondAndTheNextOneSaysHowManyWereLeftOut() {
        LibsrtLog log = new LibsrtLog();
        long now = 5_000_000;
        int admitted = 0;
        for (int i = 0; i < 3407; i++) {
            if (log.admit(now) >= 0) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(LibsrtLog.LINES_PER_SECOND);
        assertThat(log.admit(now + 1000))
                .as("the first line of the next second")
                .isEqualTo(3407 - LibsrtLog.LINES_PER_SECOND);
        assertThat(log.admit(now + 1000)).isZero();
    }
}
