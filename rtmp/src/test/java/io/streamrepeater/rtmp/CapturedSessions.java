package io.streamrepeater.rtmp;

import io.streamrepeater.testkit.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first 20000 bytes that real publishing clients sent on one connection, from C0 on: handshake, commands,
 * SetChunkSize, metadata, sequence headers and the first audio and video messages, cut wherever byte 20000 fell.
 * Captured with {@code fuzz/src/main/java/io/streamrepeater/fuzz/SessionCapture.java} (the command is in each file's
 * header); the files in {@code src/test/resources/io/streamrepeater/rtmp/sessions/} are also the seeds of the long fuzz
 * run ({@code fuzz/run.sh}).
 */
public final class CapturedSessions {
    /** C0 (1 byte) + C1 (1536) + C2 (1536): where the chunk stream starts. */
    public static final int HANDSHAKE_BYTES = 1 + 2 * 1536;

    /** ffmpeg 5.1.9 publishing H.264 + AAC with {@code -f flv}. */
    public static final byte[] FFMPEG_PUBLISH = load("ffmpeg-publish.hex");
    /** GStreamer 1.22 rtmp2sink publishing H.264 (openh264enc) + AAC through flvmux. */
    public static final byte[] GSTREAMER_PUBLISH = load("gstreamer-publish.hex");

    private CapturedSessions() {}

    /** The chunk stream of a captured session: what follows its handshake. */
    public static byte[] chunkStream(byte[] session) {
        return Arrays.copyOfRange(session, HANDSHAKE_BYTES, session.length);
    }

    private static byte[] load(String name) {
        try (InputStream in = CapturedSessions.class.getResourceAsStream("sessions/" + name)) {
            if (in == null) {
                throw new IllegalStateException("captured session sessions/" + name + " is not on the test classpath");
            }
            return Hex.bytes(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read captured session " + name, e);
        }
    }
}
