package io.streamrepeater.status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a failover drill showed. Timing fields are -1 when no switch happened.
 *
 * @param failedInput the input the drill marked failed
 * @param switchedTo the input (or "slate") that took over, null when nothing could
 * @param detectionDelayMs from marking the input failed to the switch decision
 * @param switchMs from the decision to the first packet of the new input on the output
 * @param gapMs output media gap at the switch (timestamp of the new input's first packet minus the last one before)
 * @param destinationReconnects reconnects per destination during the drill (expected: all zero)
 * @param compatibility the inputs' compatibility when the drill ended
 * @param timeline the channel's timeline setting ({@code continuous} or {@code realtime}), which sets the gap allowed
 * @param destinations what each destination was sent during the drill, and whether it stayed decodable
 */
public record RehearsalReport(
        String channel,
        String failedInput,
        long durationMs,
        long startedAtEpochMs,
        String switchedTo,
        long detectionDelayMs,
        long switchMs,
        long gapMs,
        long repeatedMs,
        Map<String, Long> destinationReconnects,
        Compatibility compatibility,
        String timeline,
        List<DrillDelivery> destinations) {
    /**
     * The largest output gap a {@code continuous} timeline may show at a switch: one frame, plus the reorder delay
     * of an encoder with B-frames when the cut left its reorder window open (docs/failover.md), with room for 24 fps.
     */
    public static final long CONTINUOUS_GAP_LIMIT_MS = 250;

    public RehearsalReport {
        // in the destinations' order (as configured), which Map.copyOf would not keep
        destinationReconnects = Collections.unmodifiableMap(new LinkedHashMap<>(destinationReconnects));
        destinations = List.copyOf(destinations);
    }

    /** What each destination was sent; the reconnect counts are taken from them. */
    public RehearsalReport withDestinations(List<DrillDelivery> delivered) {
        Map<String, Long> reconnects = new LinkedHashMap<>();
        delivered.forEach(d -> reconnects.put(d.destination(), d.reconnects()));
        return new RehearsalReport(
                channel,
                failedInput,
                durationMs,
                startedAtEpochMs,
                switchedTo,
                detectionDelayMs,
                switchMs,
                gapMs,
                repeatedMs,
                reconnects,
                compatibility,
                timeline,
                delivered);
    }

    /** The gap the timeline setting allows at the switch. */
    public long gapLimitMs() {
        if ("realtime".equals(timeline)) {
            return Math.max(0, detectionDelayMs) + Math.max(0, switchMs) + CONTINUOUS_GAP_LIMIT_MS;
        }
        return CONTINUOUS_GAP_LIMIT_MS;
    }

    /**
     * Why the drill failed, one line each; empty when it passed. It fails when no input took over, a destination
     * reconnected or was sent something a decoder cannot play in order, the output gap (or a destination's largest
     * video step) is beyond what the timeline setting allows, or the inputs do not match.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (switchedTo == null) {
            problems.add("no input could take over from " + failedInput);
        } else if (gapMs > gapLimitMs()) {
            problems.add("output gap " + gapMs + " ms is more than the " + timeline + " timeline allows ("
                    + gapLimitMs() + " ms)");
        }
        destinationReconnects.forEach((d, n) -> {
            if (n != 0) {
                problems.add("destination " + d + " reconnected " + n + " time(s)");
            }
        });
        for (DrillDelivery d : destinations) {
            if (!d.decodable()) {
                problems.add("destination " + d.destination() + " was sent what a decoder cannot play in order: "
                        + d.problem());
            }
            if (switchedTo != null && d.maxVideoDtsStepMs() > gapLimitMs() + 100) {
                problems.add("destination " + d.destination() + " saw a video timestamp step of "
                        + d.maxVideoDtsStepMs() + " ms");
            }
        }
        if (compatibility != null && !compatibility.inputsMatch()) {
            problems.add("inputs do not match: " + String.join("; ", compatibility.mismatches()));
        }
        return problems;
    }

    /** True when the output switched, stayed decodable at every destination, within the gap allowed, no destination
     * reconnected, and the inputs match. */
    public boolean passed() {
        return problems().isEmpty();
    }
}
