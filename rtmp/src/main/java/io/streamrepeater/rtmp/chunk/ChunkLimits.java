package io.streamrepeater.rtmp.chunk;

/**
 * What a peer may make the chunk decoder hold or accept. Every limit is checked where the peer could exceed it, and
 * the error names the limit.
 *
 * @param maxChunkSize largest chunk size a SetChunkSize may announce
 * @param maxMessageSize largest message length a chunk header may declare
 * @param maxChunkStreams how many distinct chunk stream ids one connection may use
 * @param maxPendingBytes how many bytes of partly received messages may be held, summed over all chunk streams
 */
public record ChunkLimits(int maxChunkSize, int maxMessageSize, int maxChunkStreams, int maxPendingBytes) {
    /** The largest value the 24-bit length field can carry, and so the largest chunk size that is ever useful. */
    public static final int MAX_24_BIT = 0xFFFFFF;

    /** 16 MiB chunks and messages (the wire maximum), 64 chunk streams, 32 MiB of partial messages. */
    public static final ChunkLimits DEFAULT = new ChunkLimits(MAX_24_BIT, MAX_24_BIT, 64, 32 * 1024 * 1024);

    public ChunkLimits {
        requirePositive("maxChunkSize", maxChunkSize);
        requirePositive("maxMessageSize", maxMessageSize);
        requirePositive("maxChunkStreams", maxChunkStreams);
        requirePositive("maxPendingBytes", maxPendingBytes);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
