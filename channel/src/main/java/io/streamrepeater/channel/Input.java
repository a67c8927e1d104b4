package io.streamrepeater.channel;

import io.streamrepeater.media.CodecHeaders;
import io.streamrepeater.media.GopCache;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.RateMeter;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One input of a channel (primary, backup, …): its publish session, what is kept hot for a switch (codec headers,
 * GOP cache, frame grid), its counters, and its {@link InputHealth}. The session is swapped from ingest threads;
 * everything else is touched only on the channel's event loop.
 */
final class Input {
    // logs under the channel's name, as before the listeners moved here: operators' filters select that logger
    private static final Logger LOG = LoggerFactory.getLogger(LiveChannel.class);

    private final String name;
    /** Position in the channel's priority order; changes when the inputs are reconfigured. */
    private volatile int priority;

    private volatile boolean allowTakeover;
    /** The live publish session; swapped from ingest threads (takeover), read on the channel loop. */
    private final AtomicReference<InputSession> current = new AtomicReference<>();

    private final CodecHeaders headers = new CodecHeaders();
    /** The input's video frame grid, so that a switch to it lands on the output's grid. */
    private final FrameCadence cadence = new FrameCadence();

    private GopCache gop;
    private long packets;
    /** Received media bytes and video frames per second; written on the loop, read by status snapshots. */
    private final RateMeter bytesIn = new RateMeter(RATE_WINDOW_SECONDS);

    private final RateMeter videoFramesIn = new RateMeter(RATE_WINDOW_SECONDS);
    static final int RATE_WINDOW_SECONDS = 5;
    private final InputHealth health = new InputHealth(headers, current);

    /** The slate: a file played as the lowest-priority input, never a target of failback. */
    private final boolean isSlate;
    /** Written on the channel loop, read by status snapshots on other threads. */
    private volatile InputFormat format;

    /** Taps on this input's packets and sessions; on the channel loop only. */
    private static final InputListener[] NO_TAPS = new InputListener[0];
    /**
     * The taps, replaced (never changed in place) on the channel loop: telling them walks an array, no iterator per
     * packet, and a tap that removes itself (or another) while it is told affects the next call only.
     */
    private volatile InputListener[] taps = NO_TAPS;

    Input(String name, int priority, boolean allowTakeover) {
        this(name, priority, allowTakeover, false);
    }

    Input(String name, int priority, boolean allowTakeover, boolean slate) {
        this.name = name;
        this.priority = priority;
        this.allowTakeover = allowTakeover;
        this.isSlate = slate;
        this.gop = newGop();
    }

    String name() {
        return name;
    }

    int priority() {
        return priority;
    }

    void priority(int p) {
        priority = p;
    }

    boolean allowTakeover() {
        return allowTakeover;
    }

    void allowTakeover(boolean allow) {
        allowTakeover = allow;
    }

    boolean slate() {
        return isSlate;
    }

    /** The codec headers and metadata this input sent last. */
    CodecHeaders headers() {
        return headers;
    }

    FrameCadence cadence() {
        return cadence;
    }

    GopCache gop() {
        return gop;
    }

    InputFormat format() {
        return format;
    }

    /**
     * What a decoder needs to show the input's latest picture: its metadata, its video sequence header and the video
     * packets of its cached GOP from the keyframe, in that order (audio left out); empty without a GOP.
     *
     * @return retained packets; the caller releases each
     */
    List<MediaPacket> picture() {
        List<MediaPacket> packets = new ArrayList<>();
        List<MediaPacket> cached = gop.snapshot();
        if (!cached.isEmpty()) {
            if (headers.metadata() != null) {
                packets.add(headers.metadata().retainedDuplicate());
            }
            if (headers.videoHeader() != null) {
                packets.add(headers.videoHeader().retainedDuplicate());
            }
        }
        for (MediaPacket p : cached) {
            if (p.kind() == MediaKind.VIDEO) {
                packets.add(p);
            } else {
                p.release();
            }
        }
        return packets;
    }

    /**
     * What a consumer of this input that starts now must receive first: metadata, sequence headers, then the cached
     * GOP from its keyframe (audio and video), on the input's own timestamps; empty before any media.
     *
     * @return retained packets; the caller releases each
     */
    List<MediaPacket> startupPackets() {
        List<MediaPacket> cached = gop.snapshot();
        List<MediaPacket> packets = new ArrayList<>(cached.size() + 3);
        // the headers at the GOP's first timestamp: they may have been sent (or updated) long before its keyframe, and
        // a consumer's timeline should not step back from them to the GOP
        long at = cached.isEmpty() ? -1 : cached.get(0).dts();
        for (MediaPacket header : headers.retainedAll()) {
            if (at < 0) {
                packets.add(header);
            } else {
                try {
                    packets.add(header.withDts(at));
                } finally {
                    header.release();
                }
            }
        }
        packets.addAll(cached);
        return packets;
    }

    /** The live session, or null. Safe from any thread. */
    InputSession session() {
        return current.get();
    }

    /**
     * Makes {@code session} the input's live session: it replaces the current one when takeovers are allowed,
     * else only when there is none.
     *
     * @return the session it replaced (null if none); {@code session} itself when it was refused
     */
    InputSession claim(InputSession session) {
        if (allowTakeover) {
            return current.getAndSet(session);
        }
        return current.compareAndSet(null, session) ? null : session;
    }

    /** Ends {@code session} if it is still the live one; true when it was. Safe from any thread. */
    boolean endSession(InputSession session) {
        return current.compareAndSet(session, null);
    }

    /** Takes the live session away (the input is removed or the channel closes); returns it, or null. */
    InputSession detach() {
        return current.getAndSet(null);
    }

    /** The encoder went away: {@code reason} is what the input's status says until one connects. */
    void ended(String reason) {
        health.ended(reason);
    }

    /** A new encoder session starts: no media seen, nothing cached, no down reason. */
    void started() {
        health.started();
        cadence.reset();
        gop.close();
        gop = newGop();
    }

    /** Marks the input failed by a rehearsal until {@code untilMs} (-1: no longer). */
    void failedByRehearsalUntil(long untilMs) {
        health.failedByRehearsalUntil(untilMs);
    }

    /** Takes a sequence header or metadata packet (borrowed) into the input's headers. */
    void header(MediaPacket packet) {
        packets++;
        headers.update(packet);
        format = InputFormat.of(headers, gop.keyframeIntervalMs());
    }

    /** Counts a media packet and keeps it (retained by the cache) for a switch from the cache. */
    void cache(MediaPacket packet) {
        long kfBefore = gop.keyframeIntervalMs();
        gop.add(packet);
        if (packet.isVideoKeyframe() && gop.keyframeIntervalMs() != kfBefore) {
            format = InputFormat.of(headers, gop.keyframeIntervalMs());
        }
    }

    private static GopCache newGop() {
        return new GopCache(LiveChannel.GOP_MAX_BYTES, LiveChannel.GOP_MAX_PACKETS);
    }

    boolean publishing() {
        return current.get() != null;
    }

    /** Records the arrival of a media packet (borrowed): counters, frame grid, health. */
    void onMedia(long nowMs, MediaPacket p, FailoverPolicy policy) {
        packets++;
        long nowNanos = nowMs * 1_000_000L;
        int bytes = p.content().readableBytes();
        bytesIn.add(bytes, nowNanos);
        if (p.kind() == MediaKind.VIDEO) {
            videoFramesIn.add(1, nowNanos);
            cadence.add(p.dts(), p.pts());
        }
        health.media(nowMs, p, bytes, policy);
    }

    boolean syncPoint(MediaPacket p, long nowMs, FailoverPolicy policy) {
        return health.syncPoint(p, nowMs, policy);
    }

    long lastSyncAtMs() {
        return health.lastSyncAtMs();
    }

    boolean stale(long nowMs, FailoverPolicy policy) {
        return health.stale(nowMs, policy);
    }

    void checkBitrate(long nowMs, FailoverPolicy policy) {
        health.checkBitrate(nowMs, policy);
    }

    List<InputHealth.Transition> transitions(long nowMs, FailoverPolicy policy) {
        return health.transitions(nowMs, policy);
    }

    String unusableReason(long nowMs, FailoverPolicy policy) {
        return health.unusableReason(nowMs, policy);
    }

    boolean candidate(long nowMs, FailoverPolicy policy) {
        return health.candidate(nowMs, policy);
    }

    /** The input as the switcher sees it now. */
    Switcher.View view(long nowMs, FailoverPolicy policy) {
        return new Switcher.View(name, priority, isSlate, unusableReason(nowMs, policy), health.runMs(nowMs));
    }

    boolean healthy(long nowMs, FailoverPolicy policy) {
        return health.healthy(nowMs, policy);
    }

    InputStatus status(boolean active, long nowMs, FailoverPolicy policy, String format) {
        InputSession s = current.get();
        String reason = unusableReason(nowMs, policy);
        InputState state = active ? InputState.ACTIVE : reason == null ? InputState.STANDBY : InputState.DOWN;
        long nowNanos = nowMs * 1_000_000L;
        return new InputStatus(
                name,
                priority,
                state,
                s == null ? null : s.remoteAddress(),
                packets,
                active ? null : reason,
                format,
                health.lastMediaAtMs() < 0 ? -1 : nowMs - health.lastMediaAtMs(),
                s == null ? 0 : bitrateBps(nowNanos),
                s == null ? 0 : measuredFps(nowNanos), // no encoder: no rate
                s == null ? null : s.transport(),
                s == null ? null : s.link(),
                s == null ? null : s.node());
    }

    /**
     * What the connected encoder sends, as platform rules judge it; null while no encoder is connected, or before its
     * codec headers. Any thread (values may be a moment old).
     */
    io.streamrepeater.status.platform.MediaFacts media(long nowMs) {
        InputSession s = current.get();
        InputFormat f = format;
        if (s == null || f == null || isSlate) {
            return null;
        }
        long nowNanos = nowMs * 1_000_000L;
        double fps = f.frameRate() > 0 ? f.frameRate() : measuredFps(nowNanos);
        return new io.streamrepeater.status.platform.MediaFacts(
                f.videoCodec(),
                f.width(),
                f.height(),
                fps,
                f.keyframeIntervalMs(),
                bitrateBps(nowNanos),
                f.audioCodec(),
                f.sampleRate(),
                f.channels());
    }

    /** Bits per second received over the last few seconds. */
    private long bitrateBps(long nowNanos) {
        return (long) (bytesIn.perSecond(nowNanos) * 8);
    }

    /** Video frames per second received over the last few seconds, to the hundredth. */
    private double measuredFps(long nowNanos) {
        return Math.round(videoFramesIn.perSecond(nowNanos) * 100) / 100.0;
    }

    /** Adds a tap; on the channel loop. */
    void addListener(InputListener listener) {
        InputListener[] now = taps;
        InputListener[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = listener;
        taps = more;
    }

    /** Removes a tap; true when it was this input's. On the channel loop. */
    boolean removeListener(InputListener listener) {
        InputListener[] now = taps;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == listener) {
                InputListener[] fewer = new InputListener[now.length - 1];
                System.arraycopy(now, 0, fewer, 0, i);
                System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                taps = fewer;
                return true;
            }
        }
        return false;
    }

    /** Removes every tap; on the channel loop. */
    void clearListeners() {
        taps = NO_TAPS;
    }

    /**
     * Tells every tap (a snapshot: a tap may remove itself, or another, while it is told); a tap that
     * throws is logged and the others are still told. On the channel loop.
     */
    void tellListeners(String channel, Consumer<InputListener> call) {
        for (InputListener l : taps) {
            tell(channel, l, call);
        }
    }

    /** Hands a packet to every tap: no allocation per packet (called for every packet of the input). */
    void tellPacket(String channel, MediaPacket packet) {
        InputListener[] now = taps;
        for (int i = 0; i < now.length; i++) {
            InputListener l = now[i];
            try {
                l.packet(packet);
            } catch (RuntimeException e) {
                LOG.error(
                        "event=input-listener-error channel={} input={} error=\"{}\"", channel, name, e.toString(), e);
            }
        }
    }

    /** Tells one tap; a tap that throws is logged. */
    void tell(String channel, InputListener listener, Consumer<InputListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.error("event=input-listener-error channel={} input={} error=\"{}\"", channel, name, e.toString(), e);
        }
    }

    void close() {
        headers.close();
        gop.close();
    }
}
