package io.streamrepeater.control.config;

import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.util.Objects;

/**
 * The failover policy of a channel (DESIGN §3).
 *
 * @param inputLossMs an input with no media message for this long is down (default 1000, minimum 100)
 * @param failback what happens when a higher-priority input is healthy again (default sticky)
 * @param clearMs how long an input must send media continuously to count as healthy again (default 5000)
 * @param start where a newly active input starts (default next-keyframe)
 * @param timeline how output timestamps continue across a switch (default continuous)
 * @param lowBitrate the optional low-bitrate trigger; null: off (the default)
 */
public record FailoverConfig(
        int inputLossMs, Failback failback, int clearMs, StartMode start, Timeline timeline, LowBitrate lowBitrate) {
    public static final int DEFAULT_INPUT_LOSS_MS = 1000;
    public static final int MIN_INPUT_LOSS_MS = 100;
    public static final int DEFAULT_CLEAR_MS = 5000;
    public static final Failback DEFAULT_FAILBACK = Failback.STICKY;
    public static final StartMode DEFAULT_START = StartMode.NEXT_KEYFRAME;
    public static final Timeline DEFAULT_TIMELINE = Timeline.CONTINUOUS;

    /** A policy without the low-bitrate trigger. */
    public FailoverConfig(int inputLossMs, Failback failback, int clearMs, StartMode start, Timeline timeline) {
        this(inputLossMs, failback, clearMs, start, timeline, null);
    }

    /**
     * {@code failover.lowBitrate}: an input whose media bitrate stays below {@code belowKbps} for {@code forMs}
     * counts as down (a bonded-cellular unit degrades before it dies).
     *
     * @param belowKbps the floor in kb/s, 1..1000000
     * @param forMs how long the bitrate must stay below it, 100..600000
     */
    public record LowBitrate(int belowKbps, int forMs) {
        public static final int MIN_FOR_MS = 100;
        public static final int MAX_FOR_MS = 600_000;
        public static final int MAX_BELOW_KBPS = 1_000_000;

        public LowBitrate {
            ConfigRules.requireBetween("belowKbps", belowKbps, 1, MAX_BELOW_KBPS);
            ConfigRules.requireBetween("forMs", forMs, MIN_FOR_MS, MAX_FOR_MS);
        }
    }

    public FailoverConfig {
        ConfigRules.requireAtLeast("inputLossMs", inputLossMs, MIN_INPUT_LOSS_MS);
        ConfigRules.requireAtLeast("clearMs", clearMs, 0);
        Objects.requireNonNull(failback, "failback");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(timeline, "timeline");
    }

    /** @return 1000 ms input loss, sticky failback, 5000 ms clear, next-keyframe start, continuous timeline */
    public static FailoverConfig defaults() {
        return new FailoverConfig(
                DEFAULT_INPUT_LOSS_MS, DEFAULT_FAILBACK, DEFAULT_CLEAR_MS, DEFAULT_START, DEFAULT_TIMELINE);
    }
}
