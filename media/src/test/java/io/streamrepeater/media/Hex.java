package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Hex text with spaces and "|" between fields, as the golden tables write bytes. */
final class Hex {
    private Hex() {}

    static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("[\\s|]", ""));
    }

    /** A new buffer that the caller owns and must release. */
    static ByteBuf buffer(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }
}
