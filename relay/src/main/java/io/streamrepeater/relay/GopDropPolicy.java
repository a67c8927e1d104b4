package io.streamrepeater.relay;

/**
 * What one destination does with each packet of the output, given how far behind its send queue is.
 * Decisions are taken at GOP boundaries: a keyframe that finds the queue behind drops its whole GOP
 * (every packet up to the next keyframe, audio included, so audio never plays without its video context);
 * a GOP that was started is sent whole. Sequence headers and metadata are never dropped. Memory stays
 * bounded because a packet that would push the queue past its byte bound, or a destination that has
 * been behind longer than the limit, asks for a reconnect instead.
 *
 * <p>Pure decisions over numbers the caller measures; not thread-safe (one per connection, on its loop).
 */
final class GopDropPolicy {
    /** What to do with a packet. */
    enum Verdict {
        SEND,
        DROP,
        /** The queue cannot take it without breaking its bound or a GOP: close and reconnect. */
        RECONNECT
    }

    private final long maxPendingBytes;
    private final long maxQueueDelayMs;
    private final long behindLimitMs;
    private boolean awaitingKeyframe = true;
    private boolean droppingGop;
    private long behindSinceMs = -1;
    private long framesDropped;
    private long gopsDropped;

    /** See {@link SupervisionSettings} for the meaning of the limits. */
    GopDropPolicy(long maxPendingBytes, long maxQueueDelayMs, long behindLimitMs) {
        this.maxPendingBytes = maxPendingBytes;
        this.maxQueueDelayMs = maxQueueDelayMs;
        this.behindLimitMs = behindLimitMs;
    }

    /**
     * @param header a sequence header or metadata
     * @param keyframe a video keyframe (a GOP starts here)
     * @param bytes encoded size of the packet
     * @param pendingBytes bytes queued and not yet taken by the socket
     * @param oldestPendingAgeMs age of the oldest queued write, 0 when the queue is empty
     * @param nowMs the caller's clock
     */
    Verdict offer(
            boolean header, boolean keyframe, long bytes, long pendingBytes, long oldestPendingAgeMs, long nowMs) {
        if (header) {
            return fits(bytes, pendingBytes) ? Verdict.SEND : Verdict.RECONNECT;
        }
        if (keyframe) {
            boolean behind = pendingBytes > maxPendingBytes / 2 || oldestPendingAgeMs > maxQueueDelayMs;
            if (behind) {
                if (behindSinceMs < 0) {
                    behindSinceMs = nowMs;
                }
                if (nowMs - behindSinceMs > behindLimitMs) {
                    return Verdict.RECONNECT;
                }
                droppingGop = true;
                awaitingKeyframe = false;
                gopsDropped++;
                framesDropped++;
                return Verdict.DROP;
            }
            behindSinceMs = -1;
            droppingGop = false;
            awaitingKeyframe = false;
            return fits(bytes, pendingBytes) ? Verdict.SEND : Verdict.RECONNECT;
        }
        if (awaitingKeyframe || droppingGop) {
            framesDropped++;
            return Verdict.DROP;
        }
        return fits(bytes, pendingBytes) ? Verdict.SEND : Verdict.RECONNECT;
    }

    /**
     * Whether a destination that has been behind since a dropped GOP has stayed behind past the limit;
     * checked by a timer as well, so a destination is reconnected even while the input is quiet.
     */
    boolean behindTooLong(long oldestPendingAgeMs, long nowMs) {
        return oldestPendingAgeMs > behindLimitMs || (behindSinceMs >= 0 && nowMs - behindSinceMs > behindLimitMs);
    }

    /** A new session: nothing but headers until the next keyframe. */
    void resync() {
        awaitingKeyframe = true;
        droppingGop = false;
        behindSinceMs = -1;
    }

    private boolean fits(long bytes, long pendingBytes) {
        return pendingBytes + bytes <= maxPendingBytes;
    }

    long framesDropped() {
        return framesDropped;
    }

    long gopsDropped() {
        return gopsDropped;
    }
}
