package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamrepeater.testkit.ExternalProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads a file written by ffmpeg's FLV muxer and compares what it finds with what ffprobe finds. */
class FlvFileReaderFfmpegTest {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
    private static final long LIMIT = 16 << 20;
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @TempDir
    static Path dir;

    private static Path flv;
    /** Packets per stream type ("video", "audio") as ffprobe counts them (codec headers are not packets). */
    private static Map<String, Long> ffprobePackets;

    @BeforeAll
    static void encodeAndProbe() throws IOException {
        flv = dir.resolve("out.flv");
        run(
                "ffmpeg",
                List.of(
                        "ffmpeg",
                        "-hide_banner",
                        "-nostdin",
                        "-v",
                        "error",
                        "-y",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=160x90:rate=10",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine",
                        "-t",
                        "2",
                        "-c:v",
                        "libx264",
                        "-g",
                        "10",
                        "-c:a",
                        "aac",
                        "-f",
                        "flv",
                        flv.toString()),
                null);
        Path csv = dir.resolve("packets.csv");
        run("ffprobe", List.of("ffprobe", "-v", "error", "-show_packets", "-of", "csv", flv.toString()), csv);
        // Lines look like "packet,video,0,200,0.200000,...": the second field is the stream type.
        ffprobePackets = Files.readAllLines(csv, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("packet,"))
                .collect(Collectors.groupingBy(line -> line.split(",")[1], Collectors.counting()));
        assertThat(ffprobePackets.get("video"))
                .as("ffprobe video packets of 2 s at 10 fps")
                .isEqualTo(20);
        assertThat(ffprobePackets.get("audio")).as("ffprobe audio packets").isGreaterThan(80);
    }

    private static void run(String tool, List<String> command, Path output) {
        Path log = dir.resolve(tool + ".log");
        try (ExternalProcess process = output == null
                ? ExternalProcess.start(tool, command, log)
                : ExternalProcess.startWithSeparateOutput(tool, command, output, log)) {
            int exit = process.waitFor(TOOL_TIMEOUT)
                    .orElseThrow(() -> new IllegalStateException(tool + " did not finish within " + TOOL_TIMEOUT));
            assertThat(exit).as("%s exit code; log:%n%s", tool, process.log()).isZero();
        }
    }

    /**
     * ffprobe counts neither the codec headers (they are extradata to it) nor the AVC end-of-sequence
     * tag that ffmpeg's muxer writes last; the reader keeps all of them as packets.
     */
    @Test
    void packetCountsMatchFfprobePlusOneSequenceHeaderPerStream() {
        try (FlvFile file = FlvFileReader.read(flv, ALLOC, LIMIT)) {
            List<MediaPacket> packets = file.packets();
            assertThat(countOf(packets, MediaKind.VIDEO, false)).isEqualTo(ffprobePackets.get("video"));
            assertThat(countOf(packets, MediaKind.AUDIO, false)).isEqualTo(ffprobePackets.get("audio"));
            assertThat(countOf(packets, MediaKind.VIDEO, true)).isEqualTo(1);
            assertThat(countOf(packets, MediaKind.AUDIO, true)).isEqualTo(1);
            assertThat(packets.stream()
                            .filter(FlvFileReaderFfmpegTest::endOfSequence)
                            .count())
                    .isEqualTo(1);
            assertThat(packets).hasSize(1 + 2 + (int) (ffprobePackets.get("video") + ffprobePackets.get("audio")) + 1);
            assertThat(file.previousTagSizeMismatches()).isZero();
            assertThat(file.unknownTagsSkipped()).isZero();
        }
    }

    /** Packets of a kind that are (or are not) sequence headers, leaving out the AVC end of sequence. */
    private static long countOf(List<MediaPacket> packets, MediaKind kind, boolean sequenceHeader) {
        return packets.stream()
                .filter(p -> p.kind() == kind && p.sequenceHeader() == sequenceHeader && !endOfSequence(p))
                .count();
    }

    private static boolean endOfSequence(MediaPacket packet) {
        return packet.videoInfo() != null && packet.videoInfo().endOfSequence();
    }

    @Test
    void startsWithMetadataThenTheVideoSequenceHeaderAndHasKeyframes() {
        try (FlvFile file = FlvFileReader.read(flv, ALLOC, LIMIT)) {
            List<MediaPacket> packets = file.packets();
            MediaPacket first = packets.get(0);
            assertThat(first.kind()).isEqualTo(MediaKind.DATA);
            assertThat(first.metadata()).isTrue();
            assertThat(first.payload().toString(StandardCharsets.ISO_8859_1))
                    .as("prefixed like an encoder's metadata")
                    .startsWith("\u0002\u0000\r@setDataFrame");
            MediaPacket firstVideo = packets.stream()
                    .filter(p -> p.kind() == MediaKind.VIDEO)
                    .findFirst()
                    .orElseThrow();
            assertThat(firstVideo.sequenceHeader()).isTrue();
            assertThat(firstVideo.videoCodec()).isEqualTo(VideoCodec.AVC);
            assertThat(file.hasVideoKeyframe()).isTrue();
            // -g 10 at 10 fps over 2 s: a keyframe every second.
            assertThat(packets.stream().filter(MediaPacket::isVideoKeyframe).count())
                    .isEqualTo(2);
            assertThat(packets.stream()
                            .filter(p -> p.kind() == MediaKind.AUDIO)
                            .findFirst()
                            .orElseThrow()
                            .sequenceHeader())
                    .isTrue();
        }
    }

    /** The AAC stream, shifted by the encoder delay, outlasts the 20 video frames (2000 ms) by a little. */
    @Test
    void lastsAboutTwoSeconds() {
        try (FlvFile file = FlvFileReader.read(flv, ALLOC, LIMIT)) {
            assertThat(file.durationMs()).isBetween(2000L, 2100L);
        }
    }

    @Test
    void packetsCarryTheTagBodiesByteForByte() throws IOException {
        byte[] raw = Files.readAllBytes(flv);
        try (FlvFile file = FlvFileReader.read(flv, ALLOC, LIMIT)) {
            // The first video tag's body follows the metadata tag: find it by its size and compare.
            MediaPacket sequenceHeader = file.packets().stream()
                    .filter(p -> p.kind() == MediaKind.VIDEO)
                    .findFirst()
                    .orElseThrow();
            byte[] body = ByteBufUtil.getBytes(sequenceHeader.payload());
            assertThat(indexOf(raw, body))
                    .as("the sequence header's bytes appear in the file")
                    .isPositive();
            assertThat(raw[indexOf(raw, body) - 11])
                    .as("tag type before the body")
                    .isEqualTo((byte) 9);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void closeReleasesThePacketsWhileACallersDuplicateSurvives() {
        FlvFile file = FlvFileReader.read(flv, ALLOC, LIMIT);
        List<MediaPacket> packets = file.packets();
        MediaPacket metadata = packets.get(0);
        MediaPacket last = packets.get(packets.size() - 1);
        byte[] lastBytes = ByteBufUtil.getBytes(last.payload());
        MediaPacket kept = last.retainedDuplicate();
        try {
            file.close();
            assertThat(metadata.refCnt())
                    .as("the rebuilt metadata buffer is released")
                    .isZero();
            assertThat(kept.refCnt()).isEqualTo(1);
            assertThat(ByteBufUtil.getBytes(kept.payload()))
                    .as("still readable after close")
                    .isEqualTo(lastBytes);
        } finally {
            kept.release();
        }
        assertThat(kept.refCnt()).isZero();
    }

    @Test
    void aCopyCutInTheMiddleOfATagIsRefusedWithItsNameAndOffset() throws IOException {
        byte[] raw = Files.readAllBytes(flv);
        Path cut = Files.write(dir.resolve("cut.flv"), Arrays.copyOf(raw, raw.length * 2 / 3));
        assertThatThrownBy(() -> FlvFileReader.read(cut, ALLOC, LIMIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("FLV file " + cut + ": truncated ")
                .hasMessageMatching("(?s).* at offset \\d+: needs \\d+ bytes, the file has \\d+ left.*");
    }

    @Test
    void aCopyMissingOnlyItsLastByteIsRefused() throws IOException {
        byte[] raw = Files.readAllBytes(flv);
        Path cut = Files.write(dir.resolve("cut-last.flv"), Arrays.copyOf(raw, raw.length - 1));
        assertThatThrownBy(() -> FlvFileReader.read(cut, ALLOC, LIMIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated PreviousTagSize at offset " + (raw.length - 4));
    }

    @Test
    void theRealFileIsRefusedAboveTheLimit() throws IOException {
        long size = Files.size(flv);
        assertThatThrownBy(() -> FlvFileReader.read(flv, ALLOC, size - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(flv + " is " + size + " bytes, more than the limit of " + (size - 1));
    }
}
