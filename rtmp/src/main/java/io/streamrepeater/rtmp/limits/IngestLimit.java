package io.streamrepeater.rtmp.limits;

import io.streamrepeater.rtmp.chunk.ChunkLimitException;

/** The limits an ingest connection can hit; the label is what log lines and metrics call it. */
public enum IngestLimit {
    HANDSHAKE_TIMEOUT("handshake-timeout"),
    PUBLISH_TIMEOUT("publish-timeout"),
    MAX_CONNECTIONS("max-connections"),
    MAX_CONNECTIONS_PER_ADDRESS("max-connections-per-address"),
    MAX_CHUNK_SIZE("max-chunk-size"),
    MAX_MESSAGE_SIZE("max-message-size"),
    MAX_CHUNK_STREAMS("max-chunk-streams"),
    MAX_PENDING_BYTES("max-pending-bytes"),
    SERVER_PENDING_BYTES("server-pending-bytes");

    private final String label;

    IngestLimit(String label) {
        this.label = label;
    }

    /** @return the kebab-case name used in {@code limit=} and {@code reason=} */
    public String label() {
        return label;
    }

    /** @return the ingest limit that a chunk decoder limit is reported as */
    public static IngestLimit of(ChunkLimitException.Limit limit) {
        return switch (limit) {
            case MAX_CHUNK_SIZE -> MAX_CHUNK_SIZE;
            case MAX_MESSAGE_SIZE -> MAX_MESSAGE_SIZE;
            case MAX_CHUNK_STREAMS -> MAX_CHUNK_STREAMS;
            case MAX_PENDING_BYTES -> MAX_PENDING_BYTES;
            case SERVER_PENDING_BYTES -> SERVER_PENDING_BYTES;
        };
    }
}
