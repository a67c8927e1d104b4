package io.streamrepeater.channel;

import io.streamrepeater.media.MediaKind;

/**
 * Maps input timestamps onto the channel's output timeline. Each time a feed (re)starts — a new
 * publish or a switch to another input — a new segment begins: its first packet lands one frame
 * after the last output packet, so the destinations see one continuous, monotonic timeline whatever
 * the encoders' own clocks say. Within a segment the input's own spacing is kept.
 */
final class OutputTimeline {
    static final long DEFAULT_FRAME_MS = 33;

    private long offset;
    private boolean segmentOpen;
    private long lastVideoDts = Long.MIN_VALUE;
    private long lastAudioDts = Long.MIN_VALUE;
    private long lastDts = -1;
    private long frameMs = DEFAULT_FRAME_MS;

    /** Starts a segment whose first packet has input timestamp {@code inputDts}. */
    void beginSegment(long inputDts) {
        long target = lastDts < 0 ? 0 : lastDts + frameMs;
        offset = target - inputDts;
        segmentOpen = true;
    }

    boolean segmentOpen() {
        return segmentOpen;
    }

    void endSegment() {
        segmentOpen = false;
    }

    /** Output timestamp for an input packet of the current segment; never earlier than the last of its kind. */
    long map(MediaKind kind, long inputDts) {
        long out = inputDts + offset;
        if (kind == MediaKind.VIDEO) {
            if (lastVideoDts != Long.MIN_VALUE && out > lastVideoDts && out - lastVideoDts < 1000) {
                frameMs = out - lastVideoDts;
            }
            out = Math.max(out, lastVideoDts == Long.MIN_VALUE ? out : lastVideoDts);
            lastVideoDts = out;
        } else if (kind == MediaKind.AUDIO) {
            out = Math.max(out, lastAudioDts == Long.MIN_VALUE ? out : lastAudioDts);
            lastAudioDts = out;
        } else {
            out = Math.max(out, 0);
        }
        out = Math.max(out, 0);
        lastDts = Math.max(lastDts, out);
        return out;
    }

    /** The latest output timestamp, or 0 before anything was output. */
    long lastDts() {
        return Math.max(lastDts, 0);
    }

    long frameMs() {
        return frameMs;
    }
}
