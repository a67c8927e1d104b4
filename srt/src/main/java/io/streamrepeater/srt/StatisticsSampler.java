package io.streamrepeater.srt;

import io.streamrepeater.srt.binding.LibSrt;
import io.streamrepeater.srt.binding.TraceBStats;
import io.streamrepeater.status.SrtLinkStatus;

/**
 * Reads one connection's {@code srt_bstats} (never clearing it) into {@link SrtLinkStatus}. The receive
 * rate is computed from the byte counter between two samples, so it is the rate of the last interval
 * rather than libsrt's average since the connection began.
 */
final class StatisticsSampler {
    private static final int SRT_ERROR = -1;

    private final LibSrt api;
    private final int socket;
    private final TraceBStats stats = new TraceBStats();
    private long previousBytes = -1;
    private long previousMs;

    StatisticsSampler(LibSrt api, int socket) {
        this.api = api;
        this.socket = socket;
    }

    /** A sample now, or {@code null} when libsrt has none (the socket is gone). */
    SrtLinkStatus sample() {
        if (api.srt_bstats(socket, stats, 0) == SRT_ERROR) {
            return null;
        }
        long bytes = stats.byteRecvTotal;
        long elapsedMs = stats.msTimeStamp - previousMs;
        double rateMbps;
        if (previousBytes < 0 || elapsedMs <= 0) {
            rateMbps = stats.mbpsRecvRate;
        } else {
            rateMbps = (bytes - previousBytes) * 8.0 / elapsedMs / 1000.0;
        }
        previousBytes = bytes;
        previousMs = stats.msTimeStamp;
        return new SrtLinkStatus(
                stats.msRTT,
                rateMbps,
                stats.mbpsBandwidth,
                stats.msRcvTsbPdDelay,
                stats.pktRecvTotal,
                stats.pktRcvLossTotal,
                stats.pktRcvRetrans,
                stats.pktRcvDropTotal,
                bytes);
    }
}
