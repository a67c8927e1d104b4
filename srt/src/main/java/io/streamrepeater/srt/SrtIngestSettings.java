package io.streamrepeater.srt;

import io.streamrepeater.media.ts.TsDemuxer;

/**
 * Limits and timing of the SRT listener.
 *
 * @param latencyMs the receiver latency we ask for (SRTO_RCVLATENCY); the larger of ours and the caller's
 *     wins. Higher absorbs more loss on a bad link at the cost of delay; 120 ms is SRT's usual default
 * @param maxConnections connections (established and in handshake) beyond which callers are refused
 * @param maxPesBytes the largest access unit the transport stream demuxer assembles
 * @param peerIdleTimeoutMs how long a silent caller is kept before its connection counts as broken
 *     (SRTO_PEERIDLETIMEO, libsrt's default 5000). At least 5000: libsrt also waits for 16 unanswered
 *     keep-alive periods of at least 300 ms each, about 4.8 s, so a lower value would change nothing; a higher
 *     one keeps a bonded or cellular link with long gaps. A dead encoder is noticed by the channel's
 *     input-loss timer long before, from the missing media
 */
public record SrtIngestSettings(int latencyMs, int maxConnections, int maxPesBytes, int peerIdleTimeoutMs) {
    public static final int DEFAULT_LATENCY_MS = 120;
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final int DEFAULT_PEER_IDLE_TIMEOUT_MS = 5000;

    public SrtIngestSettings {
        if (latencyMs < 20 || latencyMs > 10_000) {
            throw new IllegalArgumentException("SRT latencyMs must be within 20 to 10000 ms: " + latencyMs);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("SRT maxConnections must be at least 1: " + maxConnections);
        }
        if (maxPesBytes < 4096) {
            throw new IllegalArgumentException("SRT maxPesBytes must be at least 4096: " + maxPesBytes);
        }
        if (peerIdleTimeoutMs < DEFAULT_PEER_IDLE_TIMEOUT_MS || peerIdleTimeoutMs > 60_000) {
            throw new IllegalArgumentException("SRT peerIdleTimeoutMs must be within 5000 to 60000 ms (libsrt"
                    + " needs about 4.8 s of silence anyway): " + peerIdleTimeoutMs);
        }
    }

    /** 120 ms latency, 64 connections, {@link TsDemuxer#DEFAULT_MAX_PES_BYTES}, 5 s idle timeout. */
    public static SrtIngestSettings defaults() {
        return new SrtIngestSettings(
                DEFAULT_LATENCY_MS,
                DEFAULT_MAX_CONNECTIONS,
                TsDemuxer.DEFAULT_MAX_PES_BYTES,
                DEFAULT_PEER_IDLE_TIMEOUT_MS);
    }

    public SrtIngestSettings withLatencyMs(int value) {
        return new SrtIngestSettings(value, maxConnections, maxPesBytes, peerIdleTimeoutMs);
    }

    public SrtIngestSettings withMaxConnections(int value) {
        return new SrtIngestSettings(latencyMs, value, maxPesBytes, peerIdleTimeoutMs);
    }

    public SrtIngestSettings withPeerIdleTimeoutMs(int value) {
        return new SrtIngestSettings(latencyMs, maxConnections, maxPesBytes, value);
    }
}
