package io.streamrepeater.srt;

/**
 * One sample of an SRT connection's receiving side, from libsrt's {@code srt_bstats}. Counters run from the
 * start of the connection.
 *
 * @param rttMs smoothed round-trip time
 * @param receiveRateMbps what arrived since the previous sample (retransmissions included), in Mbit/s
 * @param bandwidthMbps libsrt's estimate of the link's capacity
 * @param packetsReceived data packets received
 * @param packetsLost packets found missing (a gap in sequence numbers), whether recovered later or not
 * @param packetsRetransmitted retransmitted packets received (how hard the link works to recover losses)
 * @param packetsDropped packets given up as too late for the latency: what the picture really lost
 * @param bytesReceived payload bytes received
 * @param latencyMs the receiver latency both sides agreed on (TSBPD delay)
 */
public record SrtStatistics(double rttMs, double receiveRateMbps, double bandwidthMbps, long packetsReceived,
                            long packetsLost, long packetsRetransmitted, long packetsDropped, long bytesReceived,
                            int latencyMs) {
}
