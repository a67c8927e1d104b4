package io.streamrepeater.relay;

/**
 * The limits of destination supervision, the same for every destination of a relay.
 *
 * @param backoffBaseMs ceiling of the first retry delay (the first retry comes within it)
 * @param backoffCapMs largest retry delay ceiling
 * @param stableMs a session live this long resets the backoff
 * @param rejectedRetryMs pause after the destination rejected the publish (wrong key): no hammering
 * @param ackWindowBytes acknowledgement window announced to the destination
 * @param stallTimeoutMs no acknowledgement for this long, while more than a window is unacknowledged,
 *     counts as a drop (a peer that never acknowledges is not judged)
 * @param maxPendingBytes bound of the send queue (bytes written, not yet taken by the socket); a session
 *     that would exceed it is reconnected
 * @param maxQueueDelayMs a GOP whose keyframe finds the oldest queued write older than this (or the queue
 *     over half of {@code maxPendingBytes}) is dropped whole
 * @param behindLimitMs a destination behind (dropping GOPs, or its oldest write queued) this long is reconnected
 */
public record SupervisionSettings(
        long backoffBaseMs,
        long backoffCapMs,
        long stableMs,
        long rejectedRetryMs,
        long ackWindowBytes,
        long stallTimeoutMs,
        long maxPendingBytes,
        long maxQueueDelayMs,
        long behindLimitMs) {
    public static final long DEFAULT_BACKOFF_CAP_MS = 30_000;

    public SupervisionSettings {
        requirePositive("backoffBaseMs", backoffBaseMs);
        if (backoffCapMs < backoffBaseMs) {
            throw new IllegalArgumentException(
                    "backoffCapMs " + backoffCapMs + " is below backoffBaseMs " + backoffBaseMs);
        }
        requirePositive("stableMs", stableMs);
        requirePositive("rejectedRetryMs", rejectedRetryMs);
        requirePositive("ackWindowBytes", ackWindowBytes);
        requirePositive("stallTimeoutMs", stallTimeoutMs);
        if (maxPendingBytes < 64 * 1024) {
            throw new IllegalArgumentException(
                    "maxPendingBytes " + maxPendingBytes + " is below 64 KiB: not even one" + " keyframe would fit");
        }
        requirePositive("maxQueueDelayMs", maxQueueDelayMs);
        if (behindLimitMs <= maxQueueDelayMs) {
            throw new IllegalArgumentException("behindLimitMs " + behindLimitMs + " must exceed maxQueueDelayMs "
                    + maxQueueDelayMs + " so a late destination gets a chance to catch up by GOP drops");
        }
    }

    /** First retry within 1 s, cap 30 s, stable after a minute, rejected keys every 60 s, 10 s stall and behind limits. */
    public static SupervisionSettings defaults() {
        return new SupervisionSettings(
                1_000, DEFAULT_BACKOFF_CAP_MS, 60_000, 60_000, 256 * 1024, 10_000, 8 * 1024 * 1024, 2_000, 10_000);
    }

    /** The same settings with another backoff cap. */
    public SupervisionSettings withBackoffCapMs(long capMs) {
        return new SupervisionSettings(
                backoffBaseMs,
                capMs,
                stableMs,
                rejectedRetryMs,
                ackWindowBytes,
                stallTimeoutMs,
                maxPendingBytes,
                maxQueueDelayMs,
                behindLimitMs);
    }

    /** The same settings with another stall timeout. */
    public SupervisionSettings withStallTimeoutMs(long timeoutMs) {
        return new SupervisionSettings(
                backoffBaseMs,
                backoffCapMs,
                stableMs,
                rejectedRetryMs,
                ackWindowBytes,
                timeoutMs,
                maxPendingBytes,
                maxQueueDelayMs,
                behindLimitMs);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
