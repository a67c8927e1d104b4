package io.streamrepeater.channel;

import io.streamrepeater.media.MediaKind;
import io.streamrepeater.status.Timeline;

/**
 * Maps input timestamps onto the channel's output timeline. Each time a feed (re)starts — a new
 * publish or a switch to another input — a new segment begins with its own offset; within a segment
 * the input's own spacing is kept, the same offset for audio and video (so A/V sync carries over).
 * Output timestamps never go backwards per media kind.
 *
 * <p>Presentation order is part of the timeline (DESIGN.md §3, docs/failover.md): an input with B-frames that
 * is cut mid-stream has already sent frames presented after frames that never came, so a new segment starts
 * where its first keyframe is presented one frame after the latest presentation time the destinations got, not
 * only after the latest decoding time. And it starts on the frame grid of what was sent before (see
 * {@link FrameCadence}), so that decoders which count frames see one frame per slot.
 */
final class OutputTimeline {
    static final long DEFAULT_FRAME_MS = 33;

    private long offset;
    private boolean segmentOpen;
    private long lastVideoDts = Long.MIN_VALUE;
    private long lastAudioDts = Long.MIN_VALUE;
    /** The latest presentation time of any video frame sent (output time). */
    private long maxVideoPts = Long.MIN_VALUE;

    private long lastDts = -1;
    private long lastOutputAtMs = -1;
    private long frameMs = DEFAULT_FRAME_MS;
    /** True until the first video packet of a segment: the step into a segment is not a frame duration. */
    private boolean freshSegment;
    /** Input presentation time of the segment's first keyframe: frames presented before it are leading pictures. */
    private long segmentStartPts = Long.MIN_VALUE;
    /** True in a segment that started on audio, until its first video keyframe. */
    private boolean awaitingVideoKeyframe;
    /** The frame grid of what was sent: the output's own video frames. */
    private final FrameCadence grid = new FrameCadence();
    /** The grid the last segment was placed on (duration and phase in ms), NaN when unknown. */
    private double lastGridFrameMs = Double.NaN;

    private double lastGridPhaseMs = Double.NaN;

    /**
     * Starts a segment whose first packet has input timestamp {@code inputDts}.
     *
     * @param nowMs wall-clock time of the switch
     * @param contentAgeMs how far behind live the first packet already is (GOP-cache start), else 0
     * @return the output timestamp the first packet will get
     */
    long beginSegment(long inputDts, Timeline mode, long nowMs, long contentAgeMs) {
        return beginSegment(inputDts, inputDts, true, Double.NaN, Double.NaN, mode, nowMs, contentAgeMs);
    }

    /**
     * Starts a segment whose first packet (a video keyframe, or audio for an audio-only input) has input timestamps
     * {@code inputDts} and {@code inputPts}.
     * Its output decoding time is at least the timeline setting's (one frame after the last output, or the outage
     * later), and its output presentation time at least one frame after every video frame already presented; when
     * the input's frame grid is known ({@code inputFrameMs}, {@code inputPhaseMs}, from {@link FrameCadence}) and
     * matches the output's, it is moved up to the next slot of the output's grid (less than one frame later).
     *
     * @param inputFrameMs the input's frame duration, NaN when unknown
     * @param inputPhaseMs the input's presentation phase on that grid, NaN when unknown
     * @return the output decoding timestamp the first packet will get
     */
    long beginSegment(
            long inputDts,
            long inputPts,
            boolean videoKeyframe,
            double inputFrameMs,
            double inputPhaseMs,
            Timeline mode,
            long nowMs,
            long contentAgeMs) {
        long target;
        if (lastDts < 0) {
            target = 0;
        } else if (mode == Timeline.CONTINUOUS || lastOutputAtMs < 0) {
            target = lastDts + frameMs;
        } else {
            long outage = nowMs - lastOutputAtMs;
            target = lastDts + Math.max(frameMs, outage - contentAgeMs);
        }
        long composition = Math.max(0, inputPts - inputDts);
        double gridFrameMs = grid.frameMs();
        double gridPhaseMs = gridFrameMs > 0 ? grid.phaseMs(gridFrameMs) : Double.NaN;
        if (!(gridFrameMs > 0) && lastGridFrameMs > 0) {
            // too few frames since a jump of the output clock (a realtime outage) to measure the grid again: it is
            // still the one the last segment was placed on, since that jump was a whole number of frames
            gridFrameMs = lastGridFrameMs;
            gridPhaseMs = lastGridPhaseMs;
        }
        if (!(inputFrameMs > 0) && gridFrameMs > 0) {
            // an input that has just connected (its first frame is a keyframe): take it to run at the output's rate,
            // as encoders set up alike do, with its phase from this frame alone (within half a millisecond)
            inputFrameMs = gridFrameMs;
            inputPhaseMs = FrameCadence.mod(inputPts, gridFrameMs);
        }
        boolean onGrid = gridFrameMs > 0
                && inputFrameMs > 0
                && !Double.isNaN(inputPhaseMs)
                && Math.abs(gridFrameMs - inputFrameMs) < 0.01;
        if (maxVideoPts != Long.MIN_VALUE) {
            // the first frame presented after the switch comes one frame after the last one presented before
            long step = onGrid ? (long) Math.floor(gridFrameMs) : frameMs;
            target = Math.max(target, maxVideoPts + step - composition);
        }
        if (onGrid) {
            // move up (less than a frame) to the next slot of the grid the destinations' frames are on
            double phaseNow = FrameCadence.mod(inputPhaseMs + target - inputDts, gridFrameMs);
            double later = FrameCadence.mod(gridPhaseMs - phaseNow, gridFrameMs);
            if (later < gridFrameMs - 1) {
                target += Math.round(later);
            }
            lastGridFrameMs = gridFrameMs;
            lastGridPhaseMs = gridPhaseMs;
        } else if (inputFrameMs > 0 && !Double.isNaN(inputPhaseMs)) {
            lastGridFrameMs = inputFrameMs; // the output is on this input's grid from now on
            lastGridPhaseMs = FrameCadence.mod(inputPhaseMs + target - inputDts, inputFrameMs);
        } else {
            lastGridFrameMs = Double.NaN;
            lastGridPhaseMs = Double.NaN;
        }
        offset = target - inputDts;
        segmentOpen = true;
        freshSegment = true;
        segmentStartPts = videoKeyframe ? inputPts : Long.MIN_VALUE;
        awaitingVideoKeyframe = !videoKeyframe;
        return target;
    }

    /**
     * The frame duration of what was sent (the output's measured grid, else the one the last segment was placed on),
     * NaN when unknown. A new input whose own measurement is within 0.2% of it (a few frames cannot tell 30 from
     * 29.97 fps) is placed on this grid.
     */
    double gridFrameMs() {
        double measured = grid.frameMs();
        return measured > 0 ? measured : lastGridFrameMs;
    }

    boolean segmentOpen() {
        return segmentOpen;
    }

    void endSegment() {
        segmentOpen = false;
    }

    /**
     * Whether a video frame of the open segment may be sent: not before the segment's first video keyframe (a
     * segment that started on audio, an audio-only input that turned out to carry video), and not a leading
     * picture, presented before that keyframe, which refers to frames of the GOP before that the destinations
     * never got (open GOPs).
     */
    boolean admitsVideo(boolean keyframe, long inputPts) {
        if (awaitingVideoKeyframe) {
            if (!keyframe) {
                return false;
            }
            awaitingVideoKeyframe = false;
            segmentStartPts = inputPts;
            return true;
        }
        return segmentStartPts == Long.MIN_VALUE || inputPts >= segmentStartPts;
    }

    /**
     * Whether an audio frame of the open segment may be sent: not when it would land at or before the last audio
     * frame sent. That happens at a switch, when the new input's audio from just before its keyframe arrives after it
     * (transport streams often deliver audio late): clamping it to the last timestamp would give two frames one
     * timestamp, which decoders and muxers reject, so it is dropped; the audio it overlaps was already heard.
     */
    boolean admitsAudio(long inputDts) {
        return lastAudioDts == Long.MIN_VALUE || Math.max(0, inputDts + offset) > lastAudioDts;
    }

    /** Output timestamp for an input packet of the current segment. */
    long map(MediaKind kind, long inputDts, long nowMs) {
        return map(kind, inputDts, 0, nowMs);
    }

    /**
     * Output decoding timestamp for an input packet of the current segment.
     *
     * @param compositionMs the packet's presentation time minus its decoding time (video with B-frames), else 0
     */
    long map(MediaKind kind, long inputDts, long compositionMs, long nowMs) {
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
            maxVideoPts = Math.max(maxVideoPts, out + compositionMs);
            grid.add(out, out + compositionMs);
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

    /** The latest presentation time of a video frame sent, or -1 before any. */
    long lastPresentedVideoPts() {
        return maxVideoPts == Long.MIN_VALUE ? -1 : maxVideoPts;
    }

    boolean started() {
        return lastDts >= 0;
    }
}
