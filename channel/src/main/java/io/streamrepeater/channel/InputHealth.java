package io.streamrepeater.channel;

import io.streamrepeater.media.CodecHeaders;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The health of one input: when its media last arrived, per kind, and the rules that make it usable or not. Touched
 * only on the channel's event loop.
 *
 * <p>Health (DESIGN.md §3): an input is usable — a <em>candidate</em> — while an encoder is
 * connected, media arrived within {@code inputLossMs}, a keyframe was seen since media resumed, and
 * no rehearsal marks it failed. It is <em>healthy</em> once such media has flowed for {@code clearMs}.
 *
 * <p>Health is counted per kind: an input that carries video is down when its video stops, even while its
 * audio goes on (a capture card that drops out, an encoder whose video thread hangs). An input that carries
 * only audio (a radio show) is judged on its audio, and its audio frames are its sync points: a switch to it
 * starts on any audio frame. An input counts as audio-only once it has sent audio for {@code inputLossMs}
 * with no video and no video sequence header; until then it waits, like any input, for a keyframe.
 *
 * <p>With the optional low-bitrate trigger, an input whose media bitrate over the last second stays below the
 * floor for the configured time is down too, and healthy again only {@code clearMs} after it recovered.
 */
final class InputHealth {
    private final CodecHeaders headers;
    private final AtomicReference<InputSession> session;
    private long lastMediaAtMs = -1;
    private long lastVideoAtMs = -1;
    private long lastAudioAtMs = -1;
    /** Arrival of the first audio packet of the session (how long an input without video has been audio-only). */
    private long firstAudioAtMs = -1;
    /** Arrival time of the first packet of the current run of continuous media (of the input's sync kind). */
    private long runStartMs = -1;

    private boolean keyframeInRun;
    /** Media bytes of the last second in 100 ms buckets, for the low-bitrate trigger. */
    private final long[] bitrateBuckets = new long[BITRATE_BUCKETS];

    private final long[] bitrateBucketIndex = new long[BITRATE_BUCKETS];
    private static final int BITRATE_BUCKETS = 10;
    private static final long BITRATE_BUCKET_MS = 100;
    /** Since when the bitrate has been below the low-bitrate floor, or -1. */
    private long lowBitrateSinceMs = -1;
    /** The bitrate measured when the floor was last checked, in kb/s. */
    private long lastBitrateKbps;

    private long rehearsalUntilMs = -1;
    /** Whether the last state change reported was "down" (so each transition is reported once). */
    private boolean reportedDown = true;

    private boolean reportedHealthy;
    private String downReason = "no encoder connected";

    /** A health transition to report, found by {@link #transitions}. */
    enum Transition {
        DOWN,
        UP,
        HEALTHY
    }

    /**
     * @param headers the input's codec headers (a video sequence header means the input carries video)
     * @param session the input's live session (none: the input is down)
     */
    InputHealth(CodecHeaders headers, AtomicReference<InputSession> session) {
        this.headers = headers;
        this.session = session;
    }

    /** When media last arrived, or -1. */
    long lastMediaAtMs() {
        return lastMediaAtMs;
    }

    /** The encoder went away: {@code reason} is what the input's status says until one connects. */
    void ended(String reason) {
        downReason = reason;
    }

    /** A new encoder session starts from nothing: no media seen, no down reason. */
    void started() {
        lastMediaAtMs = -1;
        lastVideoAtMs = -1;
        lastAudioAtMs = -1;
        firstAudioAtMs = -1;
        runStartMs = -1;
        keyframeInRun = false;
        lowBitrateSinceMs = -1;
        downReason = null;
    }

    /** Marks the input failed by a rehearsal until {@code untilMs} (-1: no longer). */
    void failedByRehearsalUntil(long untilMs) {
        rehearsalUntilMs = untilMs;
    }

    /** Whether this session carries video: a video sequence header or a video frame arrived. */
    boolean carriesVideo() {
        return lastVideoAtMs >= 0 || headers.videoHeader() != null;
    }

    /** Whether this session carries only audio: audio for {@code inputLossMs} and no sign of video. */
    boolean audioOnly(long nowMs, FailoverPolicy policy) {
        return !carriesVideo() && firstAudioAtMs >= 0 && nowMs - firstAudioAtMs >= policy.inputLossMs();
    }

    /** Whether a switch to this input may start on {@code p}: a video keyframe, or audio of an audio-only input. */
    boolean syncPoint(MediaPacket p, long nowMs, FailoverPolicy policy) {
        return p.isVideoKeyframe() || (p.kind() == MediaKind.AUDIO && audioOnly(nowMs, policy));
    }

    /** When the input's sync kind (video if it carries video, else audio, else any media) last arrived. */
    long lastSyncAtMs() {
        if (carriesVideo()) {
            return lastVideoAtMs;
        }
        return lastAudioAtMs >= 0 ? lastAudioAtMs : lastMediaAtMs;
    }

    /** Whether the input's sync kind has not arrived for longer than {@code inputLossMs} (it had arrived before). */
    boolean stale(long nowMs, FailoverPolicy policy) {
        long last = lastSyncAtMs();
        return last >= 0 && nowMs - last > policy.inputLossMs();
    }

    /** Records the arrival of a media packet (borrowed) of {@code bytes} payload bytes. */
    void media(long nowMs, MediaPacket p, int bytes, FailoverPolicy policy) {
        addBitrateBytes(nowMs, bytes);
        boolean video = p.kind() == MediaKind.VIDEO;
        boolean wasVideo = carriesVideo();
        if (video && !wasVideo) {
            // the first video of the session: from now on the input is judged on its video
            runStartMs = nowMs;
            keyframeInRun = false;
        }
        boolean sync = video || (!carriesVideo() && p.kind() == MediaKind.AUDIO);
        if (sync) {
            long last = lastSyncAtMs();
            if (last < 0 || nowMs - last > policy.inputLossMs()) {
                runStartMs = nowMs;
                keyframeInRun = false;
            }
        }
        lastMediaAtMs = nowMs;
        if (video) {
            lastVideoAtMs = nowMs;
        } else if (p.kind() == MediaKind.AUDIO) {
            lastAudioAtMs = nowMs;
            if (firstAudioAtMs < 0) {
                firstAudioAtMs = nowMs;
            }
        }
        if (runStartMs < 0) {
            runStartMs = nowMs;
        }
        if (p.isVideoKeyframe() || audioOnly(nowMs, policy)) {
            keyframeInRun = true;
        }
    }

    private void addBitrateBytes(long nowMs, long bytes) {
        long index = nowMs / BITRATE_BUCKET_MS;
        int slot = (int) Math.floorMod(index, (long) BITRATE_BUCKETS);
        if (bitrateBucketIndex[slot] != index) {
            bitrateBucketIndex[slot] = index;
            bitrateBuckets[slot] = 0;
        }
        bitrateBuckets[slot] += bytes;
    }

    /** Media bitrate over the last second, in kb/s. */
    long bitrateKbps(long nowMs) {
        long index = nowMs / BITRATE_BUCKET_MS;
        long bytes = 0;
        for (int i = 0; i < BITRATE_BUCKETS; i++) {
            long b = bitrateBucketIndex[i];
            if (b > index - BITRATE_BUCKETS && b <= index) {
                bytes += bitrateBuckets[i];
            }
        }
        return bytes * 8 / 1000; // bytes per second (10 buckets of 100 ms) to kb/s
    }

    /**
     * Updates the low-bitrate state; call on the channel loop at every health check. Measures only once the
     * session has sent media for a full second (an encoder's first second is not its bitrate).
     */
    void checkBitrate(long nowMs, FailoverPolicy policy) {
        FailoverPolicy.LowBitrate floor = policy.lowBitrate();
        if (floor == null || lastMediaAtMs < 0 || runStartMs < 0 || nowMs - runStartMs < 1000) {
            if (floor == null) {
                lowBitrateSinceMs = -1;
            }
            return;
        }
        long kbps = bitrateKbps(nowMs);
        lastBitrateKbps = kbps;
        if (kbps < floor.belowKbps()) {
            if (lowBitrateSinceMs < 0) {
                lowBitrateSinceMs = nowMs;
            }
        } else if (lowBitrateSinceMs >= 0) {
            if (nowMs - lowBitrateSinceMs >= floor.forMs()) {
                runStartMs = nowMs; // it was down: healthy again only clearMs from now
            }
            lowBitrateSinceMs = -1;
        }
    }

    /** Why this input cannot feed the output now, or null when it can. */
    String unusableReason(long nowMs, FailoverPolicy policy) {
        if (session.get() == null) {
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
        if (carriesVideo()) {
            long videoAge = lastVideoAtMs < 0 ? nowMs - runStartMs : nowMs - lastVideoAtMs;
            if (videoAge > policy.inputLossMs()) {
                return "no video for " + videoAge + " ms (audio still arriving)";
            }
        }
        FailoverPolicy.LowBitrate floor = policy.lowBitrate();
        long lowSince = lowBitrateSinceMs;
        if (floor != null && lowSince >= 0 && nowMs - lowSince >= floor.forMs()) {
            return "bitrate " + lastBitrateKbps + " kb/s below " + floor.belowKbps() + " kb/s for " + (nowMs - lowSince)
                    + " ms";
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

    /** How long the current run of media has lasted. */
    long runMs(long nowMs) {
        return nowMs - runStartMs;
    }

    /**
     * The health transitions to report since the last call (each once): down with its reason, up, healthy.
     * Call on the channel loop at every health check.
     */
    List<Transition> transitions(long nowMs, FailoverPolicy policy) {
        String why = unusableReason(nowMs, policy);
        if (why != null && !reportedDown) {
            reportedDown = true;
            reportedHealthy = false;
            return List.of(Transition.DOWN);
        }
        List<Transition> found = List.of();
        if (why == null && reportedDown) {
            reportedDown = false;
            found = List.of(Transition.UP);
        }
        if (why == null && !reportedHealthy && healthy(nowMs, policy)) {
            reportedHealthy = true;
            found = found.isEmpty() ? List.of(Transition.HEALTHY) : List.of(Transition.UP, Transition.HEALTHY);
        }
        return found;
    }
}
