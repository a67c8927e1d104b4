package io.streamrepeater.relay;

/**
 * The send queue of one connection, measured in bytes and in time. Netty's own outbound buffer holds
 * the bytes; this keeps, per write, its size, when it was queued and when its packet arrived at ingest,
 * and forgets it when Netty completes the write (writes complete in order on one channel, so a FIFO
 * suffices). Our own count rather than {@code ChannelOutboundBuffer.totalPendingWriteBytes()}, because the
 * age of the oldest unflushed write is what tells a slow destination from a busy one, and Netty does not
 * keep it. A ring of primitive arrays that grows when full, so the steady path allocates nothing. Not
 * thread-safe: touched only on the connection's event loop.
 */
final class PendingWrites {
    private static final int INITIAL_CAPACITY = 64;

    private long[] sizes = new long[INITIAL_CAPACITY];
    private long[] queuedAt = new long[INITIAL_CAPACITY];
    private long[] ingestAt = new long[INITIAL_CAPACITY];
    private int head;
    private int count;
    private long pendingBytes;
    private long peakBytes;

    /**
     * A write of {@code bytes} was handed to the channel at {@code nowNanos}.
     *
     * @param ingestNanos when the packet's ingest message was complete ({@link System#nanoTime()}), 0 if unknown
     */
    void queued(long bytes, long nowNanos, long ingestNanos) {
        if (count == sizes.length) {
            grow();
        }
        int tail = (head + count) & (sizes.length - 1);
        sizes[tail] = bytes;
        queuedAt[tail] = nowNanos;
        ingestAt[tail] = ingestNanos;
        count++;
        pendingBytes += bytes;
        peakBytes = Math.max(peakBytes, pendingBytes);
    }

    /**
     * The oldest write completed (written to the socket, or failed because the channel closed).
     *
     * @return the ingest time of the completed write's packet, 0 if unknown or nothing was queued
     */
    long completed() {
        if (count == 0) {
            return 0;
        }
        pendingBytes -= sizes[head];
        long ingest = ingestAt[head];
        head = (head + 1) & (sizes.length - 1);
        count--;
        return ingest;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    long peakBytes() {
        return peakBytes;
    }

    /** @return how long the oldest queued write has waited, 0 when nothing is queued */
    long oldestAgeMs(long nowNanos) {
        return count == 0 ? 0 : Math.max(0, (nowNanos - queuedAt[head]) / 1_000_000);
    }

    /** Doubles the ring (capacity stays a power of two), keeping the FIFO order. */
    private void grow() {
        int capacity = sizes.length * 2;
        sizes = unroll(sizes, capacity);
        queuedAt = unroll(queuedAt, capacity);
        ingestAt = unroll(ingestAt, capacity);
        head = 0;
    }

    private long[] unroll(long[] ring, int capacity) {
        long[] bigger = new long[capacity];
        int firstPart = Math.min(count, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, firstPart);
        System.arraycopy(ring, 0, bigger, firstPart, count - firstPart);
        return bigger;
    }
}
