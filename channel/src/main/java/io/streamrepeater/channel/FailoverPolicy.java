package io.streamrepeater.channel;

import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.util.Objects;

/**
 * How a channel detects a failed input and moves between inputs (DESIGN.md §3).
 *
 * @param inputLossMs no media for this long while connected marks an input down (minimum 100)
 * @param failback what happens when a higher-priority input becomes healthy again
 * @param clearMs continuous media for this long, with a keyframe, makes an input healthy again
 * @param start how the new input starts after a switch
 * @param timeline how output timestamps bridge the outage
 * @param lowBitrate an input whose media bitrate stays below a floor counts as down; null: off
 */
public record FailoverPolicy(
        long inputLossMs, Failback failback, long clearMs, StartMode start, Timeline timeline, LowBitrate lowBitrate) {
    public static final long MIN_INPUT_LOSS_MS = 100;

    /** A policy without the low-bitrate trigger. */
    public FailoverPolicy(long inputLossMs, Failback failback, long clearMs, StartMode start, Timeline timeline) {
        this(inputLossMs, failback, clearMs, start, timeline, null);
    }

    /**
     * The low-bitrate trigger: an input whose media bitrate (audio and video payload, measured over the last
     * second) stays below {@code belowKbps} for {@code forMs} counts as down, as a bonded-cellular unit degrades
     * before it drops.
     */
    public record LowBitrate(long belowKbps, long forMs) {
        public LowBitrate {
            if (belowKbps < 1) {
                throw new IllegalArgumentException("lowBitrate.belowKbps must be at least 1, got " + belowKbps);
            }
            if (forMs < MIN_INPUT_LOSS_MS) {
                throw new IllegalArgumentException(
                        "lowBitrate.forMs must be at least " + MIN_INPUT_LOSS_MS + ", got " + forMs);
            }
        }
    }

    public FailoverPolicy {
        if (inputLossMs < MIN_INPUT_LOSS_MS) {
            throw new IllegalArgumentException(
                    "inputLossMs must be at least " + MIN_INPUT_LOSS_MS + ", got " + inputLossMs);
        }
        if (clearMs < 0) {
            throw new IllegalArgumentException("clearMs must not be negative, got " + clearMs);
        }
        Objects.requireNonNull(failback, "failback");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(timeline, "timeline");
    }

    /** The defaults of the configuration file: 1000 ms loss, sticky, 5000 ms clear, next keyframe, continuous. */
    public static FailoverPolicy defaults() {
        return new FailoverPolicy(1000, Failback.STICKY, 5000, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
    }
}
