package io.streamrepeater.app;

import io.netty.buffer.Unpooled;
import io.streamrepeater.media.Av1Obus;
import io.streamrepeater.media.Av1SequenceHeader;
import io.streamrepeater.media.FlvWriter;
import io.streamrepeater.media.MediaPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Enhanced RTMP {@code av01} video tags from an AV1 low-overhead OBU stream, the way an encoder that publishes AV1
 * over Enhanced RTMP frames them: a SequenceStart carrying the AV1CodecConfigurationRecord built from the first
 * sequence header OBU, then one CodedFrames tag per temporal unit (its OBUs without the temporal delimiter, as an
 * ISOBMFF AV1 sample holds them), keyed when the unit's first frame header says KEY_FRAME.
 */
final class Av1Tags {
    private static final int OBU_TEMPORAL_DELIMITER = 2;
    private static final int OBU_FRAME_HEADER = 3;
    private static final int OBU_FRAME = 6;
    private static final int EX_HEADER = 0x80;
    private static final int FRAME_KEY = 1 << 4;
    private static final int FRAME_INTER = 2 << 4;
    private static final int SEQUENCE_START = 0;
    private static final int CODED_FRAMES = 1;
    private static final byte[] AV01 = {'a', 'v', '0', '1'};
    private static final int VIDEO = 9;

    private Av1Tags() {}

    /** One OBU: its type and its bytes, header and size field included. */
    private record Obu(int type, byte[] bytes, int payloadOffset) {
        byte[] payload() {
            return Arrays.copyOfRange(bytes, payloadOffset, bytes.length);
        }
    }

    /**
     * Writes the tags of {@code obuStream} (frames at {@code fps}) as an Enhanced FLV file with the project's writer.
     *
     * @return {@code flv}
     */
    static Path flv(Path obuStream, int fps, Path flv) throws IOException {
        List<List<Obu>> units = temporalUnits(Files.readAllBytes(obuStream));
        try (OutputStream out = Files.newOutputStream(flv)) {
            out.write(FlvWriter.header(false));
            Obu sequenceHeader = units.get(0).stream()
                    .filter(o -> o.type() == Av1SequenceHeader.OBU_SEQUENCE_HEADER)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the first temporal unit has no sequence header"));
            byte[] record =
                    Av1SequenceHeader.parse(sequenceHeader.payload()).configurationRecord(sequenceHeader.bytes());
            write(out, tag(EX_HEADER | FRAME_KEY | SEQUENCE_START, record), 0);
            for (int i = 0; i < units.size(); i++) {
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                for (Obu obu : units.get(i)) {
                    if (obu.type() != OBU_TEMPORAL_DELIMITER) {
                        frame.write(obu.bytes());
                    }
                }
                int frameType = startsWithKeyFrame(units.get(i)) ? FRAME_KEY : FRAME_INTER;
                write(
                        out,
                        tag(EX_HEADER | frameType | CODED_FRAMES, frame.toByteArray()),
                        Math.round(i * 1000.0 / fps));
            }
        }
        return flv;
    }

    private static void write(OutputStream out, byte[] body, long dts) throws IOException {
        MediaPacket packet = MediaPacket.fromRtmp(VIDEO, dts, Unpooled.wrappedBuffer(body));
        try {
            out.write(FlvWriter.tag(packet, dts));
        } finally {
            packet.release();
        }
    }

    private static byte[] tag(int firstByte, byte[] body) {
        byte[] tag = new byte[1 + AV01.length + body.length];
        tag[0] = (byte) firstByte;
        System.arraycopy(AV01, 0, tag, 1, AV01.length);
        System.arraycopy(body, 0, tag, 1 + AV01.length, body.length);
        return tag;
    }

    /** show_existing_frame 0 and frame_type KEY_FRAME (0) in the unit's first frame header (AV1 §5.9.2). */
    private static boolean startsWithKeyFrame(List<Obu> unit) {
        for (Obu obu : unit) {
            if (obu.type() == OBU_FRAME_HEADER || obu.type() == OBU_FRAME) {
                int first = obu.bytes()[obu.payloadOffset()] & 0xFF;
                return (first & 0x80) == 0 && (first >> 5 & 0x03) == 0;
            }
        }
        return false;
    }

    /** Splits a low-overhead OBU stream at its temporal delimiters. */
    private static List<List<Obu>> temporalUnits(byte[] stream) {
        List<List<Obu>> units = new ArrayList<>();
        for (Av1Obus.Obu o : Av1Obus.split(stream, 0, "AV1 OBU of the .obu stream")) {
            if (o.type() == OBU_TEMPORAL_DELIMITER || units.isEmpty()) {
                units.add(new ArrayList<>());
            }
            units.get(units.size() - 1)
                    .add(new Obu(
                            o.type(), Arrays.copyOfRange(stream, o.start(), o.end()), o.payloadStart() - o.start()));
        }
        return units;
    }
}
