package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.status.LatencySnapshot;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void quantilesOfAKnownDistributionWithinTheBucketResolution() {
        LatencyHistogram h = new LatencyHistogram();
        // 1..1000 µs, one sample each: p50 = 500 µs, p99 = 990 µs, max = 1000 µs.
        for (long micros = 1; micros <= 1000; micros++) {
            h.recordNanos(micros * 1_000);
        }
        LatencySnapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50Micros()).isBetween(500L, 516L);
        assertThat(s.p99Micros()).isBetween(990L, 1000L);
        assertThat(s.maxMicros()).isEqualTo(1000);
    }

    @Test
    void resetStartsAnEmptyPeriod() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNanos(5_000_000);
        h.reset();
        LatencySnapshot s = h.snapshot();
        assertThat(s.count()).isZero();
        assertThat(s.p99Micros()).isZero();
        assertThat(s.maxMicros()).isZero();
        h.recordNanos(-3); // a clock oddity counts as 0, not as a negative bucket
        assertThat(h.snapshot().count()).isEqualTo(1);
    }

    @Property(tries = 2000)
    void everyValueFallsInABucketWhoseBoundsHoldIt(@ForAll @LongRange(min = 0, max = (1L << 40) - 1) long micros) {
        int bucket = LatencyHistogram.bucketOf(micros);
        assertThat(LatencyHistogram.upperBound(bucket)).isGreaterThanOrEqualTo(micros);
        if (bucket > 0) {
            assertThat(LatencyHistogram.upperBound(bucket - 1)).isLessThan(micros);
        }
        // Resolution: the bucket is at most ~3 % wide.
        long lower = bucket == 0 ? 0 : LatencyHistogram.upperBound(bucket - 1) + 1;
        assertThat(LatencyHistogram.upperBound(bucket) - lower).isLessThanOrEqualTo(Math.max(0, micros / 32));
    }
}
