package io.streamrepeater.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.rtmp.chunk.RawMessage;

/** Set Chunk Size (type 1): the sender's maximum chunk payload size from now on. */
public record SetChunkSize(int size) implements RtmpMessage {
    @Override
    public RawMessage toRaw(ByteBufAllocator alloc, int messageStreamId) {
        ByteBuf b = alloc.buffer(4).writeInt(size & 0x7FFFFFFF);
        return new RawMessage(MessageType.CONTROL_CHUNK_STREAM, MessageType.SET_CHUNK_SIZE, 0, 0, b);
    }

    /** Reads the body; does not release it. */
    static SetChunkSize read(ByteBuf body) {
        return new SetChunkSize(body.readInt() & 0x7FFFFFFF);
    }
}
