package io.streamrepeater.status;

/**
 * What SRT itself measures on an input's connection (libsrt's {@code srt_bstats} on the receiving side), refreshed
 * about once a second. Counters are totals since the connection started.
 *
 * @param rttMs smoothed round-trip time
 * @param receiveRateMbps payload received recently
 * @param bandwidthMbps the link capacity SRT estimates
 * @param latencyMs the receive latency both ends agreed on (the retransmission budget)
 * @param packetsReceived data packets received
 * @param packetsLost packets found missing (each may still arrive by retransmission)
 * @param packetsRetransmitted retransmitted packets received
 * @param packetsDropped packets that arrived too late or never and were skipped: these are holes in the media
 * @param bytesReceived payload bytes received
 */
public record SrtLinkStatus(
        double rttMs,
        double receiveRateMbps,
        double bandwidthMbps,
        int latencyMs,
        long packetsReceived,
        long packetsLost,
        long packetsRetransmitted,
        long packetsDropped,
        long bytesReceived) {}
