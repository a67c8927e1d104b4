package io.streamrepeater.status;

/**
 * Snapshot of one input.
 *
 * @param remoteAddress the encoder's address, null while no encoder is connected
 * @param reason why the input is down (null when it is not)
 * @param format what the encoder sends, e.g. "AVC 640x360 30fps keyframes 2000ms, AAC 44100Hz 2ch"; null before headers
 * @param lastPacketAgeMs time since the last media packet, -1 before any
 * @param bitrateBps bits per second received over the last few seconds
 * @param fps video frames per second received over the last few seconds
 * @param transport how the connected encoder publishes: {@code rtmp}, {@code rtmps} or {@code srt}; null while none is
 * @param srt SRT's own link statistics while an SRT encoder is connected, null otherwise
 * @param node the cluster node the encoder is connected to when its media is forwarded to this node over the cluster
 *     link; null when the encoder is connected here (or none is)
 */
public record InputStatus(
        String name,
        int priority,
        InputState state,
        String remoteAddress,
        long packets,
        String reason,
        String format,
        long lastPacketAgeMs,
        long bitrateBps,
        double fps,
        String transport,
        SrtLinkStatus srt,
        String node) {

    /** An input whose encoder (if any) is connected to this node. */
    public InputStatus(
            String name,
            int priority,
            InputState state,
            String remoteAddress,
            long packets,
            String reason,
            String format,
            long lastPacketAgeMs,
            long bitrateBps,
            double fps,
            String transport,
            SrtLinkStatus srt) {
        this(
                name,
                priority,
                state,
                remoteAddress,
                packets,
                reason,
                format,
                lastPacketAgeMs,
                bitrateBps,
                fps,
                transport,
                srt,
                null);
    }
}
