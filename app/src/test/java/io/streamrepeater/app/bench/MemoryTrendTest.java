package io.streamrepeater.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryTrendTest {

    private static List<MemorySample> heapSeries(long... heapPerTenSeconds) {
        List<MemorySample> samples = new ArrayList<>();
        for (int i = 0; i < heapPerTenSeconds.length; i++) {
            samples.add(new MemorySample(i * 10L, heapPerTenSeconds[i], 0, 0, "primary", 4));
        }
        return samples;
    }

    @Test
    void comparesTheLastFifthWithTheFirstFifthAfterTheWarmUp() {
        // t=0 and t=10 are warm-up; 10 samples remain: fifths of 2
        List<MemorySample> samples = heapSeries(999, 999, 100, 100, 110, 120, 130, 140, 150, 160, 190, 210);
        MemoryTrend trend = MemoryTrend.of(samples, 20, MemorySample::heapUsedBytes);
        assertThat(trend.firstMean()).isEqualTo(100.0);
        assertThat(trend.lastMean()).isEqualTo(200.0);
        assertThat(trend.ratio()).isEqualTo(2.0);
    }

    @Test
    void aFlatSeriesHasRatioOne() {
        assertThat(MemoryTrend.of(heapSeries(50, 50, 50, 50, 50), 0, MemorySample::heapUsedBytes)
                        .ratio())
                .isEqualTo(1.0);
    }

    @Test
    void fewSamplesStillMakeOneSampleFifths() {
        MemoryTrend trend = MemoryTrend.of(heapSeries(10, 30), 0, MemorySample::heapUsedBytes);
        assertThat(trend.ratio()).isEqualTo(3.0);
    }

    @Test
    void growthFromZeroIsInfiniteAndZeroToZeroIsFlat() {
        assertThat(MemoryTrend.of(heapSeries(0, 5), 0, MemorySample::heapUsedBytes)
                        .ratio())
                .isInfinite();
        assertThat(MemoryTrend.of(heapSeries(0, 0), 0, MemorySample::heapUsedBytes)
                        .ratio())
                .isEqualTo(1.0);
    }

    @Test
    void fewerThanTwoSamplesAfterTheWarmUpCannotBeJudged() {
        assertThatThrownBy(() -> MemoryTrend.of(heapSeries(1, 2, 3), 20, MemorySample::heapUsedBytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warm-up");
    }
}
