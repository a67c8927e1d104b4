package io.streamrepeater.media.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns demuxed video back into an Annex B elementary stream (parameter sets from each decoder
 * configuration record, then the frames' NAL units) so that ffmpeg can decode what the demuxer made.
 */
final class AnnexBFile {
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private AnnexBFile() {}

    static Path write(Path file, DemuxedPackets demuxed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MediaPacket packet : demuxed.packets) {
            if (packet.kind() != MediaKind.VIDEO) {
                continue;
            }
            List<byte[]> units =
                    packet.sequenceHeader() ? parameterSets(packet.payload()) : VideoTagNalUnits.of(packet.payload());
            for (byte[] unit : units) {
                out.writeBytes(START_CODE);
                out.writeBytes(unit);
            }
        }
        try {
            return Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parameter sets of an AVC (legacy tag) or HEVC (Enhanced hvc1 tag) sequence header. */
    private static List<byte[]> parameterSets(ByteBuf tag) {
        int record = tag.readerIndex() + 5;
        List<byte[]> sets = new java.util.ArrayList<>();
        if ((tag.getUnsignedByte(tag.readerIndex()) & 0x80) == 0) {
            int pos = record + 5;
            int spsCount = tag.getUnsignedByte(pos++) & 0x1F;
            pos = readSets(tag, pos, spsCount, sets);
            int ppsCount = tag.getUnsignedByte(pos++);
            readSets(tag, pos, ppsCount, sets);
        } else {
            int pos = record + 22;
            int arrays = tag.getUnsignedByte(pos++);
            for (int i = 0; i < arrays; i++) {
                pos++; // completeness and NAL unit type
                int count = tag.getUnsignedShort(pos);
                pos = readSets(tag, pos + 2, count, sets);
            }
        }
        return sets;
    }

    private static int readSets(ByteBuf tag, int pos, int count, List<byte[]> sets) {
        for (int i = 0; i < count; i++) {
            int length = tag.getUnsignedShort(pos);
            byte[] set = new byte[length];
            tag.getBytes(pos + 2, set);
            sets.add(set);
            pos += 2 + length;
        }
        return pos;
    }

    /** Decodes every frame with ffprobe, asserts that the decoder reported no error, returns the frame count. */
    static int decodedFrames(Path dir, Path annexB) {
        Path csv = dir.resolve(annexB.getFileName() + "-" + System.nanoTime() + ".frames");
        String log = ToolRun.run(
                dir,
                "ffprobe",
                List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-count_frames",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "stream=nb_read_frames",
                        "-of",
                        "csv=p=0",
                        annexB.toString()),
                csv);
        assertThat(log).as("decoder errors").isBlank();
        return Integer.parseInt(ToolRun.lines(csv).get(0).trim().replace(",", ""));
    }
}
