package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingWritesTest {
    private static final long MS = 1_000_000;

    @Test
    void countsBytesAndTheAgeOfTheOldestWriteUntilCompleted() {
        PendingWrites pending = new PendingWrites();
        assertThat(pending.oldestAgeMs(0)).isZero();
        pending.queued(100, 10 * MS, 7);
        pending.queued(50, 20 * MS, 0);
        assertThat(pending.pendingBytes()).isEqualTo(150);
        assertThat(pending.oldestAgeMs(110 * MS)).isEqualTo(100);
        assertThat(pending.completed()).isEqualTo(7);
        assertThat(pending.pendingBytes()).isEqualTo(50);
        assertThat(pending.oldestAgeMs(110 * MS)).isEqualTo(90);
        assertThat(pending.completed()).isZero();
        assertThat(pending.completed()).isZero(); // a completion with nothing queued changes nothing
        assertThat(pending.pendingBytes()).isZero();
        assertThat(pending.peakBytes()).isEqualTo(150);
    }

    @Test
    void keepsFifoOrderWhileGrowingPastItsInitialCapacityWithTheRingWrapped() {
        PendingWrites pending = new PendingWrites();
        long next = 1;
        long expected = 1;
        // Wrap the ring first (queue and complete a few), then queue far more than the initial 64.
        for (int i = 0; i < 40; i++) {
            pending.queued(1, i, next++);
        }
        for (int i = 0; i < 30; i++) {
            assertThat(pending.completed()).isEqualTo(expected++);
        }
        for (int i = 0; i < 500; i++) {
            pending.queued(1, i, next++);
        }
        assertThat(pending.pendingBytes()).isEqualTo(510);
        while (pending.pendingBytes() > 0) {
            assertThat(pending.completed()).isEqualTo(expected++);
        }
        assertThat(expected).isEqualTo(next);
    }
}
