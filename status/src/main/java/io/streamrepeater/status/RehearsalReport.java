package io.streamrepeater.status;

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
 */
public record RehearsalReport(String channel, String failedInput, long durationMs, long startedAtEpochMs,
                              String switchedTo, long detectionDelayMs, long switchMs, long gapMs, long repeatedMs,
                              Map<String, Long> destinationReconnects, Compatibility compatibility) {
    public RehearsalReport {
        destinationReconnects = Map.copyOf(destinationReconnects);
    }

    public RehearsalReport withDestinationReconnects(Map<String, Long> reconnects) {
        return new RehearsalReport(channel, failedInput, durationMs, startedAtEpochMs, switchedTo, detectionDelayMs, switchMs,
                gapMs, repeatedMs, reconnects, compatibility);
    }

    /** True when the output switched and no destination reconnected. */
    public boolean passed() {
        return switchedTo != null && destinationReconnects.values().stream().allMatch(n -> n == 0);
    }
}
