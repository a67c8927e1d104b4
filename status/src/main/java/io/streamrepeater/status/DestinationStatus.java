package io.streamrepeater.status;

import java.time.Instant;

/**
 * Snapshot of one supervised destination connection; {@code url} is already redacted (no stream key).
 * A destination with a backup address in {@code both} mode shows as two rows, {@code NAME} and
 * {@code NAME/backup}.
 *
 * @param nextAttemptAt when the next connection attempt is due while {@code RETRYING} or {@code FAILED}, else null
 * @param lastError the last error with its class and the peer's own status text, null if none yet
 * @param uptimeMs time since the current session went live, 0 unless {@code LIVE}
 * @param bitrateBps bits per second sent over the last few seconds
 * @param bytesSent media bytes handed to the connection, over all sessions
 * @param packetsSent media messages handed to the connection, over all sessions
 * @param framesDropped media messages not sent: waiting for a keyframe or dropped with their GOP
 * @param gopsDropped whole GOPs dropped because the destination was behind
 * @param reconnects connection attempts after the first
 * @param pendingBytes bytes written but not yet taken by the socket
 * @param peakPendingBytes the largest {@code pendingBytes} seen
 * @param maxPendingBytes the bound on {@code pendingBytes} (a session that would exceed it is reconnected)
 * @param idle {@code LIVE} (the publish session is open) but no media was sent for {@link #IDLE_AFTER_MS}: nothing
 *     feeds the channel (no input, no slate). Shown as IDLE, not as live; scripts that wait for {@code LIVE} keep
 *     working
 */
public record DestinationStatus(
        String name,
        String url,
        DestinationState state,
        Instant nextAttemptAt,
        String lastError,
        long uptimeMs,
        long bitrateBps,
        long bytesSent,
        long packetsSent,
        long framesDropped,
        long gopsDropped,
        long reconnects,
        long pendingBytes,
        long peakPendingBytes,
        long maxPendingBytes,
        boolean idle) {
    /** How long a live session goes without media before it shows as idle. */
    public static final long IDLE_AFTER_MS = 2000;
}
