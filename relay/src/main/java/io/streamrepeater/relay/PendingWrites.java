package io.streamrepeater.relay;

import java.util.ArrayDeque;

/**
 * The send queue of one connection, measured in bytes and in time. Netty's own outbound buffer holds
 * the bytes; this keeps, per write, its size and when it was queued, and forgets it when Netty completes
 * the write (writes complete in order on one channel, so a FIFO suffices). Our own count rather than
 * {@code ChannelOutboundBuffer.totalPendingWriteBytes()}, because the age of the oldest unflushed write is
 * what tells a slow destination from a busy one, and Netty does not keep it. Not thread-safe: touched only
 * on the connection's event loop.
 */
final class PendingWrites {
    private final ArrayDeque<long[]> writes = new ArrayDeque<>();
    private long pendingBytes;
    private long peakBytes;

    /** A write of {@code bytes} was handed to the channel at {@code nowNanos}. */
    void queued(long bytes, long nowNanos) {
        writes.addLast(new long[] {bytes, nowNanos});
        pendingBytes += bytes;
        peakBytes = Math.max(peakBytes, pendingBytes);
    }

    /** The oldest write completed (written to the socket, or failed because the channel closed). */
    void completed() {
        long[] write = writes.pollFirst();
        if (write != null) {
            pendingBytes -= write[0];
        }
    }

    long pendingBytes() {
        return pendingBytes;
    }

    long peakBytes() {
        return peakBytes;
    }

    /** @return how long the oldest queued write has waited, 0 when nothing is queued */
    long oldestAgeMs(long nowNanos) {
        long[] oldest = writes.peekFirst();
        return oldest == null ? 0 : Math.max(0, (nowNanos - oldest[1]) / 1_000_000);
    }
}
