package io.streamrepeater.control.config;

import java.util.Objects;

/**
 * The failover policy of a channel (DESIGN §3).
 *
 * @param inputLossMs an input with no media message for this long is down (default 1000, minimum 100)
 * @param failback what happens when a higher-priority input is healthy again (default sticky)
 * @param clearMs how long an input must send media continuously to count as healthy again (default 5000)
 * @param start where a newly active input starts (default next-keyframe)
 * @param timeline how output timestamps continue across a switch (default continuous)
 */
public record FailoverConfig(int inputLossMs, Failback failback, int clearMs, StartMode start, Timeline timeline) {
    public static final int DEFAULT_INPUT_LOSS_MS = 1000;
    public static final int MIN_INPUT_LOSS_MS = 100;
    public static final int DEFAULT_CLEAR_MS = 5000;
    public static final Failback DEFAULT_FAILBACK = Failback.STICKY;
    public static final StartMode DEFAULT_START = StartMode.NEXT_KEYFRAME;
    public static final Timeline DEFAULT_TIMELINE = Timeline.CONTINUOUS;

    public FailoverConfig {
        ConfigRules.requireAtLeast("inputLossMs", inputLossMs, MIN_INPUT_LOSS_MS);
        ConfigRules.requireAtLeast("clearMs", clearMs, 0);
        Objects.requireNonNull(failback, "failback");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(timeline, "timeline");
    }

    /** @return 1000 ms input loss, sticky failback, 5000 ms clear, next-keyframe start, continuous timeline */
    public static FailoverConfig defaults() {
        return new FailoverConfig(DEFAULT_INPUT_LOSS_MS, DEFAULT_FAILBACK, DEFAULT_CLEAR_MS, DEFAULT_START,
                DEFAULT_TIMELINE);
    }
}
