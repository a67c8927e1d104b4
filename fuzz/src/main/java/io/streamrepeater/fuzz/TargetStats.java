package io.streamrepeater.fuzz;

/** What one target did during a run. Updated by the worker thread, except hangs (the watchdog). */
final class TargetStats {
    final String target;
    long iterations;
    long accepted;
    long refused;
    long crashes;
    volatile long hangs;
    long leaks;
    long nanos;

    TargetStats(String target) {
        this.target = target;
    }

    String line() {
        return String.format(
                "%-10s iterations=%-9d accepted=%-9d refused=%-9d crashes=%d hangs=%d leaks=%d  (%.1f µs/input)",
                target,
                iterations,
                accepted,
                refused,
                crashes,
                hangs,
                leaks,
                iterations == 0 ? 0.0 : nanos / 1000.0 / iterations);
    }
}
