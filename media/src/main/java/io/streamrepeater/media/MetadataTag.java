package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Recognises the stream metadata among data messages: {@code @setDataFrame("onMetaData", {...})} as
 * encoders publish it, or a bare {@code onMetaData} as FLV files and players carry it.
 *
 * <p>Only the leading AMF0 strings are compared, so this package needs no AMF decoder.
 */
public final class MetadataTag {
    /** RTMP message type of an AMF0 data message. */
    static final int RTMP_TYPE_DATA_AMF0 = 18;
    /** RTMP message type of an AMF3 data message: one format byte (0), then AMF0 values as a rule. */
    static final int RTMP_TYPE_DATA_AMF3 = 15;

    private static final int AMF0_STRING_MARKER = 0x02;
    private static final byte[] SET_DATA_FRAME = "@setDataFrame".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ON_METADATA = "onMetaData".getBytes(StandardCharsets.US_ASCII);

    private MetadataTag() {}

    /**
     * Tells whether a data message body is stream metadata.
     *
     * @param rtmpTypeId 18 (AMF0 data) or 15 (AMF3 data); any other type gives false
     * @param payload the message body; read with absolute getters, not retained, not released
     * @return true for {@code @setDataFrame} followed by {@code onMetaData}, or a bare {@code onMetaData}
     */
    public static boolean isOnMetaData(int rtmpTypeId, ByteBuf payload) {
        int pos = payload.readerIndex();
        if (rtmpTypeId == RTMP_TYPE_DATA_AMF3) {
            if (payload.writerIndex() - pos < 1 || payload.getByte(pos) != 0) {
                return false;
            }
            pos++;
        } else if (rtmpTypeId != RTMP_TYPE_DATA_AMF0) {
            return false;
        }
        int afterSetDataFrame = stringEnd(payload, pos, SET_DATA_FRAME);
        if (afterSetDataFrame >= 0) {
            pos = afterSetDataFrame;
        }
        return stringEnd(payload, pos, ON_METADATA) >= 0;
    }

    /** Position after the AMF0 string at {@code pos} when it equals {@code expected}, else -1. */
    private static int stringEnd(ByteBuf payload, int pos, byte[] expected) {
        int end = pos + 3 + expected.length;
        if (end > payload.writerIndex()
                || payload.getUnsignedByte(pos) != AMF0_STRING_MARKER
                || payload.getUnsignedShort(pos + 1) != expected.length) {
            return -1;
        }
        for (int i = 0; i < expected.length; i++) {
            if (payload.getByte(pos + 3 + i) != expected[i]) {
                return -1;
            }
        }
        return end;
    }
}
