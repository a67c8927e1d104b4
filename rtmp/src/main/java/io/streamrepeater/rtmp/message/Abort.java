package io.streamrepeater.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.rtmp.chunk.RawMessage;

/** Abort Message (type 2): discard the partly received message on a chunk stream. */
public record Abort(int chunkStreamId) implements RtmpMessage {
    @Override
    public RawMessage toRaw(ByteBufAllocator alloc, int messageStreamId) {
        return new RawMessage(
                MessageType.CONTROL_CHUNK_STREAM,
                MessageType.ABORT,
                0,
                0,
                alloc.buffer(4).writeInt(chunkStreamId));
    }

    /** Reads the body; does not release it. */
    static Abort read(ByteBuf body) {
        return new Abort(body.readInt());
    }
}
