package io.streamrepeater.rtmp.chunk;

import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Bytes of a golden row written field by field, each with what it means, so a row reads like an annotated capture.
 * The comments are kept and printed when a row fails.
 */
final class Wire {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final StringBuilder annotated = new StringBuilder();

    static Wire wire() {
        return new Wire();
    }

    /** Appends hex bytes (spaces allowed) and what they mean. */
    Wire hex(String hex, String meaning) {
        byte[] field = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        bytes.writeBytes(field);
        annotated.append(String.format("%-28s %s%n", ByteBufUtil.hexDump(field), meaning));
        return this;
    }

    /** Appends {@code payload[from, to)} as chunk data. */
    Wire data(byte[] payload, int from, int to, String meaning) {
        bytes.writeBytes(Arrays.copyOfRange(payload, from, to));
        annotated.append(String.format("%-28s %s%n", "<" + (to - from) + " bytes>", meaning));
        return this;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    @Override
    public String toString() {
        return annotated.toString();
    }

    /** Deterministic payload bytes: {@code (seed + i) & 0xFF}. */
    static byte[] pattern(int length, int seed) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (seed + i);
        }
        return payload;
    }
}
