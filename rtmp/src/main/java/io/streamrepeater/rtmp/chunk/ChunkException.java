package io.streamrepeater.rtmp.chunk;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * The peer sent a chunk stream that breaks the protocol or a {@link ChunkLimits} limit. The message says which rule,
 * which chunk stream and which values; the decoder discards everything after it.
 */
public sealed class ChunkException extends CorruptedFrameException permits ChunkLimitException {
    public ChunkException(String message) {
        super(message);
    }
}
