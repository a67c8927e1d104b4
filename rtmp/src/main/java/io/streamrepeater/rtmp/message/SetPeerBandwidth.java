package io.streamrepeater.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.rtmp.chunk.RawMessage;

/** Set Peer Bandwidth (type 6): output bandwidth limit; limit type 0 hard, 1 soft, 2 dynamic. */
public record SetPeerBandwidth(long windowSize, int limitType) implements RtmpMessage {
    public static final int DYNAMIC = 2;

    @Override
    public RawMessage toRaw(ByteBufAllocator alloc, int messageStreamId) {
        ByteBuf b = alloc.buffer(5).writeInt((int) windowSize).writeByte(limitType);
        return new RawMessage(MessageType.CONTROL_CHUNK_STREAM, MessageType.SET_PEER_BANDWIDTH, 0, 0, b);
    }

    /** Reads the body; does not release it. */
    static SetPeerBandwidth read(ByteBuf body) {
        long size = body.readUnsignedInt();
        int type = body.isReadable() ? body.readUnsignedByte() : DYNAMIC;
        return new SetPeerBandwidth(size, type);
    }
}
