package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBufUtil;
import io.streamrepeater.rtmp.chunk.RawMessage;
import java.util.Arrays;

/** A copy of what a decoded {@link RawMessage} carried, comparable by value. */
record DecodedMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, byte[] payload) {

    /** Copies {@code message}; does not release it. */
    static DecodedMessage of(RawMessage message) {
        return new DecodedMessage(
                message.chunkStreamId(),
                message.typeId(),
                message.timestamp(),
                message.messageStreamId(),
                ByteBufUtil.getBytes(message.payload()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DecodedMessage m
                && chunkStreamId == m.chunkStreamId
                && typeId == m.typeId
                && timestamp == m.timestamp
                && messageStreamId == m.messageStreamId
                && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(payload) + Long.hashCode(timestamp) + typeId + chunkStreamId + messageStreamId;
    }

    @Override
    public String toString() {
        return "csid=" + chunkStreamId + " type=" + typeId + " ts=" + timestamp + " msid=" + messageStreamId
                + " length=" + payload.length;
    }
}
