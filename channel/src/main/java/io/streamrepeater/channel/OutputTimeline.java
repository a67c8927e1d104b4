package io.streamrepeater.channel;

import io.streamrepeater.media.MediaKind;

/**
 * Maps input timestamps onto the channel's output timeline. Each time a feed (re)starts — a new
 * publish or a switch to another input — a new segment begins with its own offset; within a segment
 * the input's own spacing is kept, the same offset for audio and video (so A/V sync carries over).
 * Output timestamps never go backwards per media kind.
 */
final class OutputTimeline {
    static final long DEFAULT_FRAME_MS = 33;

    private long offset;
    private boolean segmentOpen;
    private long lastVideoDts = Long.MIN_VALUE;
    private long lastAudioDts = Long.MIN_VALUE;
    private long lastDts = -1;
    private long lastOutputAtMs = -1;
    private long frameMs = DEFAULT_FRAME_MS;
    /** True until the first video packet of a segment: the step into a segment is not a frame duration. */
    private boolean freshSegment;

    /**
     * Starts a segment whose first packet has input timestamp {@code inputDts}.
     *
     * @param nowMs wall-clock time of the switch
     * @param contentAgeMs how far behind live the first packet already is (GOP-cache start), else 0
     * @return the output timestamp the first packet will get
     */
    long beginSegment(long inputDts, FailoverPolicy.Timeline mode, long nowMs, long contentAgeMs) {
        long target;
        if (lastDts < 0) {
            target = 0;
        } else if (mode == FailoverPolicy.Timeline.CONTINUOUS || lastOutputAtMs < 0) {
            target = lastDts + frameMs;
        } else {
            long outage = nowMs - lastOutputAtMs;
            target = lastDts + Math.max(frameMs, outage - contentAgeMs);
        }
        offset = target - inputDts;
        segmentOpen = true;
        freshSegment = true;
        return target;
    }

    boolean segmentOpen() {
        return segmentOpen;
    }

    void endSegment() {
        segmentOpen = false;
    }

    /** Output timestamp for an input packet of the current segment. */
    long map(MediaKind kind, long inputDts, long nowMs) {
        long out = Math.max(0, inputDts + offset);
        if (kind == MediaKind.VIDEO) {
            if (!freshSegment && lastVideoDts != Long.MIN_VALUE && out > lastVideoDts && out - lastVideoDts < 1000) {
                frameMs = out - lastVideoDts;
            }
            freshSegment = false;
            if (lastVideoDts != Long.MIN_VALUE) {
                out = Math.max(out, lastVideoDts);
            }
            lastVideoDts = out;
        } else if (kind == MediaKind.AUDIO) {
            if (lastAudioDts != Long.MIN_VALUE) {
                out = Math.max(out, lastAudioDts);
            }
            lastAudioDts = out;
        }
        lastDts = Math.max(lastDts, out);
        lastOutputAtMs = nowMs;
        return out;
    }

    /** The latest output timestamp, or 0 before anything was output. */
    long lastDts() {
        return Math.max(lastDts, 0);
    }

    boolean started() {
        return lastDts >= 0;
    }
}
