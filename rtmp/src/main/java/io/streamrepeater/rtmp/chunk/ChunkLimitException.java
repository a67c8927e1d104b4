package io.streamrepeater.rtmp.chunk;

import java.util.Objects;

/**
 * The peer went past one of the {@link ChunkLimits}: not a broken stream but one this connection may not send. Says
 * which limit, so the connection's owner can log and count it by name.
 */
public final class ChunkLimitException extends ChunkException {
    /** The {@link ChunkLimits} component that was exceeded. */
    public enum Limit {
        MAX_CHUNK_SIZE,
        MAX_MESSAGE_SIZE,
        MAX_CHUNK_STREAMS,
        MAX_PENDING_BYTES,
        /** The server-wide {@link PendingBudget} the connection draws from is spent. */
        SERVER_PENDING_BYTES
    }

    private final Limit limit;

    public ChunkLimitException(Limit limit, String message) {
        super(message);
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    /** @return the limit the peer exceeded */
    public Limit limit() {
        return limit;
    }
}
