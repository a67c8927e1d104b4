package io.streamrepeater.bench.load;

import java.util.Locale;

/**
 * The figures of one relay on one workload.
 *
 * @param cpuSeconds relay CPU (user + system) over the window
 * @param windowSeconds the measured window's wall-clock length
 * @param peakRssBytes the relay's VmHWM at the end of the run
 * @param missingFrames video frames missing in every destination's recording, summed
 * @param selfReportedDrops frames the relay says it dropped, -1 when it does not say
 * @param latency p50/p99/max in µs from the relay's own histogram, or null
 * @param switchReport the switch-under-load figures, or null
 * @param startupCpuSeconds relay CPU from its start until media reached every destination
 * @param warmupCurve CPU ms per stream-second per destination in each warm-up slice, from when media reached every
 *     destination
 */
record RunResult(
        String relay,
        Workload workload,
        int rep,
        double cpuSeconds,
        double windowSeconds,
        long peakRssBytes,
        int recordings,
        long videoFrames,
        long missingFrames,
        long selfReportedDrops,
        long[] latency,
        String switchReport,
        double startupCpuSeconds,
        double[] warmupCurve) {
    private static final int FIRST_SECONDS = 60;

    /** CPU milliseconds per second of one stream delivered to one destination. */
    double cpuMsPerStreamSecond() {
        return cpuSeconds * 1000 / (windowSeconds * workload.streams());
    }

    /** Share of one core used by the relay over the window. */
    double corePercent() {
        return cpuSeconds * 100 / windowSeconds;
    }

    String row() {
        return String.format(
                Locale.ROOT,
                "| %s | %s | %d | %.1f %% | %.3f | %d MiB | %d/%d | %d | %s | %s |",
                workload.name(),
                relay,
                rep,
                corePercent(),
                cpuMsPerStreamSecond(),
                peakRssBytes >> 20,
                recordings,
                workload.streams(),
                missingFrames,
                selfReportedDrops < 0 ? "—" : Long.toString(selfReportedDrops),
                latency == null
                        ? "—"
                        : String.format(
                                Locale.ROOT,
                                "%.2f / %.2f / %.1f",
                                latency[0] / 1000.0,
                                latency[1] / 1000.0,
                                latency[2] / 1000.0));
    }

    /**
     * CPU ms per stream-second per destination over the first 60 s after media reached every destination (the mean of
     * the warm-up slices in them), or NaN when the warm-up was shorter.
     */
    double firstMinuteMsPerStreamSecond() {
        int slices = FIRST_SECONDS / LoadBenchmark.WARMUP_SLICE_SECONDS;
        if (warmupCurve.length < slices) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < slices; i++) {
            sum += warmupCurve[i];
        }
        return sum / slices;
    }

    /** The warm-up curve of this run and its first minute against the measured window. */
    String warmupLine() {
        double first = firstMinuteMsPerStreamSecond();
        return String.format(
                Locale.ROOT,
                "- %s %s rep %d: start-up %.2f s CPU; %s; first 60 s %s",
                workload.name(),
                relay,
                rep,
                startupCpuSeconds,
                describeCurve(warmupCurve),
                Double.isNaN(first)
                        ? "not measured (warm-up under 60 s)"
                        : String.format(
                                Locale.ROOT,
                                "%.3f ms = %.2f× the window's %.3f",
                                first,
                                first / cpuMsPerStreamSecond(),
                                cpuMsPerStreamSecond()));
    }

    static String describeCurve(double[] curve) {
        StringBuilder out = new StringBuilder();
        for (double v : curve) {
            out.append(out.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return out.length() == 0 ? "(no slice)" : out.toString();
    }

    static String header() {
        return "| workload | relay | rep | CPU (% of a core) | CPU ms per stream-second per destination | peak RSS"
                + " | recordings | frames missing at destinations | drops reported by the relay"
                + " | added latency p50 / p99 / max (ms) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|";
    }
}
