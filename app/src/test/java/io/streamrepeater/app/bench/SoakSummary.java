package io.streamrepeater.app.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one soak and the verdict on them. The soak fails when a destination decoded with errors,
 * Netty reported a leak, a destination was not LIVE at the end, direct memory grew by more than 50 %, heap
 * (after a full GC) more than doubled, or a step of the plan could not be carried out.
 *
 * @param failback the channel's failback policy and where it came from, e.g. {@code sticky (channel default)}
 * @param samples memory samples taken (the CSV's rows)
 * @param switchesByReason switches during the plan (not the first activation of the primary), by the
 *     {@code reason} label of {@code streamrepeater_channel_switches_total}
 * @param leakReports lines with {@code LEAK:} in the server's log
 * @param stepErrors what went wrong carrying out the plan, one line each
 * @param machine processors and CPU model, and the load average at the start and at the end
 */
record SoakSummary(
        Duration length,
        String failback,
        long primaryKills,
        long destinationRestarts,
        int samples,
        long warmUpSeconds,
        MemoryTrend heap,
        MemoryTrend direct,
        MemoryTrend nettyPooledDirect,
        Map<String, Long> switchesByReason,
        List<DestinationOutcome> destinations,
        int leakReports,
        String leakLevel,
        List<String> stepErrors,
        String machine) {

    /** Direct memory may grow by at most 50 % from the first fifth of the samples to the last. */
    static final double MAX_DIRECT_GROWTH = 1.5;
    /** Heap after a full GC is noisy; only a doubling fails the soak. */
    static final double MAX_HEAP_GROWTH = 2.0;

    SoakSummary {
        switchesByReason = Map.copyOf(switchesByReason);
        destinations = List.copyOf(destinations);
        stepErrors = List.copyOf(stepErrors);
    }

    long switches() {
        return switchesByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    long reconnects() {
        return destinations.stream().mapToLong(DestinationOutcome::reconnects).sum();
    }

    long decodeErrors() {
        return destinations.stream().mapToLong(DestinationOutcome::decodeErrors).sum();
    }

    /** Why the soak fails, one sentence each; empty when it passes. */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (decodeErrors() > 0) {
            failures.add(decodeErrors() + " decode errors in the destinations' recordings");
        }
        if (leakReports > 0) {
            failures.add(leakReports + " Netty leak reports in the server log");
        }
        for (DestinationOutcome d : destinations) {
            if (!d.liveAtEnd()) {
                failures.add("destination " + d.name() + " was " + d.stateAtEnd() + ", not LIVE, at the end");
            }
        }
        if (direct.ratio() > MAX_DIRECT_GROWTH) {
            failures.add("direct memory grew to " + ratio(direct.ratio()) + "x (bound " + MAX_DIRECT_GROWTH + "x)");
        }
        if (heap.ratio() > MAX_HEAP_GROWTH) {
            failures.add("heap after GC grew to " + ratio(heap.ratio()) + "x (bound " + MAX_HEAP_GROWTH + "x)");
        }
        for (String error : stepErrors) {
            failures.add("plan step failed: " + error);
        }
        return failures;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Soak: ").append(length.toMinutes()).append(" min\n\n");
        md.append("Machine: ").append(machine).append(".\n\n");
        md.append("One channel, primary + backup ffmpeg encoders looping the same file, ")
                .append(destinations.size())
                .append(" nginx-rtmp destinations; failback ")
                .append(failback)
                .append("; server in its own JVM with ")
                .append("leak detection ")
                .append(leakLevel)
                .append(". Disruptions: primary encoder killed (SIGKILL, ")
                .append("started again 20 s later) x")
                .append(primaryKills)
                .append("; a destination nginx stopped and ")
                .append("started again 5 s later, in turn, x")
                .append(destinationRestarts)
                .append(".\n\n");
        md.append("Command: `bench/soak.sh ")
                .append(length.toMinutes())
                .append("`. Memory over time: `memory.csv` ")
                .append("beside this file (a sample every 10 s, heap read after `jcmd PID GC.run`).\n\n");

        md.append("| figure | value |\n|---|---|\n");
        row(md, "switches during the soak", switches() + (switchesByReason.isEmpty() ? "" : " " + switchesByReason));
        row(md, "destination reconnects", Long.toString(reconnects()));
        row(md, "decode errors at the destinations", Long.toString(decodeErrors()));
        row(md, "Netty leak reports", Integer.toString(leakReports));
        row(md, "heap used after GC, MiB (first 20 % / last 20 %)", trend(heap));
        row(md, "direct buffers, MiB (first 20 % / last 20 %)", trend(direct));
        row(md, "Netty pooled direct, MiB (first 20 % / last 20 %)", trend(nettyPooledDirect));
        row(md, "memory samples (warm-up left out)", samples + " (" + warmUpSeconds + " s)");
        md.append('\n');

        md.append(
                "| destination | state at end | reconnects | publish sessions | recordings | video packets | decode errors | non-monotonic recordings |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (DestinationOutcome d : destinations) {
            md.append("| ")
                    .append(d.name())
                    .append(" | ")
                    .append(d.stateAtEnd())
                    .append(" | ")
                    .append(d.reconnects())
                    .append(" | ")
                    .append(d.publishSessions())
                    .append(" | ")
                    .append(d.recordings())
                    .append(" | ")
                    .append(d.videoPackets())
                    .append(" | ")
                    .append(d.decodeErrors())
                    .append(" | ")
                    .append(d.nonMonotonicRecordings())
                    .append(" |\n");
        }
        md.append('\n');
        List<String> failures = failures();
        md.append(failures.isEmpty() ? "Verdict: PASS\n" : "Verdict: FAIL\n");
        failures.forEach(f -> md.append("- ").append(f).append('\n'));
        return md.toString();
    }

    private static void row(StringBuilder md, String figure, String value) {
        md.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }

    private static String trend(MemoryTrend t) {
        return String.format(
                Locale.ROOT,
                "%.1f / %.1f (ratio %s)",
                t.firstMean() / (1 << 20),
                t.lastMean() / (1 << 20),
                ratio(t.ratio()));
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }
}
