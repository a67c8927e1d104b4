package io.streamrepeater.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoakSummaryTest {

    private static final double MIB = 1 << 20;
    private static final DestinationOutcome CLEAN = new DestinationOutcome("d1", "LIVE", 1, 2, 2, 9000, 0, 0);

    private static SoakSummary summary(
            MemoryTrend heap, MemoryTrend direct, int leaks, List<DestinationOutcome> dests, List<String> stepErrors) {
        return new SoakSummary(
                Duration.ofMinutes(5),
                "sticky (channel default)",
                2,
                1,
                31,
                60,
                heap,
                direct,
                new MemoryTrend(4 * MIB, 4 * MIB),
                Map.of("input-lost", 1L),
                dests,
                leaks,
                "paranoid",
                stepErrors,
                "2 processors");
    }

    private static SoakSummary passing() {
        return summary(
                new MemoryTrend(40 * MIB, 44 * MIB), new MemoryTrend(8 * MIB, 8 * MIB), 0, List.of(CLEAN), List.of());
    }

    @Test
    void aCleanFlatSoakPasses() {
        assertThat(passing().failures()).isEmpty();
        assertThat(passing().markdown())
                .contains("Verdict: PASS")
                .contains("primary encoder killed (SIGKILL, started again 20 s later) x2")
                .contains("Command: `bench/soak.sh 5`")
                .contains("| switches during the soak | 1 {input-lost=1} |")
                .contains("| heap used after GC, MiB (first 20 % / last 20 %) | 40.0 / 44.0 (ratio 1.10) |")
                .contains("| d1 | LIVE | 1 | 2 | 2 | 9000 | 0 | 0 |");
    }

    @Test
    void eachConditionOfTheIssueFailsTheSoak() {
        DestinationOutcome decodeErrors = new DestinationOutcome("d2", "LIVE", 0, 1, 1, 9000, 3, 0);
        DestinationOutcome notLive = new DestinationOutcome("d3", "RETRYING", 5, 1, 1, 9000, 0, 0);
        SoakSummary bad = summary(
                new MemoryTrend(40 * MIB, 81 * MIB),
                new MemoryTrend(8 * MIB, 12.1 * MIB),
                2,
                List.of(CLEAN, decodeErrors, notLive),
                List.of("at 180 s STOP_DESTINATION: boom"));
        assertThat(bad.failures())
                .containsExactly(
                        "3 decode errors in the destinations' recordings",
                        "2 Netty leak reports in the server log",
                        "destination d3 was RETRYING, not LIVE, at the end",
                        "direct memory grew to 1.51x (bound 1.5x)",
                        "heap after GC grew to 2.03x (bound 2.0x)",
                        "plan step failed: at 180 s STOP_DESTINATION: boom");
        assertThat(bad.markdown()).contains("Verdict: FAIL").contains("- 2 Netty leak reports in the server log");
    }

    @Test
    void growthUpToTheBoundsPasses() {
        SoakSummary atBounds = summary(
                new MemoryTrend(40 * MIB, 80 * MIB), new MemoryTrend(8 * MIB, 12 * MIB), 0, List.of(CLEAN), List.of());
        assertThat(atBounds.failures()).isEmpty();
    }
}
