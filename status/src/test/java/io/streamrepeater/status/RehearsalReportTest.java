package io.streamrepeater.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a failover drill passes: a switch, no reconnect, decodable destinations, a gap the timeline allows. */
class RehearsalReportTest {
    private static final Compatibility MATCH = new Compatibility(true, List.of(), List.of());

    private static RehearsalReport report(
            String switchedTo,
            long gapMs,
            String timeline,
            Compatibility compatibility,
            DrillDelivery... destinations) {
        return new RehearsalReport(
                        "show",
                        "primary",
                        3000,
                        0,
                        switchedTo,
                        500,
                        300,
                        gapMs,
                        0,
                        Map.of(),
                        compatibility,
                        timeline,
                        List.of())
                .withDestinations(List.of(destinations));
    }

    private static DrillDelivery clean(String name) {
        return new DrillDelivery(name, 1_000_000, 90, 130, 2000, 5000, 67, 0, true, null);
    }

    @Test
    void aCleanDrillPasses() {
        RehearsalReport r = report("backup", 67, "continuous", MATCH, clean("a"), clean("b"));
        assertThat(r.problems()).isEmpty();
        assertThat(r.passed()).isTrue();
        assertThat(r.destinationReconnects()).containsExactly(Map.entry("a", 0L), Map.entry("b", 0L));
    }

    @Test
    void everyReasonToFailIsNamed() {
        DrillDelivery reconnected = new DrillDelivery("a", 1, 90, 130, 2000, 5000, 67, 2, true, null);
        DrillDelivery undecodable = new DrillDelivery(
                "b",
                1,
                90,
                130,
                2000,
                5000,
                67,
                0,
                false,
                "keyframe presented at 134 ms, not after 166 ms already presented");
        DrillDelivery jumped = new DrillDelivery("c", 1, 90, 130, 2000, 5000, 900, 0, true, null);
        RehearsalReport r = report(
                "backup",
                300,
                "continuous",
                new Compatibility(false, List.of("resolution: primary 640x360, backup 320x180"), List.of()),
                reconnected,
                undecodable,
                jumped);
        assertThat(r.problems())
                .containsExactly(
                        "output gap 300 ms is more than the continuous timeline allows (250 ms)",
                        "destination a reconnected 2 time(s)",
                        "destination b was sent what a decoder cannot play in order: keyframe presented at 134 ms, not after"
                                + " 166 ms already presented",
                        "destination c saw a video timestamp step of 900 ms",
                        "inputs do not match: resolution: primary 640x360, backup 320x180");
        assertThat(report(null, -1, "continuous", MATCH).problems())
                .containsExactly("no input could take over from primary");
    }

    @Test
    void theRealtimeTimelineAllowsTheOutage() {
        // detection 500 ms + switch 300 ms: the realtime timeline steps by the outage
        assertThat(report("backup", 800, "realtime", MATCH, clean("a")).problems())
                .isEmpty();
        assertThat(report("backup", 800, "continuous", MATCH, clean("a")).problems())
                .hasSize(1);
    }
}
