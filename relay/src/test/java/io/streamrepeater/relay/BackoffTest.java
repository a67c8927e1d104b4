package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
    /** A "random" source that always answers the top of the range: the schedule's ceilings. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    @Test
    void ceilingsDoubleFromTheBaseUpToTheCap() {
        Backoff backoff = new Backoff(1_000, 30_000, HIGHEST);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(backoff.nextDelayMs());
        }
        assertThat(delays).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
        assertThat(backoff.attempts()).isEqualTo(8);
    }

    @Test
    void capIsConfigurable() {
        Backoff backoff = new Backoff(1_000, 5_000, HIGHEST);
        for (int i = 0; i < 3; i++) {
            backoff.nextDelayMs();
        }
        assertThat(backoff.nextDelayMs()).isEqualTo(5_000);
        assertThat(backoff.nextDelayMs()).isEqualTo(5_000);
    }

    @Test
    void fullJitterStaysWithinEachCeilingAndIsReproducibleWithASeed() {
        Backoff a = new Backoff(1_000, 30_000, new SplittableRandom(42));
        Backoff b = new Backoff(1_000, 30_000, new SplittableRandom(42));
        long previousCeiling = 0;
        for (int i = 0; i < 12; i++) {
            long ceiling = a.nextCeilingMs();
            assertThat(ceiling).isGreaterThanOrEqualTo(previousCeiling).isLessThanOrEqualTo(30_000);
            long delay = a.nextDelayMs();
            assertThat(delay).isBetween(0L, ceiling).isEqualTo(b.nextDelayMs());
            previousCeiling = ceiling;
        }
    }

    @Test
    void firstRetryComesWithinOneSecondAgainAfterAReset() {
        Backoff backoff = new Backoff(1_000, 30_000, HIGHEST);
        for (int i = 0; i < 10; i++) {
            backoff.nextDelayMs();
        }
        backoff.reset();
        assertThat(backoff.nextDelayMs()).isEqualTo(1_000);
    }

    @Test
    void jitterSpreadsDelaysOverTheWholeRange() {
        SplittableRandom random = new SplittableRandom(7);
        long below = 0;
        for (int i = 0; i < 1_000; i++) {
            Backoff backoff = new Backoff(1_000, 30_000, random);
            if (backoff.nextDelayMs() < 500) {
                below++;
            }
        }
        assertThat(below)
                .as("about half of the first delays fall in the first half second")
                .isBetween(400L, 600L);
    }

    @Test
    void refusesACapBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(1_000, 500, HIGHEST))
                .hasMessage("backoff needs 1 <= baseMs <= capMs, got baseMs=1000 capMs=500");
    }
}
