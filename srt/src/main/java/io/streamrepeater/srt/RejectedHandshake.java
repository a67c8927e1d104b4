package io.streamrepeater.srt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A handshake that libsrt refused by itself after the listen callback had let it through, as read from
 * its log line {@code @SOCKET:newConnection: connection rejected due to: INTERNAL REJECTION - ERROR:REASON}.
 *
 * @param socket the socket id the listen callback was given for this connection
 * @param reason libsrt's name of the reason: {@code BADSECRET} (passphrases differ), {@code UNSECURE} (only
 *     one side has one), or another name; for a rejection by our callback it is {@code PREDEFINED}
 */
record RejectedHandshake(int socket, String reason) {
    static final String BAD_SECRET = "BADSECRET";
    static final String UNSECURE = "UNSECURE";

    private static final Pattern LINE =
            Pattern.compile("@(\\d+):newConnection: connection rejected due to:.*?ERROR:([A-Z_]+)");

    /** The rejection a libsrt log message reports, or {@code null} when it reports none. */
    static RejectedHandshake parse(String message) {
        Matcher matcher = LINE.matcher(message);
        if (!matcher.find()) {
            return null;
        }
        try {
            return new RejectedHandshake(Integer.parseInt(matcher.group(1)), matcher.group(2));
        } catch (NumberFormatException notASocketId) {
            return null;
        }
    }
}
