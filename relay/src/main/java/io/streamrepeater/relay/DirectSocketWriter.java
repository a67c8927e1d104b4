package io.streamrepeater.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The write side of one live destination connection. On a plain TCP connection of the native transport (no TLS
 * handler between us and the socket) the messages of one turn of the event loop are held and, at the flush, written
 * with one gathering {@code writev} straight to the socket, as long as Netty has nothing of ours or of the session's
 * queued (so the order on the wire stays the order of the writes). What the socket does not take, and everything
 * while Netty still has bytes queued or when the connection is not direct, goes through Netty's outbound buffer,
 * which waits for the socket to become writable; {@link PendingWrites} keeps the size and age of that queue for the
 * drop policy.
 *
 * <p>Not thread-safe: used on the connection's event loop only, except {@link #pendingBytesSnapshot()}.
 */
final class DirectSocketWriter {
    private final Channel channel;
    private final LatencyHistogram latency;
    private final Consumer<IOException> writeFailed;
    /** Our own count of what waits in Netty's outbound buffer, in bytes and in time. */
    private final PendingWrites pending = new PendingWrites();
    /** Counts a write through Netty as done; one object per connection, none per write. */
    private final ChannelFutureListener writeDone;

    /** The socket's descriptor when writes go straight to it; null when everything goes through Netty. */
    private final FileDescriptor fd;

    private volatile long pendingBytesSnapshot;
    /** Messages held in this turn of the event loop for one gathering write at its end (direct only). */
    private EncodedMessage[] held = new EncodedMessage[8];

    private long[] heldIngestNanos = new long[8];
    private int heldCount;
    /** Something was written through the pipeline since the last flush. */
    private boolean pipelineWritten;
    /** Gathering writes made straight to the socket. */
    private long gatheredWrites;

    /**
     * @param channel the live connection; writes go straight to its socket if it is a {@link UnixChannel} without an
     *     {@link SslHandler}, decided once here
     * @param latency where each live message's ingest-to-socket-write latency is recorded
     * @param writeFailed told when a direct write fails, before this writer closes the channel
     */
    DirectSocketWriter(Channel channel, LatencyHistogram latency, Consumer<IOException> writeFailed) {
        this.channel = channel;
        this.latency = latency;
        this.writeFailed = writeFailed;
        this.fd = channel instanceof UnixChannel unix && channel.pipeline().get(SslHandler.class) == null
                ? unix.fd()
                : null;
        this.writeDone = done -> {
            long ingestNanos = pending.completed();
            if (ingestNanos != 0 && done.isSuccess()) {
                latency.recordNanos(System.nanoTime() - ingestNanos);
            }
            pendingBytesSnapshot = pending.pendingBytes();
        };
    }

    /** Whether this turn's messages go straight to the socket (when Netty has nothing queued). */
    boolean direct() {
        return fd != null;
    }

    /**
     * Writes {@code m} behind everything written before; it leaves at the next {@link #flush()}.
     *
     * @param m borrowed: a direct connection keeps one more reference ({@link EncodedMessage#retain()}) until the
     *     flush, the pipeline path queues retained duplicates of its parts; the caller still releases its own
     * @param nowNanos {@link System#nanoTime()} now, when the write is queued
     * @param ingestNanos when its packet arrived at ingest ({@link System#nanoTime()}); 0 to leave it out of the
     *     latency histogram
     */
    void write(EncodedMessage m, long nowNanos, long ingestNanos) {
        if (fd != null) {
            hold(m, ingestNanos);
        } else {
            writeThroughPipeline(m, 0, nowNanos, ingestNanos);
        }
    }

    /** Hands everything written since the last flush to the socket. */
    void flush() {
        if (heldCount > 0) {
            writeHeld();
        }
        if (pipelineWritten) {
            pipelineWritten = false;
            channel.flush();
        }
    }

    /** Bytes queued in Netty and not yet written to the socket (on the event loop). */
    long pendingBytes() {
        return pending.pendingBytes();
    }

    /** {@link #pendingBytes()} as of the last queued or completed write; safe from any thread. */
    long pendingBytesSnapshot() {
        return pendingBytesSnapshot;
    }

    /** The most ever queued in Netty at once, in bytes. */
    long peakBytes() {
        return pending.peakBytes();
    }

    /** How long the oldest write queued in Netty has waited, 0 when nothing is queued. */
    long oldestAgeMs(long nowNanos) {
        return pending.oldestAgeMs(nowNanos);
    }

    /** How many writes went straight to the socket. */
    long gatheredWrites() {
        return gatheredWrites;
    }

    /** Keeps {@code m} (one more reference) until the end of this turn of the event loop. */
    private void hold(EncodedMessage m, long ingestNanos) {
        if (heldCount == held.length) {
            held = Arrays.copyOf(held, heldCount * 2);
            heldIngestNanos = Arrays.copyOf(heldIngestNanos, heldCount * 2);
        }
        held[heldCount] = m.retain();
        heldIngestNanos[heldCount] = ingestNanos;
        heldCount++;
    }

    /**
     * Writes this turn's held messages with one {@code writev} when nothing is queued in Netty (the usual case: the
     * socket took everything before); what the socket does not take, and everything while Netty still has bytes
     * queued, goes through the pipeline behind them, which waits for the socket to become writable. Releases the
     * held references.
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
                    writeFailed.accept(e);
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
    private void writeThroughPipeline(EncodedMessage m, int offset, long now, long ingestNanos) {
        pending.queued(m.length() - offset, now, ingestNanos);
        pendingBytesSnapshot = pending.pendingBytes();
        m.writeFrom(offset, channel, channel.newPromise().addListener(writeDone));
        pipelineWritten = true;
    }
}
