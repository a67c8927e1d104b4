package io.streamrepeater.amf0;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bytes written for people: hex pairs, {@code "quoted text"} for its UTF-8 bytes (no escapes), and
 * {@code #} comments to the end of the line. Length fields stay in hex so a wrong length shows.
 */
final class AnnotatedHex {

    private AnnotatedHex() {}

    static byte[] parse(String annotated) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < annotated.length()) {
            char c = annotated.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                int newline = annotated.indexOf('\n', i);
                i = newline < 0 ? annotated.length() : newline + 1;
            } else if (c == '"') {
                int close = annotated.indexOf('"', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed quote at " + i + " in: " + annotated);
                }
                out.writeBytes(annotated.substring(i + 1, close).getBytes(StandardCharsets.UTF_8));
                i = close + 1;
            } else {
                if (i + 1 >= annotated.length()) {
                    throw new IllegalArgumentException("odd hex digit at " + i + " in: " + annotated);
                }
                out.write(Integer.parseInt(annotated.substring(i, i + 2), 16));
                i += 2;
            }
        }
        return out.toByteArray();
    }

    static String format(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            text.append(i % 16 == 0 ? (i == 0 ? "" : "\n") : " ").append(String.format("%02x", bytes[i]));
        }
        return text.toString();
    }
}
