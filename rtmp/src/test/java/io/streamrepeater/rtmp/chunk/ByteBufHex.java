package io.streamrepeater.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/** Small byte helpers for the chunk tests. */
final class ByteBufHex {
    private ByteBufHex() {}

    static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** Reads the bytes and releases the buffer. */
    static byte[] drain(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** {@code bytes} cut at the given split points. */
    static List<byte[]> split(byte[] bytes, int... at) {
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : at) {
            pieces.add(java.util.Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        pieces.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
        return pieces;
    }

    static List<byte[]> oneByteAtATime(byte[] bytes) {
        List<byte[]> pieces = new ArrayList<>();
        for (byte b : bytes) {
            pieces.add(new byte[] {b});
        }
        return pieces;
    }
}
