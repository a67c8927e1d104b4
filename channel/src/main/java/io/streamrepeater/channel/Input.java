package io.streamrepeater.channel;

import io.streamrepeater.media.CodecHeaders;
import io.streamrepeater.media.GopCache;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.RateMeter;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One input of a channel (primary, backup, …): its publish session, its health, and what is kept hot
 * for a switch (codec headers, GOP cache). Fields other than {@link #current} are touched only on
 * the channel's event loop.
 *
 * <p>Health (DESIGN.md §3): an input is usable — a <em>candidate</em> — while an encoder is
 * connected, media arrived within {@code inputLossMs}, a keyframe was seen since media resumed, and
 * no rehearsal marks it failed. It is <em>healthy</em> once such media has flowed for {@code clearMs}.
 */
final class Input {
    final String name;
    /** Position in the channel's priority order; changes when the inputs are reconfigured. */
    volatile int priority;
    volatile boolean allowTakeover;
    /** The live publish session; swapped from ingest threads (takeover), read on the channel loop. */
    final AtomicReference<InputSession> current = new AtomicReference<>();
    final CodecHeaders headers = new CodecHeaders();
    /** The input's video frame grid, so that a switch to it lands on the output's grid. */
    final FrameCadence cadence = new FrameCadence();
    GopCache gop;
    long packets;
    /** Received media bytes and video frames per second; written on the loop, read by status snapshots. */
    final RateMeter bytesIn = new RateMeter(RATE_WINDOW_SECONDS);
    final RateMeter videoFramesIn = new RateMeter(RATE_WINDOW_SECONDS);
    static final int RATE_WINDOW_SECONDS = 5;
    long lastMediaAtMs = -1;
    /** Arrival time of the first packet of the current run of continuous media. */
    long runStartMs = -1;
    boolean keyframeInRun;
    long rehearsalUntilMs = -1;
    /** Whether the last state change reported was "down" (so each transition is reported once). */
    boolean reportedDown = true;
    boolean reportedHealthy;
    /** The slate: a file played as the lowest-priority input, never a target of failback. */
    boolean isSlate;
    /** Written on the channel loop, read by status snapshots on other threads. */
    volatile InputFormat format;
    String downReason = "no encoder connected";

    Input(String name, int priority, boolean allowTakeover) {
        this.name = name;
        this.priority = priority;
        this.allowTakeover = allowTakeover;
        this.gop = newGop();
    }

    private static GopCache newGop() {
        return new GopCache(LiveChannel.GOP_MAX_BYTES, LiveChannel.GOP_MAX_PACKETS);
    }

    boolean publishing() {
        return current.get() != null;
    }

    /** Records the arrival of a media packet for the health rules. */
    void onMedia(long nowMs, MediaPacket p, FailoverPolicy policy) {
        long nowNanos = nowMs * 1_000_000L;
        bytesIn.add(p.content().readableBytes(), nowNanos);
        if (p.kind() == io.streamrepeater.media.MediaKind.VIDEO) {
            videoFramesIn.add(1, nowNanos);
            cadence.add(p.dts(), p.pts());
        }
        if (lastMediaAtMs < 0 || nowMs - lastMediaAtMs > policy.inputLossMs()) {
            runStartMs = nowMs;
            keyframeInRun = false;
        }
        lastMediaAtMs = nowMs;
        if (p.isVideoKeyframe()) {
            keyframeInRun = true;
        }
    }

    /** Why this input cannot feed the output now, or null when it can. */
    String unusableReason(long nowMs, FailoverPolicy policy) {
        if (!publishing()) {
            return downReason == null ? "no encoder connected" : downReason;
        }
        if (nowMs < rehearsalUntilMs) {
            return "failed by rehearsal";
        }
        if (lastMediaAtMs < 0) {
            return "connected, no media yet";
        }
        long age = nowMs - lastMediaAtMs;
        if (age > policy.inputLossMs()) {
            return "no media for " + age + " ms";
        }
        if (!keyframeInRun) {
            return "waiting for a keyframe";
        }
        return null;
    }

    boolean candidate(long nowMs, FailoverPolicy policy) {
        return unusableReason(nowMs, policy) == null;
    }

    boolean healthy(long nowMs, FailoverPolicy policy) {
        return candidate(nowMs, policy) && nowMs - runStartMs >= policy.clearMs();
    }

    /** A new encoder session starts from nothing: no media seen, nothing cached. */
    void resetForNewSession() {
        lastMediaAtMs = -1;
        runStartMs = -1;
        keyframeInRun = false;
        cadence.reset();
        gop.close();
        gop = newGop();
    }

    InputStatus status(boolean active, long nowMs, FailoverPolicy policy, String format) {
        InputSession s = current.get();
        String reason = unusableReason(nowMs, policy);
        InputState state = active ? InputState.ACTIVE : reason == null ? InputState.STANDBY : InputState.DOWN;
        long nowNanos = nowMs * 1_000_000L;
        return new InputStatus(name, priority, state, s == null ? null : s.remoteAddress(), packets,
                active ? null : reason, format, lastMediaAtMs < 0 ? -1 : nowMs - lastMediaAtMs,
                s == null ? 0 : (long) (bytesIn.perSecond(nowNanos) * 8),
                s == null ? 0 : Math.round(videoFramesIn.perSecond(nowNanos) * 100) / 100.0, // no encoder: no rate
                s == null ? null : s.transport(), s == null ? null : s.link());
    }

    void close() {
        headers.close();
        gop.close();
    }
}
