package io.streamrepeater.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bytes written for people, as the golden tables and captured sessions write them: hex digits (whitespace and
 * {@code |} between fields are ignored), {@code "quoted text"} for its UTF-8 bytes (no escapes), and {@code #}
 * comments to the end of the line. Length fields stay in hex so a wrong length shows.
 */
public final class Hex {
    private Hex() {}

    /** The bytes of {@code annotated}; an odd number of digits or anything else than the above is an error. */
    public static byte[] bytes(String annotated) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int high = -1; // the first digit of a byte, while its second is awaited
        int i = 0;
        while (i < annotated.length()) {
            char c = annotated.charAt(i);
            if (Character.isWhitespace(c) || c == '|') {
                i++;
            } else if (c == '#') {
                int newline = annotated.indexOf('\n', i);
                i = newline < 0 ? annotated.length() : newline + 1;
            } else if (c == '"') {
                if (high >= 0) {
                    throw new IllegalArgumentException("odd hex digit before the quote at " + i + " in: " + annotated);
                }
                int close = annotated.indexOf('"', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed quote at " + i + " in: " + annotated);
                }
                out.writeBytes(annotated.substring(i + 1, close).getBytes(StandardCharsets.UTF_8));
                i = close + 1;
            } else {
                int digit = Character.digit(c, 16);
                if (digit < 0) {
                    throw new IllegalArgumentException("not a hex digit: '" + c + "' at " + i + " in: " + annotated);
                }
                if (high < 0) {
                    high = digit;
                } else {
                    out.write(high << 4 | digit);
                    high = -1;
                }
                i++;
            }
        }
        if (high >= 0) {
            throw new IllegalArgumentException("odd number of hex digits in: " + annotated);
        }
        return out.toByteArray();
    }

    /** A new buffer holding {@link #bytes(String) the bytes of} {@code annotated}; the caller owns and releases it. */
    public static ByteBuf buffer(String annotated) {
        return Unpooled.wrappedBuffer(bytes(annotated));
    }

    /** Lower-case hex pairs, 16 to a line, separated by spaces: the layout of the golden tables. */
    public static String format(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            text.append(i % 16 == 0 ? (i == 0 ? "" : "\n") : " ").append(String.format("%02x", bytes[i]));
        }
        return text.toString();
    }

    /** Lower-case hex digits with nothing between them, e.g. {@code 0300000a}. */
    public static String dump(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }
}
