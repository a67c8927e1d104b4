package io.streamrepeater.media;

import io.streamrepeater.testkit.Hex;
import java.io.ByteArrayOutputStream;

/**
 * Builds FLV files byte by byte for tests: a header, then tags each followed by its PreviousTagSize.
 * Bodies are given as hex in the style of {@link Hex}.
 */
final class FlvBytes {
    /** "FLV", version 1, flags audio+video (0x05), DataOffset 9. */
    static final String HEADER = "464c56 | 01 | 05 | 00000009";
    /** AAC sequence header: AAC 44.1 kHz stereo (0xaf), packet type 0, AudioSpecificConfig 1210. */
    static final String AAC_SEQUENCE_HEADER = "af 00 1210";
    /** AVC keyframe NALU: frame type 1 codec 7 (0x17), packet type 1, composition time 0, one NAL. */
    static final String AVC_KEYFRAME = "17 01 000000 00000002 6588";
    /** AVC inter frame: frame type 2 codec 7 (0x27), packet type 1, composition time 0, one NAL. */
    static final String AVC_INTER_FRAME = "27 01 000000 00000002 419a";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private FlvBytes() {}

    /** The 9-byte header followed by PreviousTagSize0 = 0. */
    static FlvBytes file() {
        return new FlvBytes().raw(HEADER + "| 00000000");
    }

    /** Nothing yet: for tests that write their own header. */
    static FlvBytes empty() {
        return new FlvBytes();
    }

    /** Raw bytes, written as they are. */
    FlvBytes raw(String hex) {
        out.writeBytes(Hex.bytes(hex));
        return this;
    }

    /** A tag with a 32-bit timestamp (24 bits plus the extended byte) and the right PreviousTagSize. */
    FlvBytes tag(int typeByte, long timestamp, String bodyHex) {
        byte[] body = Hex.bytes(bodyHex);
        return tag(typeByte, timestamp, bodyHex, 11 + body.length);
    }

    /** A tag followed by the given PreviousTagSize, right or wrong. */
    FlvBytes tag(int typeByte, long timestamp, String bodyHex, int previousTagSize) {
        byte[] body = Hex.bytes(bodyHex);
        out.write(typeByte);
        writeU24(body.length);
        writeU24((int) (timestamp & 0xFFFFFF));
        out.write((int) (timestamp >>> 24) & 0xFF);
        writeU24(0); // StreamID
        out.writeBytes(body);
        out.write(previousTagSize >>> 24);
        out.write(previousTagSize >>> 16);
        out.write(previousTagSize >>> 8);
        out.write(previousTagSize);
        return this;
    }

    private void writeU24(int value) {
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }
}
