package io.streamrepeater.app.bench;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Whether a memory figure stays flat over a soak: the mean of the last fifth of the samples taken after
 * the warm-up against the mean of the first fifth. A {@link #ratio()} of 1.0 is flat; 1.5 is 50 % growth.
 *
 * @param firstMean mean of the first fifth of the samples after the warm-up, in the figure's unit
 * @param lastMean mean of the last fifth
 */
record MemoryTrend(double firstMean, double lastMean) {

    private static final double FIFTH = 0.2;

    /**
     * @param samples in the order they were taken
     * @param warmUpSeconds samples taken before this are left out (class loading, JIT, pools filling up)
     * @param figure which figure of a sample to judge
     * @return the means of the first and last fifth; each fifth has at least one sample
     * @throws IllegalArgumentException with fewer than two samples after the warm-up
     */
    static MemoryTrend of(List<MemorySample> samples, long warmUpSeconds, ToLongFunction<MemorySample> figure) {
        List<MemorySample> measured = samples.stream()
                .filter(s -> s.elapsedSeconds() >= warmUpSeconds)
                .toList();
        if (measured.size() < 2) {
            throw new IllegalArgumentException("need at least 2 samples after the " + warmUpSeconds
                    + " s warm-up to judge a trend, have " + measured.size() + " (run the soak longer)");
        }
        int fifth = Math.max(1, (int) Math.floor(measured.size() * FIFTH));
        return new MemoryTrend(
                mean(measured.subList(0, fifth), figure),
                mean(measured.subList(measured.size() - fifth, measured.size()), figure));
    }

    /** {@code lastMean / firstMean}; 1.0 when both are 0, infinite when only the first is 0. */
    double ratio() {
        if (firstMean == 0) {
            return lastMean == 0 ? 1.0 : Double.POSITIVE_INFINITY;
        }
        return lastMean / firstMean;
    }

    private static double mean(List<MemorySample> samples, ToLongFunction<MemorySample> figure) {
        return samples.stream().mapToLong(figure).average().orElseThrow();
    }
}
