package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamrepeater.testkit.ExternalProcess;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.Hex;
import io.streamrepeater.testkit.MediaReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FLV written from packets: exact bytes for a small case, and a real GOP that ffprobe decodes. */
class FlvWriterTest {
    private static final String ON_METADATA_BODY = "02 000A 6F6E4D65746144617461 | 08 00000000 | 000009";
    private static final String AVC_NALU_KEYFRAME_BODY = "17 01 000000 | AABB";

    @Test
    void writesHeaderAndTagsByteForByte() {
        MediaPacket metadata = MediaPacket.fromRtmp(18, 0, Hex.buffer(ON_METADATA_BODY));
        MediaPacket video = MediaPacket.fromRtmp(9, 0x01020304L, Hex.buffer(AVC_NALU_KEYFRAME_BODY));
        try {
            byte[] flv = FlvWriter.write(List.of(metadata, video));
            assertThat(flv)
                    .isEqualTo(Hex.bytes("464C56 01 01 00000009 | 00000000"
                            + "| 12 000015 000000 00 000000 |" + ON_METADATA_BODY + "| 00000020"
                            + "| 09 000007 020304 01 000000 |" + AVC_NALU_KEYFRAME_BODY + "| 00000012"));
            assertThat(metadata.refCnt()).as("the caller keeps its packets").isEqualTo(1);
            assertThat(video.content().readerIndex()).isZero();
        } finally {
            metadata.release();
            video.release();
        }
    }

    @Test
    void setsTheAudioFlagWhenAudioIsPresentAndSkipsAmf3Data() {
        MediaPacket audio = MediaPacket.fromRtmp(8, 5, Hex.buffer("AF 01 | 21"));
        MediaPacket amf3 = MediaPacket.fromRtmp(15, 5, Hex.buffer("00" + ON_METADATA_BODY));
        try {
            byte[] flv = FlvWriter.write(List.of(audio, amf3));
            assertThat(flv)
                    .isEqualTo(Hex.bytes(
                            "464C56 01 05 00000009 | 00000000 | 08 000003 000005 00 000000 | AF0121 | 0000000E"));
        } finally {
            audio.release();
            amf3.release();
        }
    }

    @Test
    void refusesATimestampFlvCannotCarry() {
        MediaPacket video = MediaPacket.fromRtmp(9, 1L << 32, Hex.buffer(AVC_NALU_KEYFRAME_BODY));
        try {
            assertThatThrownBy(() -> FlvWriter.write(List.of(video)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("32 unsigned bits")
                    .hasMessageContaining(String.valueOf(1L << 32));
        } finally {
            video.release();
        }
    }

    /** What an input keeps for a thumbnail (metadata, sequence header, one GOP of video) is a file ffprobe decodes. */
    @Test
    void ffprobeDecodesAGopWrittenFromPackets(@TempDir Path dir) throws IOException {
        Path source = dir.resolve("source.flv");
        try (ExternalProcess ffmpeg = ExternalProcess.start(
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
                        "-t",
                        "2",
                        "-c:v",
                        "libx264",
                        "-g",
                        "10",
                        "-f",
                        "flv",
                        source.toString()),
                dir.resolve("ffmpeg.log"))) {
            int exit = ffmpeg.waitFor(Duration.ofSeconds(60)).orElseThrow();
            assertThat(exit).as("ffmpeg log:%n%s", ffmpeg.log()).isZero();
        }
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        int gopVideoPackets;
        try (FlvFile file = FlvFileReader.read(source, alloc, 16 << 20)) {
            List<MediaPacket> clip = new ArrayList<>();
            int keyframes = 0;
            for (MediaPacket p : file.packets()) {
                if (p.metadata() || p.sequenceHeader()) {
                    clip.add(p);
                } else if (p.kind() == MediaKind.VIDEO && !p.videoInfo().endOfSequence()) {
                    keyframes += p.isVideoKeyframe() ? 1 : 0;
                    if (keyframes == 2) { // the second GOP, whose timestamps do not start at 0
                        clip.add(p);
                    }
                }
            }
            gopVideoPackets = (int) clip.stream()
                    .filter(p -> p.kind() == MediaKind.VIDEO && !p.sequenceHeader())
                    .count();
            Files.write(dir.resolve("gop.flv"), FlvWriter.write(clip));
        }
        MediaReport report = Ffprobe.analyze(dir.resolve("gop.flv"));
        assertThat(gopVideoPackets).isEqualTo(10);
        assertThat(report.videoCodec()).isEqualTo("h264");
        assertThat(report.width()).isEqualTo(160);
        assertThat(report.height()).isEqualTo(90);
        assertThat(report.videoPackets()).isEqualTo(gopVideoPackets);
        assertThat(report.firstVideoPacketIsKeyframe()).isTrue();
        assertThat(report.firstVideoDtsMs()).isEqualTo(1000);
        assertThat(report.decodeErrorLines()).isEmpty();
    }
}
