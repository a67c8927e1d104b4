package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** Reads the length-prefixed NAL units of an FLV video tag body (legacy AVC or Enhanced RTMP hvc1). */
final class VideoTagNalUnits {
    private VideoTagNalUnits() {}

    /**
     * @param tag a coded-frame tag body; read with absolute getters
     * @return the NAL units
     * @throws IllegalArgumentException when the lengths do not add up to exactly the tag body
     */
    static List<byte[]> of(ByteBuf tag) {
        int first = tag.getUnsignedByte(tag.readerIndex());
        int header;
        if ((first & 0x80) == 0) {
            header = 5;
        } else {
            header = (first & 0x0F) == 1 ? 8 : 5; // CodedFrames carries a composition time, CodedFramesX not
        }
        List<byte[]> units = new ArrayList<>();
        int pos = tag.readerIndex() + header;
        int end = tag.writerIndex();
        while (pos < end) {
            if (end - pos < 4) {
                throw new IllegalArgumentException("NAL length cut off at " + pos);
            }
            int length = tag.getInt(pos);
            if (length <= 0 || length > end - pos - 4) {
                throw new IllegalArgumentException(
                        "NAL length " + length + " at " + pos + " with " + (end - pos - 4) + " bytes left");
            }
            byte[] unit = new byte[length];
            tag.getBytes(pos + 4, unit);
            units.add(unit);
            pos += 4 + length;
        }
        if (units.isEmpty()) {
            throw new IllegalArgumentException("a coded frame without NAL units");
        }
        return units;
    }
}
