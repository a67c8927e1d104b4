package io.streamrepeater.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.RateMeter;
import io.streamrepeater.rtmp.session.PublishClientSession;
import io.streamrepeater.rtmp.session.PublishListener;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationEvent;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import io.streamrepeater.status.DrillDelivery;
import java.io.IOException;
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
 */
final class Destination {
    private static final Logger LOG = LoggerFactory.getLogger(Destination.class);
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
    private volatile Connection current;
    /** Gathering writes made straight to the socket (plain TCP on the native transport); on the loop only. */
    private long gatheredWrites;

    private boolean enabled;
    private int addressIndex;
    private ScheduledFuture<?> retry;

    Destination(
            String channelName,
            String name,
            List<RtmpUrl> addresses,
            EventLoop loop,
            OutboundConnector connector,
            ChannelRelay relay,
            SupervisionSettings settings,
            DestinationEventLog events,
            LatencyHistogram latency) {
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
     * {@link #hangUp}). Counters are kept for a later {@link #enable}.
     *
     * @return completes when the connection is closed (at once when there was none)
     */
    Future<Void> disable(String reason) {
        Promise<Void> closed = loop.newPromise();
        loop.execute(() -> {
            boolean wasEnabled = enabled;
            enabled = false;
            cancelTimers();
            Connection c = current;
            current = null;
            if (c != null) {
                hangUp(c).addListener(f -> closed.trySuccess(null));
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
     * Ends a connection: a live publish gets {@code FCUnpublish} and {@code deleteStream} behind its queued media,
     * so the destination ends the stream at once rather than when it notices a dropped socket; the connection is
     * closed once they are written, or after {@link #UNPUBLISH_GRACE_MS} at the latest. Anything else is closed now.
     */
    private ChannelFuture hangUp(Connection c) {
        PublishClientSession session =
                c.live && c.channel.isActive() ? c.channel.pipeline().get(PublishClientSession.class) : null;
        if (session == null) {
            return c.channel.close();
        }
        c.flushNow(); // this turn's media first: the unpublish commands go behind it
        ScheduledFuture<?> grace = loop.schedule(
                () -> {
                    if (c.channel.isOpen()) {
                        LOG.warn(
                                "event=destination-unpublish-timeout channel={} destination={} url={} pendingBytes={}"
                                        + " graceMs={}",
                                channelName,
                                name,
                                c.url.redacted(),
                                c.pending.pendingBytes(),
                                UNPUBLISH_GRACE_MS);
                        c.channel.close();
                    }
                },
                UNPUBLISH_GRACE_MS,
                TimeUnit.MILLISECONDS);
        c.channel.closeFuture().addListener(f -> grace.cancel(false));
        session.unpublish().addListener(written -> {
            LOG.info(
                    "event=destination-unpublished channel={} destination={} url={} written={}",
                    channelName,
                    name,
                    c.url.redacted(),
                    written.isSuccess());
            c.channel.close();
        });
        return c.channel.closeFuture();
    }

    /** Starts disabled: configured but not connected. */
    void startDisabled() {
        disable("configured disabled");
    }

    private void connect(String reason) {
        if (!enabled) {
            return;
        }
        nextAttemptAt = null;
        RtmpUrl url = addresses.get(addressIndex);
        transition(DestinationState.CONNECTING, reason + "; connecting to " + url.redacted());
        Connection c = new Connection(url, addressIndex);
        ChannelFuture f = connector.connect(loop, url, settings.ackWindowBytes(), c);
        c.channel = f.channel();
        current = c;
        f.addListener(done -> {
            if (!done.isSuccess()) {
                c.failIfFirst(FailureKind.of(done.cause()), describe(done.cause()));
                ended(c);
            } else {
                c.channel.closeFuture().addListener(closed -> ended(c));
            }
        });
    }

    /** The connection is gone: schedule the next attempt. */
    private void ended(Connection c) {
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
        if (c.live && System.nanoTime() - c.liveSinceNanos >= TimeUnit.MILLISECONDS.toNanos(settings.stableMs())) {
            backoff.reset();
        }
        if (addresses.size() > 1) {
            addressIndex = 1 - c.addressIndex;
        }
        long delay = kind == FailureKind.REJECTED ? settings.rejectedRetryMs() : backoff.nextDelayMs();
        reconnects++;
        lastError = kind.label() + ": " + detail;
        nextAttemptAt = Instant.now().plusMillis(delay);
        transition(
                kind == FailureKind.REJECTED ? DestinationState.FAILED : DestinationState.RETRYING,
                lastError + "; from " + c.url.redacted() + "; retry in " + delay + " ms");
        retry = loop.schedule(() -> connect("retry " + reconnects), delay, TimeUnit.MILLISECONDS);
    }

    /** Periodic: a destination behind too long or a peer that stopped acknowledging is reconnected. */
    /**
     * Looks at the live connection, if any: too far behind, no acknowledgement, or time to probe the primary
     * address again. Called by the relay's one watchdog every {@link #WATCHDOG_PERIOD_MS}, on the event loop.
     */
    void check() {
        Connection c = current;
        if (c != null) {
            check(c);
        }
    }

    private void check(Connection c) {
        if (c != current || !c.live) {
            return;
        }
        long now = System.nanoTime();
        long oldestMs = c.pending.oldestAgeMs(now);
        peakPendingBytes = Math.max(peakPendingBytes, c.pending.peakBytes());
        if (dropPolicy.behindTooLong(oldestMs, now / 1_000_000)) {
            c.abort(
                    FailureKind.BEHIND,
                    "behind for more than " + settings.behindLimitMs() + " ms (" + c.pending.pendingBytes()
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
    private void probePrimary(Connection c) {
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
        Connection c = current;
        if (c == null || !c.live) {
            return;
        }
        long now = System.nanoTime();
        int bytes = encoded.length();
        GopDropPolicy.Verdict verdict = dropPolicy.offer(
                header, keyframe, bytes, c.pending.pendingBytes(), c.pending.oldestAgeMs(now), now / 1_000_000);
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
                            c.pending.pendingBytes(),
                            c.pending.oldestAgeMs(now));
                }
            }
            case RECONNECT ->
                c.abort(
                        FailureKind.BEHIND,
                        "send queue would exceed " + settings.maxPendingBytes()
                                + " bytes or stayed behind past " + settings.behindLimitMs() + " ms ("
                                + c.pending.pendingBytes() + " bytes queued)");
            case SEND -> {
                delivery.sent(packet, bytes);
                if (!header) {
                    lastMediaSentNanos = now;
                }
                c.bytesWritten += bytes;
                bytesSent += bytes;
                packetsSent++;
                bitrate.add(bytes, now);
                if (c.direct) {
                    c.hold(encoded, ingestNanos);
                } else {
                    c.writeThroughPipeline(encoded, 0, now, ingestNanos);
                }
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

    /** How many writes went straight to the socket (tests; on the event loop). */
    long gatheredWrites() {
        return gatheredWrites;
    }

    boolean isLive() {
        Connection c = current;
        return c != null && c.live;
    }

    int messageStreamId() {
        Connection c = current;
        return c == null ? 0 : c.messageStreamId;
    }

    DestinationStatus status() {
        DestinationState s = state;
        Connection c = current;
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
                c != null ? c.pendingBytesSnapshot : 0,
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

    /** {@code text} with every occurrence of the destination's stream key replaced by {@code ****}. */
    static String redactKey(String text, RtmpUrl url) {
        String key = url.streamName();
        return key == null || key.isEmpty() ? text : text.replace(key, "****");
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** One connection attempt and, once accepted, its publish session; its callbacks ignore a stale connection. */
    private final class Connection implements PublishListener {
        Channel channel;
        final RtmpUrl url;
        final int addressIndex;
        final PendingWrites pending = new PendingWrites();
        final ChannelFutureListener writeDone;
        volatile long pendingBytesSnapshot;
        /** Written since the last flush; the relay flushes at the end of this turn of the event loop. */
        boolean flushRequested;
        /** Runs {@link #flushNow} (one object per connection, none per write). */
        final Runnable flush = this::flushNow;

        boolean live;
        boolean probing;
        int messageStreamId;
        long liveSinceNanos;
        long bytesWritten;
        boolean ackSeen;
        long lastAckNanos;
        long bytesAtLastAck;
        FailureKind failureKind;
        String failureDetail;

        /**
         * Gathering writes straight to the socket: a plain TCP connection on the native transport (no TLS handler
         * between us and the socket). Decided when the publish goes live.
         */
        boolean direct;

        private FileDescriptor fd;
        /** Messages held in this turn of the event loop for one gathering write at its end (direct only). */
        private EncodedMessage[] held = new EncodedMessage[8];

        private long[] heldIngestNanos = new long[8];
        private int heldCount;
        /** Something was written through the pipeline since the last flush. */
        private boolean pipelineWritten;

        /** Hands everything written since the last flush to the socket. */
        void flushNow() {
            flushRequested = false;
            if (heldCount > 0) {
                writeHeld();
            }
            if (pipelineWritten) {
                pipelineWritten = false;
                channel.flush();
            }
        }

        /** Keeps {@code m} (one more reference) until the end of this turn of the event loop. */
        void hold(EncodedMessage m, long ingestNanos) {
            if (heldCount == held.length) {
                held = java.util.Arrays.copyOf(held, heldCount * 2);
                heldIngestNanos = java.util.Arrays.copyOf(heldIngestNanos, heldCount * 2);
            }
            held[heldCount] = m.retain();
            heldIngestNanos[heldCount] = ingestNanos;
            heldCount++;
        }

        /**
         * Writes this turn's held messages with one {@code writev} when nothing is queued in Netty (the usual case:
         * the socket took everything before); what the socket does not take, and everything while Netty still has
         * bytes queued, goes through the pipeline behind them, which waits for the socket to become writable.
         */
        private void writeHeld() {
            int n = heldCount;
            heldCount = 0;
            try {
                if (!channel.isActive()) {
                    return;
                }
                long written = 0;
                if (pipelineIdle() && allGatherable(n)) {
                    GatherBuffers iov = GatherBuffers.get();
                    for (int i = 0; i < n && held[i].addTo(iov); i++) {
                        // added; a message that did not fit entirely goes through the pipeline from where it stopped
                    }
                    try {
                        written = iov.count() == 0 ? 0 : fd.writevAddresses(iov.address(), iov.count());
                        gatheredWrites++;
                    } catch (IOException e) {
                        failIfFirst(FailureKind.of(e), describe(e));
                        channel.close();
                        return;
                    }
                }
                long now = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    int length = held[i].length();
                    if (written >= length) {
                        written -= length;
                        if (heldIngestNanos[i] != 0) {
                            latency.recordNanos(now - heldIngestNanos[i]);
                        }
                    } else {
                        writeThroughPipeline(held[i], (int) written, now, heldIngestNanos[i]);
                        written = 0;
                    }
                }
            } finally {
                for (int i = 0; i < n; i++) {
                    held[i].release();
                    held[i] = null;
                }
            }
        }

        private boolean allGatherable(int n) {
            for (int i = 0; i < n; i++) {
                if (!held[i].gatherable()) {
                    return false;
                }
            }
            return true;
        }

        /** Nothing of ours or of the session's waits in Netty's outbound buffer, so a direct write keeps the order. */
        private boolean pipelineIdle() {
            ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
            return out != null && out.totalPendingWriteBytes() == 0;
        }

        /** Queues {@code m} from byte {@code offset} on in Netty; completion is counted by {@link #writeDone}. */
        void writeThroughPipeline(EncodedMessage m, int offset, long now, long ingestNanos) {
            pending.queued(m.length() - offset, now, ingestNanos);
            pendingBytesSnapshot = pending.pendingBytes();
            m.writeFrom(offset, channel, channel.newPromise().addListener(writeDone));
            pipelineWritten = true;
        }

        Connection(RtmpUrl url, int addressIndex) {
            this.url = url;
            this.addressIndex = addressIndex;
            this.writeDone = done -> {
                long ingestNanos = pending.completed();
                if (ingestNanos != 0 && done.isSuccess()) {
                    latency.recordNanos(System.nanoTime() - ingestNanos);
                }
                pendingBytesSnapshot = pending.pendingBytes();
            };
        }

        long peak() {
            return pending.peakBytes();
        }

        void failIfFirst(FailureKind kind, String detail) {
            if (failureKind == null) {
                failureKind = kind;
                failureDetail = detail;
            }
        }

        void abort(FailureKind kind, String detail) {
            failIfFirst(kind, detail);
            LOG.warn(
                    "event=destination-abort channel={} destination={} url={} kind={} reason=\"{}\"",
                    channelName,
                    name,
                    url.redacted(),
                    kind.label(),
                    detail);
            channel.close();
        }

        @Override
        public void live(Channel ch, int streamId) {
            if (this != current || !enabled) {
                return;
            }
            live = true;
            delivery.newSession();
            if (ch instanceof UnixChannel unix && ch.pipeline().get(SslHandler.class) == null) {
                direct = true;
                fd = unix.fd();
            }
            messageStreamId = streamId;
            liveSinceNanos = System.nanoTime();
            Destination.this.liveSinceNanos = liveSinceNanos;
            lastAckNanos = liveSinceNanos;
            dropPolicy.resync();
            transition(
                    DestinationState.LIVE,
                    "publishing to " + url.redacted()
                            + (addresses.size() > 1 ? (addressIndex == 0 ? " (primary)" : " (backup)") : ""));
            relay.destinationLive(Destination.this);
        }

        @Override
        public void rejected(String statusCode, String description) {
            // A platform may quote the stream name (the key) in its refusal: never carry it into logs, API or events.
            String text = redactKey(description, url);
            failIfFirst(FailureKind.REJECTED, statusCode + (text.isEmpty() ? "" : " \"" + text + "\""));
        }

        @Override
        public void acknowledged(long sequenceNumber) {
            ackSeen = true;
            lastAckNanos = System.nanoTime();
            bytesAtLastAck = bytesWritten;
        }

        @Override
        public void failed(Throwable cause) {
            failIfFirst(FailureKind.of(cause), describe(cause));
        }
    }
}
