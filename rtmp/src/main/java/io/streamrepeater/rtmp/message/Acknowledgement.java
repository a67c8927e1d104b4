package io.streamrepeater.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.rtmp.chunk.RawMessage;

/** Acknowledgement (type 3): the number of bytes the sender has received so far (wraps at 2^32). */
public record Acknowledgement(long sequenceNumber) implements RtmpMessage {
    @Override
    public RawMessage toRaw(ByteBufAllocator alloc, int messageStreamId) {
        return new RawMessage(
                MessageType.CONTROL_CHUNK_STREAM,
                MessageType.ACKNOWLEDGEMENT,
                0,
                0,
                alloc.buffer(4).writeInt((int) sequenceNumber));
    }

    /** Reads the body; does not release it. */
    static Acknowledgement read(ByteBuf body) {
        return new Acknowledgement(body.readUnsignedInt());
    }
}
