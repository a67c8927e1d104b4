package io.streamrepeater.relay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PendingWritesTest {
    private static final long MS = 1_000_000;

    @Test
    void countsBytesAndTheAgeOfTheOldestWriteUntilCompleted() {
        PendingWrites pending = new PendingWrites();
        assertThat(pending.oldestAgeMs(0)).isZero();
        pending.queued(100, 10 * MS);
        pending.queued(50, 20 * MS);
        assertThat(pending.pendingBytes()).isEqualTo(150);
        assertThat(pending.oldestAgeMs(110 * MS)).isEqualTo(100);
        pending.completed();
        assertThat(pending.pendingBytes()).isEqualTo(50);
        assertThat(pending.oldestAgeMs(110 * MS)).isEqualTo(90);
        pending.completed();
        pending.completed(); // a completion with nothing queued changes nothing
        assertThat(pending.pendingBytes()).isZero();
        assertThat(pending.peakBytes()).isEqualTo(150);
    }
}
