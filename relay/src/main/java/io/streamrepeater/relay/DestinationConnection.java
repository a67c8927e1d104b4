package io.streamrepeater.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamrepeater.rtmp.session.PublishClientSession;
import io.streamrepeater.rtmp.session.PublishListener;
import io.streamrepeater.rtmp.session.RtmpUrl;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection attempt of a {@link Destination} and, once accepted, its publish session: what the connection knows
 * (address, why it failed, acknowledgements, its writer) and how it ends. Whether it is still the destination's
 * current connection is the destination's business: its callbacks ignore a stale connection there. Used on the
 * channel's event loop; the fields other threads read ({@link #writer}) are volatile.
 */
final class DestinationConnection implements PublishListener {
    /** Its lines are a destination's lines: logged under the same logger name as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(Destination.class);

    /** Told when the publish of a connection is accepted; on the event loop. */
    @FunctionalInterface
    interface LiveListener {
        void live(DestinationConnection connection, Channel channel, int messageStreamId);
    }

    private final String channelName;
    private final String destinationName;
    private final LiveListener onLive;

    Channel channel;
    final RtmpUrl url;
    final int addressIndex;
    /** Written since the last flush; the relay flushes at the end of this turn of the event loop. */
    boolean flushRequested;
    /** Runs {@link #flushNow} (one object per connection, none per write). */
    final Runnable flush = this::flushNow;
    /** The write side, from the moment the publish is live; null before. */
    volatile DirectSocketWriter writer;

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

    /** @param channelName and {@code destinationName}: for log lines */
    DestinationConnection(
            String channelName, String destinationName, RtmpUrl url, int addressIndex, LiveListener onLive) {
        this.channelName = channelName;
        this.destinationName = destinationName;
        this.url = url;
        this.addressIndex = addressIndex;
        this.onLive = onLive;
    }

    /**
     * The publish was accepted on {@code ch}: media may be written from now on.
     *
     * @param latency where the writer records each live message's ingest-to-socket-write latency
     */
    void goLive(Channel ch, int streamId, LatencyHistogram latency) {
        live = true;
        writer = new DirectSocketWriter(ch, latency, e -> failIfFirst(FailureKind.of(e), describe(e)));
        messageStreamId = streamId;
        liveSinceNanos = System.nanoTime();
        lastAckNanos = liveSinceNanos;
    }

    /** Hands everything written since the last flush to the socket. */
    void flushNow() {
        flushRequested = false;
        DirectSocketWriter w = writer;
        if (w != null) {
            w.flush();
        }
    }

    /** Bytes waiting in Netty's outbound buffer, as of the last write; safe from any thread. */
    long pendingBytesSnapshot() {
        DirectSocketWriter w = writer;
        return w == null ? 0 : w.pendingBytesSnapshot();
    }

    /** The most ever queued in Netty at once, in bytes. */
    long peak() {
        DirectSocketWriter w = writer;
        return w == null ? 0 : w.peakBytes();
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
                destinationName,
                url.redacted(),
                kind.label(),
                detail);
        channel.close();
    }

    /**
     * Ends the connection: a live publish gets {@code FCUnpublish} and {@code deleteStream} behind its queued media,
     * so the destination ends the stream at once rather than when it notices a dropped socket; the connection is
     * closed once they are written, or after {@code graceMs} at the latest. Anything else is closed now.
     *
     * @return completes when the connection is closed
     */
    ChannelFuture hangUp(EventLoop loop, long graceMs) {
        PublishClientSession session =
                live && channel.isActive() ? channel.pipeline().get(PublishClientSession.class) : null;
        if (session == null) {
            return channel.close();
        }
        flushNow(); // this turn's media first: the unpublish commands go behind it
        ScheduledFuture<?> grace = loop.schedule(
                () -> {
                    if (channel.isOpen()) {
                        LOG.warn(
                                "event=destination-unpublish-timeout channel={} destination={} url={} pendingBytes={}"
                                        + " graceMs={}",
                                channelName,
                                destinationName,
                                url.redacted(),
                                writer.pendingBytes(),
                                graceMs);
                        channel.close();
                    }
                },
                graceMs,
                TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> grace.cancel(false));
        session.unpublish().addListener(written -> {
            LOG.info(
                    "event=destination-unpublished channel={} destination={} url={} written={}",
                    channelName,
                    destinationName,
                    url.redacted(),
                    written.isSuccess());
            channel.close();
        });
        return channel.closeFuture();
    }

    @Override
    public void live(Channel ch, int streamId) {
        onLive.live(this, ch, streamId);
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

    /** {@code text} with every occurrence of the destination's stream key replaced by {@code ****}. */
    static String redactKey(String text, RtmpUrl url) {
        String key = url.streamName();
        return key == null || key.isEmpty() ? text : text.replace(key, "****");
    }

    /** The root cause of {@code t}, as its class name and message. */
    static String describe(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
