package io.streamrepeater.rtmp.chunk;

import io.netty.buffer.ByteBufUtil;

/** A message as a golden row states it; a record so lists of them compare with equals. */
record ExpectedMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, String payloadHex) {

    static ExpectedMessage of(int csid, int type, long timestamp, int msid, byte[] payload) {
        return new ExpectedMessage(csid, type, timestamp, msid, ByteBufUtil.hexDump(payload));
    }

    /** Copies what {@code message} carries; does not release it. */
    static ExpectedMessage of(RawMessage message) {
        return new ExpectedMessage(
                message.chunkStreamId(),
                message.typeId(),
                message.timestamp(),
                message.messageStreamId(),
                ByteBufUtil.hexDump(message.payload()));
    }

    byte[] payload() {
        return ByteBufUtil.decodeHexDump(payloadHex);
    }
}
