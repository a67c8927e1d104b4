package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.message.MessageType;
import io.streamrepeater.testkit.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The real bytes the fuzzers start from: sessions that ffmpeg and GStreamer sent while publishing (captured with
 * {@link SessionCapture}; the same files seed the rtmp suite's properties), and the AMF0 bodies of the commands and
 * metadata found in them.
 */
final class SeedCorpus {
    /** C0 (1 byte) + C1 (1536) + C2 (1536): where the chunk stream starts. */
    static final int HANDSHAKE_BYTES = 1 + 2 * 1536;

    private static final List<String> SESSION_FILES = List.of("ffmpeg-publish.hex", "gstreamer-publish.hex");

    /** Whole sessions from C0 on. */
    final List<byte[]> sessions;
    /** The sessions without their handshake: chunk streams. */
    final List<byte[]> chunkStreams;
    /** Bodies of the AMF0 commands and data messages in the sessions (connect, publish, onMetaData, …). */
    final List<byte[]> amf0Bodies;

    private SeedCorpus(List<byte[]> sessions) {
        this.sessions = List.copyOf(sessions);
        List<byte[]> streams = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (byte[] session : sessions) {
            byte[] stream = Arrays.copyOfRange(session, HANDSHAKE_BYTES, session.length);
            streams.add(stream);
            bodies.addAll(amf0BodiesOf(stream));
        }
        this.chunkStreams = List.copyOf(streams);
        this.amf0Bodies = List.copyOf(bodies);
    }

    static SeedCorpus load() {
        List<byte[]> sessions = new ArrayList<>();
        for (String file : SESSION_FILES) {
            sessions.add(Hex.bytes(resource("sessions/" + file)));
        }
        return new SeedCorpus(sessions);
    }

    private static String resource(String name) {
        try (InputStream in = SeedCorpus.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("seed " + name + " is not on the classpath (build with -Pfuzz)");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed " + name, e);
        }
    }

    private static List<byte[]> amf0BodiesOf(byte[] chunkStream) {
        List<byte[]> bodies = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULT));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(chunkStream));
            for (RawMessage message; (message = channel.readInbound()) != null; ) {
                try {
                    if (message.typeId() == MessageType.COMMAND_AMF0 || message.typeId() == MessageType.DATA_AMF0) {
                        bodies.add(ByteBufUtil.getBytes(message.payload()));
                    }
                } finally {
                    message.release();
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        if (bodies.isEmpty()) {
            throw new IllegalStateException("no AMF0 command or data message found in a captured session");
        }
        return bodies;
    }
}
