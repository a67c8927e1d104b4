package io.streamrepeater.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.rtmp.chunk.RawMessage;

/** Window Acknowledgement Size (type 5): how many bytes the peer may receive before acknowledging. */
public record WindowAcknowledgementSize(long size) implements RtmpMessage {
    @Override
    public RawMessage toRaw(ByteBufAllocator alloc, int messageStreamId) {
        return new RawMessage(
                MessageType.CONTROL_CHUNK_STREAM,
                MessageType.WINDOW_ACKNOWLEDGEMENT_SIZE,
                0,
                0,
                alloc.buffer(4).writeInt((int) size));
    }

    /** Reads the body; does not release it. */
    static WindowAcknowledgementSize read(ByteBuf body) {
        return new WindowAcknowledgementSize(body.readUnsignedInt());
    }
}
