package io.streamrepeater.channel;

/**
 * The frame grid of an input's video: its frame duration and where on that grid its frames are presented
 * (the phase), learnt from the last {@value #WINDOW} video frames.
 *
 * <p>Why a switch needs it: FLV carries millisecond timestamps, so a 30 fps encoder stamps its frames 0, 33, 67,
 * 100… A decoder that turns them back into frame numbers (ffmpeg's muxers, a platform's transcoder) rounds each
 * one to the nearest 1/30 s; that works only while the frames stay in phase with the grid. An output offset of
 * an arbitrary number of milliseconds (50 ms, say) puts two frames in one slot every 100 ms, and every decode of
 * the recording reports them ("non monotonically increasing dts to muxer"). So a new segment is placed a whole
 * number of frames after the grid of what the destinations already got.
 *
 * <p>Used on the channel's event loop only.
 */
final class FrameCadence {
    static final int WINDOW = 128;
    private static final int MIN_FRAMES = 8;
    /** A step of more frames than this is a jump, not dropped frames. */
    private static final double JUMP_FRAMES = 2.5;
    /** Frame rates encoders use, as exact frame durations in ms; a measured duration within 1% snaps to one. */
    private static final double[] STANDARD_FRAME_MS = {
        1001.0 / 24, 1000.0 / 24, 1000.0 / 25, 1001.0 / 30, 1000.0 / 30, 1000.0 / 48, 1000.0 / 50, 1001.0 / 60,
        1000.0 / 60, 1000.0 / 100, 1001.0 / 120, 1000.0 / 120, 1000.0 / 15, 1000.0 / 12.5, 1000.0 / 10, 1000.0 / 20,
    };

    private final long[] dts = new long[WINDOW];
    private final long[] pts = new long[WINDOW];
    private int count;
    private int next;

    /**
     * Records a video frame (not a sequence header) in decode order. A step back, or forward by more than a second
     * or by more than {@value #JUMP_FRAMES} frames of the rate measured so far, starts the measurement again: the
     * encoder restarted its clock, or (on the output's own grid) the timeline jumped over an outage in realtime mode.
     * A mean taken across such a jump is no frame duration (a 750 ms jump in 128 frames of 30 fps reads as 39 ms).
     */
    void add(long frameDts, long framePts) {
        if (count > 0) {
            long previous = dts[(next + WINDOW - 1) % WINDOW];
            long step = frameDts - previous;
            double frameMs = count >= MIN_FRAMES ? frameMs() : Double.NaN;
            if (step <= 0 || step > 1000 || (frameMs > 0 && step > JUMP_FRAMES * frameMs)) {
                reset(); // the old grid says nothing about the frames after this one
            }
        }
        dts[next] = frameDts;
        pts[next] = framePts;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
    }

    void reset() {
        count = 0;
        next = 0;
    }

    /** The frame duration in ms (exact for the usual rates), or NaN before enough frames were seen. */
    double frameMs() {
        return frameMs(0);
    }

    /**
     * The frame duration in ms, or NaN before enough frames were seen. Measured from the timestamps and snapped
     * to the nearest usual rate within 1%; {@code announcedFps} (the encoder's own figure, from its metadata or
     * SPS; 0 when unknown) decides between close rates (30 and 29.97) when it agrees with the measurement.
     */
    double frameMs(double announcedFps) {
        if (count < MIN_FRAMES) {
            return Double.NaN;
        }
        int first = (next + WINDOW - count) % WINDOW;
        int last = (next + WINDOW - 1) % WINDOW;
        double measured = (double) (dts[last] - dts[first]) / (count - 1);
        if (announcedFps > 0 && Math.abs(1000 / announcedFps - measured) <= measured * 0.01) {
            measured = 1000 / announcedFps;
        }
        double best = measured;
        double bestDistance = Double.MAX_VALUE;
        for (double standard : STANDARD_FRAME_MS) {
            double distance = Math.abs(measured - standard);
            if (distance <= standard * 0.01 && distance < bestDistance) {
                best = standard;
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * Where the input's frames sit on a grid of {@code frameMs}: the mean of their presentation times modulo the
     * frame duration, in [0, frameMs). Millisecond rounding moves each frame by up to half a millisecond; the
     * mean over the window takes that out.
     */
    double phaseMs(double frameMs) {
        if (count == 0 || !(frameMs > 0)) {
            return Double.NaN;
        }
        double reference = mod(pts[(next + WINDOW - 1) % WINDOW], frameMs);
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += wrap(mod(pts[i], frameMs) - reference, frameMs);
        }
        return mod(reference + sum / count, frameMs);
    }

    /** {@code value} modulo {@code period}, in [0, period). */
    static double mod(double value, double period) {
        double m = value % period;
        return m < 0 ? m + period : m;
    }

    /** {@code delta} moved into [-period/2, period/2). */
    static double wrap(double delta, double period) {
        double m = mod(delta + period / 2, period);
        return m - period / 2;
    }
}
