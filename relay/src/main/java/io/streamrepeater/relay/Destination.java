package io.streamrepeater.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.RateMeter;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationEvent;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import io.streamrepeater.status.DrillDelivery;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised destination connection of a channel: connect, publish, and after a drop or a failure
 * reconnect with backoff, without touching the other destinations. Runs on the channel's event loop
 * (the connection is bootstrapped there too), so no field needs a lock; what {@link #status()} reads
 * is volatile for readers on other threads.
 *
 * <p>With two addresses (a backup in {@code fallback} mode) a failure moves the next attempt to the
 * other address, and a session on the backup returns to the primary once the primary accepts TCP
 * connections again (probed every {@code backoffCapMs}).
 *
 * <p>Why this class is a little over 400 lines: it is one state machine (connecting, live, retrying, failed,
 * disabled, cut by the fence) whose transitions must all be read together; the connection itself lives in
 * {@link DestinationConnection}, the socket write in {@link DirectSocketWriter}, the drop decision in
 * {@link GopDropPolicy}.
 */
final class Destination {
    private static final Logger LOG = LoggerFactory.getLogger(Destination.class);
    /**
     * How long after a session of ours ended (or after a cluster node took the channel over) a refused publish is
     * taken for that session still open at the destination, and retried with the ordinary backoff rather than after
     * {@code rejectedRetryMs}: platforms keep a dropped publisher's stream name until they notice it idle.
     */
    static final long LINGER_MS = 30_000;

    /** How often the relay's watchdog looks at each destination's connection ({@link #check()}). */
    static final long WATCHDOG_PERIOD_MS = 500;

    private static final int BITRATE_WINDOW_SECONDS = 5;
    /**
     * How long a clean unpublish may wait for the queued media and the two commands to be written before the
     * connection is closed anyway: a stalled destination must not hold up a stop.
     */
    static final long UNPUBLISH_GRACE_MS = 1_000;

    private final String channelName;
    private final String name;
    private final List<RtmpUrl> addresses;
    private final EventLoop loop;
    private final OutboundConnector connector;
    private final ChannelRelay relay;
    /** Asked before every connection attempt; also says whether this node just took the channel over. */
    private final RelayFence fence;

    private final SupervisionSettings settings;
    private final DestinationEventLog events;
    private final Backoff backoff;
    private final GopDropPolicy dropPolicy;
    private final RateMeter bitrate = new RateMeter(BITRATE_WINDOW_SECONDS);
    private final LatencyHistogram latency;
    /** What this destination was sent, checked against the switch rules; on the event loop only. */
    private final DeliveryCheck delivery = new DeliveryCheck();

    private volatile DestinationState state;
    private volatile String lastError;
    private volatile Instant nextAttemptAt;
    private volatile long liveSinceNanos;
    private volatile long bytesSent;
    private volatile long packetsSent;
    /** When media (not headers) was last written, {@link System#nanoTime()}; read by status snapshots. */
    private volatile long lastMediaSentNanos = Long.MIN_VALUE / 2;

    private static final long IDLE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(DestinationStatus.IDLE_AFTER_MS);
    private volatile long framesDropped;
    private volatile long gopsDropped;
    private volatile long reconnects;
    private volatile long peakPendingBytes;
    private volatile DestinationConnection current;

    private boolean enabled;
    /** When this destination's last live session ended ({@link System#nanoTime()}), 0 if none has. */
    private long lastSessionEndedNanos;

    private int addressIndex;
    private ScheduledFuture<?> retry;

    /** What the destination's platform takes: codecs announced in each connect, and codecs sent at all. */
    private final CodecPolicy codecs;

    /** The channel's video codec while the platform does not take it (nothing is sent); null otherwise. */
    private String refusedCodec;

    Destination(
            String channelName,
            String name,
            List<RtmpUrl> addresses,
            EventLoop loop,
            OutboundConnector connector,
            ChannelRelay relay,
            RelayFence fence,
            SupervisionSettings settings,
            DestinationEventLog events,
            LatencyHistogram latency,
            CodecPolicy codecs) {
        this.codecs = codecs;
        if (addresses.isEmpty() || addresses.size() > 2) {
            throw new IllegalArgumentException("destination '" + name + "' needs a primary and at most one backup"
                    + " address, got " + addresses.size());
        }
        this.channelName = channelName;
        this.name = name;
        this.addresses = List.copyOf(addresses);
        this.loop = loop;
        this.connector = connector;
        this.relay = relay;
        this.fence = fence;
        this.settings = settings;
        this.events = events;
        this.latency = latency;
        this.backoff = new Backoff(settings.backoffBaseMs(), settings.backoffCapMs(), new SplittableRandom());
        this.dropPolicy =
                new GopDropPolicy(settings.maxPendingBytes(), settings.maxQueueDelayMs(), settings.behindLimitMs());
    }

    String name() {
        return name;
    }

    /** Starts supervising: connects now, and keeps the destination connected until {@link #disable}. */
    void enable(String reason) {
        loop.execute(() -> {
            if (enabled) {
                return;
            }
            enabled = true;
            backoff.reset();
            addressIndex = 0;
            connect(reason);
        });
    }

    /**
     * Stops reconnecting and ends the connection; a live publish is unpublished cleanly first (see
     * {@link DestinationConnection#hangUp}). Counters are kept for a later {@link #enable}.
     *
     * @return completes when the connection is closed (at once when there was none)
     */
    Future<Void> disable(String reason) {
        Promise<Void> closed = loop.newPromise();
        loop.execute(() -> {
            boolean wasEnabled = enabled;
            enabled = false;
            cancelTimers();
            DestinationConnection c = current;
            current = null;
            if (c != null) {
                c.hangUp(loop, UNPUBLISH_GRACE_MS).addListener(f -> closed.trySuccess(null));
            } else {
                closed.trySuccess(null);
            }
            nextAttemptAt = null;
            if (wasEnabled || state == null) {
                transition(DestinationState.DISABLED, reason);
            }
        });
        return closed;
    }

    /**
     * Drops the connection at once, without an unpublish (the fence said no: nothing more may be written), and stops
     * reconnecting (state {@code DISABLED}). Called on the event loop.
     */
    void cut(String reason) {
        if (!enabled && current == null && state == DestinationState.DISABLED) {
            return;
        }
        enabled = false;
        cancelTimers();
        DestinationConnection c = current;
        current = null;
        nextAttemptAt = null;
        if (c != null && c.channel != null) {
            c.channel.close();
        }
        transition(DestinationState.DISABLED, reason);
    }

    /** Starts disabled: configured but not connected. */
    void startDisabled() {
        disable("configured disabled");
    }

    /**
     * The channel's video codec changed (a sequence header with another codec: a failover to another encoder, or the
     * first header). A platform that does not take it is sent nothing: the connection is ended cleanly and the
     * destination shows {@code FAILED} with the reason, instead of feeding the platform a stream it would drop; a
     * codec it takes again connects it again. Any thread.
     */
    void videoCodec(String codec) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> videoCodec(codec));
            return;
        }
        if (!codecs.takes(codec)) {
            if (codec.equals(refusedCodec)) {
                return;
            }
            refusedCodec = codec;
            if (!enabled) {
                return; // disabled by the operator: stays DISABLED; enabling it shows the refusal
            }
            refuseCodec();
        } else if (refusedCodec != null) {
            refusedCodec = null;
            if (enabled) {
                backoff.reset();
                addressIndex = 0;
                connect("the channel sends " + codec + " again, which " + codecs.platform() + " takes");
            }
        }
    }

    private void refuseCodec() {
        cancelTimers();
        DestinationConnection c = current;
        current = null;
        nextAttemptAt = null;
        if (c != null) {
            c.hangUp(loop, UNPUBLISH_GRACE_MS);
        }
        lastError = "codec-refused: " + codecs.platform() + " does not take " + refusedCodec;
        transition(
                DestinationState.FAILED,
                "codec-refused: " + codecs.platform() + " takes "
                        + String.join(", ", new java.util.TreeSet<>(codecs.accepted())) + " only and the channel sends "
                        + refusedCodec
                        + ": nothing is sent until an input with a codec it takes feeds the channel");
    }

    private void connect(String reason) {
        if (refusedCodec != null) {
            if (state != DestinationState.FAILED) {
                refuseCodec();
            }
            return;
        }
        if (!enabled) {
            return;
        }
        if (!fence.mayWrite()) {
            cut("fenced: this node no longer holds the channel");
            return;
        }
        nextAttemptAt = null;
        RtmpUrl url = addresses.get(addressIndex);
        transition(DestinationState.CONNECTING, reason + "; connecting to " + url.redacted());
        DestinationConnection c = new DestinationConnection(channelName, name, url, addressIndex, this::connectionLive);
        ChannelFuture f = connector.connect(loop, url, settings.ackWindowBytes(), c, codecs.announced());
        c.channel = f.channel();
        current = c;
        f.addListener(done -> {
            if (!done.isSuccess()) {
                c.failIfFirst(FailureKind.of(done.cause()), DestinationConnection.describe(done.cause()));
                ended(c);
            } else {
                c.channel.closeFuture().addListener(closed -> ended(c));
            }
        });
    }

    /** The connection is gone: schedule the next attempt. */
    private void ended(DestinationConnection c) {
        if (c != current) {
            return;
        }
        current = null;
        cancelTimers();
        if (!enabled) {
            return;
        }
        FailureKind kind = c.failureKind != null ? c.failureKind : FailureKind.CLOSED;
        String detail = c.failureDetail != null ? c.failureDetail : "connection closed by the peer";
        long now = System.nanoTime();
        if (c.live && now - c.liveSinceNanos >= TimeUnit.MILLISECONDS.toNanos(settings.stableMs())) {
            backoff.reset();
        }
        if (c.live) {
            lastSessionEndedNanos = now;
        }
        boolean lingering = kind == FailureKind.REJECTED
                && (fence.justTookOver(now)
                        || (lastSessionEndedNanos != 0
                                && now - lastSessionEndedNanos < TimeUnit.MILLISECONDS.toNanos(LINGER_MS)));
        if (addresses.size() > 1) {
            addressIndex = 1 - c.addressIndex;
        }
        boolean longPause = kind == FailureKind.REJECTED && !lingering;
        long delay = longPause ? settings.rejectedRetryMs() : backoff.nextDelayMs();
        reconnects++;
        lastError = kind.label() + ": " + detail;
        nextAttemptAt = Instant.now().plusMillis(delay);
        transition(
                longPause ? DestinationState.FAILED : DestinationState.RETRYING,
                lastError + "; from " + c.url.redacted()
                        + (lingering ? "; probably the previous session, still open there" : "") + "; retry in "
                        + delay + " ms");
        retry = loop.schedule(() -> connect("retry " + reconnects), delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Looks at the live connection, if any: too far behind, no acknowledgement, or time to probe the primary
     * address again. Called by the relay's one watchdog every {@link #WATCHDOG_PERIOD_MS}, on the event loop.
     */
    void check() {
        DestinationConnection c = current;
        if (c != null) {
            check(c);
        }
    }

    /**
     * Nothing for the watchdog to watch: no live connection, or one with nothing queued, nothing unacknowledged beyond
     * its window, on its first address. On the event loop.
     */
    boolean idle() {
        DestinationConnection c = current;
        return c == null
                || !c.live
                || (c.writer.pendingBytes() == 0
                        && c.bytesWritten - c.bytesAtLastAck <= settings.ackWindowBytes()
                        && c.addressIndex == 0);
    }

    private void check(DestinationConnection c) {
        if (c != current || !c.live) {
            return;
        }
        long now = System.nanoTime();
        DirectSocketWriter w = c.writer;
        long oldestMs = w.oldestAgeMs(now);
        peakPendingBytes = Math.max(peakPendingBytes, w.peakBytes());
        if (dropPolicy.behindTooLong(oldestMs, now / 1_000_000)) {
            c.abort(
                    FailureKind.BEHIND,
                    "behind for more than " + settings.behindLimitMs() + " ms (" + w.pendingBytes()
                            + " bytes queued, oldest " + oldestMs + " ms)");
            return;
        }
        long unacknowledged = c.bytesWritten - c.bytesAtLastAck;
        long sinceAckMs = (now - c.lastAckNanos) / 1_000_000;
        if (c.ackSeen && unacknowledged > settings.ackWindowBytes() && sinceAckMs > settings.stallTimeoutMs()) {
            c.abort(
                    FailureKind.STALLED,
                    "no acknowledgement for " + sinceAckMs + " ms with " + unacknowledged + " bytes unacknowledged");
            return;
        }
        if (c.addressIndex == 1
                && addresses.size() > 1
                && now - c.liveSinceNanos > TimeUnit.MILLISECONDS.toNanos(settings.backoffCapMs())
                && !c.probing) {
            probePrimary(c);
        }
    }

    /** Fallback mode on the backup: once the primary accepts TCP again, move back to it. */
    private void probePrimary(DestinationConnection c) {
        c.probing = true;
        connector.probe(loop, addresses.get(0)).addListener(done -> {
            c.probing = false;
            c.liveSinceNanos = System.nanoTime(); // next probe after another period
            if (done.isSuccess() && c == current && enabled) {
                c.abort(FailureKind.CLOSED, "primary address reachable again; leaving the backup");
                addressIndex = 0;
            }
        });
    }

    /** The publish of {@code c} was accepted: go live and give the destination the start-up packets. */
    private void connectionLive(DestinationConnection c, Channel ch, int streamId) {
        if (c != current || !enabled) {
            return;
        }
        c.goLive(ch, streamId, latency);
        delivery.newSession();
        liveSinceNanos = c.liveSinceNanos;
        dropPolicy.resync();
        transition(
                DestinationState.LIVE,
                "publishing to " + c.url.redacted()
                        + (addresses.size() > 1 ? (c.addressIndex == 0 ? " (primary)" : " (backup)") : ""));
        relay.destinationLive(this);
    }

    /**
     * Writes one pre-encoded message, or drops it by the GOP policy.
     *
     * @param encoded borrowed; this method writes retained duplicates of its parts
     * @param packet what {@code encoded} carries (kind, timestamps, keyframe or header; sequence headers and metadata
     *     are never dropped, a keyframe starts a GOP); borrowed, only read
     * @param ingestNanos when the packet arrived at ingest ({@link System#nanoTime()}); 0 to leave it out of the
     *     latency histogram
     */
    void write(EncodedMessage encoded, MediaPacket packet, long ingestNanos) {
        boolean keyframe = packet.isVideoKeyframe();
        boolean header = packet.sequenceHeader() || packet.metadata();
        DestinationConnection c = current;
        if (c == null || !c.live) {
            return;
        }
        DirectSocketWriter w = c.writer;
        long now = System.nanoTime();
        int bytes = encoded.length();
        GopDropPolicy.Verdict verdict =
                dropPolicy.offer(header, keyframe, bytes, w.pendingBytes(), w.oldestAgeMs(now), now / 1_000_000);
        switch (verdict) {
            case DROP -> {
                framesDropped = dropPolicy.framesDropped();
                if (dropPolicy.gopsDropped() != gopsDropped) {
                    gopsDropped = dropPolicy.gopsDropped();
                    LOG.warn(
                            "event=destination-gop-dropped channel={} destination={} gopsDropped={} pendingBytes={}"
                                    + " oldestPendingMs={}",
                            channelName,
                            name,
                            gopsDropped,
                            w.pendingBytes(),
                            w.oldestAgeMs(now));
                }
            }
            case RECONNECT ->
                c.abort(
                        FailureKind.BEHIND,
                        "send queue would exceed " + settings.maxPendingBytes()
                                + " bytes or stayed behind past " + settings.behindLimitMs() + " ms ("
                                + w.pendingBytes() + " bytes queued)");
            case SEND -> {
                delivery.sent(packet, bytes);
                if (!header) {
                    lastMediaSentNanos = now;
                }
                c.bytesWritten += bytes;
                bytesSent += bytes;
                packetsSent++;
                bitrate.add(bytes, now);
                w.write(encoded, now, ingestNanos);
                if (!c.flushRequested) {
                    c.flushRequested = true;
                    relay.flushSoon(c.flush);
                }
            }
        }
    }

    /** Starts counting what this destination is sent (a drill begins); on the event loop. */
    void openDeliveryWindow() {
        delivery.open();
    }

    /** What this destination was sent since {@link #openDeliveryWindow()}; on the event loop. */
    DrillDelivery delivery(long reconnectsSinceOpen) {
        return delivery.report(name, reconnectsSinceOpen);
    }

    /** How many writes the current connection made straight to the socket (tests; on the event loop). */
    long gatheredWrites() {
        DestinationConnection c = current;
        DirectSocketWriter w = c == null ? null : c.writer;
        return w == null ? 0 : w.gatheredWrites();
    }

    boolean isLive() {
        DestinationConnection c = current;
        return c != null && c.live;
    }

    int messageStreamId() {
        DestinationConnection c = current;
        return c == null ? 0 : c.messageStreamId;
    }

    DestinationStatus status() {
        DestinationState s = state;
        DestinationConnection c = current;
        long now = System.nanoTime();
        boolean live = s == DestinationState.LIVE && c != null && c.live;
        return new DestinationStatus(
                name,
                addresses.get(c != null ? c.addressIndex : addressIndex).redacted(),
                s,
                nextAttemptAt,
                lastError,
                live ? (now - liveSinceNanos) / 1_000_000 : 0,
                (long) (bitrate.perSecond(now) * 8),
                bytesSent,
                packetsSent,
                framesDropped,
                gopsDropped,
                reconnects,
                c != null ? c.pendingBytesSnapshot() : 0,
                Math.max(peakPendingBytes, c != null ? c.peak() : 0),
                settings.maxPendingBytes(),
                live && now - Math.max(lastMediaSentNanos, liveSinceNanos - IDLE_AFTER_NANOS) >= IDLE_AFTER_NANOS);
    }

    private void transition(DestinationState next, String reason) {
        DestinationState previous = state;
        state = next;
        events.add(new DestinationEvent(Instant.now(), channelName, name, previous, next, reason));
        LOG.info(
                "event=destination-state channel={} destination={} from={} to={} reason=\"{}\"",
                channelName,
                name,
                previous,
                next,
                reason);
    }

    private void cancelTimers() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }
}
