package io.streamrepeater.media.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.RecordingAllocator;
import io.streamrepeater.media.VideoCodec;
import io.streamrepeater.testkit.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Demuxes an HEVC (libx265) + AAC transport stream made by ffmpeg: Enhanced RTMP {@code hvc1} tags that the
 * relay's own probe reads, frames and flags as ffprobe lists them, and a record whose profile and level are
 * the ones ffprobe reports. (ffmpeg 5.1 cannot write HEVC into FLV, so there is no remux to compare with;
 * the output is decoded instead.)
 */
class TsDemuxerHevcFfmpegTest {
    @TempDir
    static Path dir;

    private static byte[] bytes;
    private static List<ProbedPacket> probed;
    private static List<String> probedStream;

    @BeforeAll
    static void encode() throws IOException {
        Path ts = TestMedia.hevcAacTs(Duration.ofSeconds(3), 25, "320x180", 25);
        bytes = Files.readAllBytes(ts);
        probed = ProbedPacket.list(dir, ts);
        Path csv = dir.resolve("stream.csv");
        ToolRun.run(
                dir,
                "ffprobe",
                List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "stream=profile,level",
                        "-of",
                        "csv=p=0",
                        ts.toString()),
                csv);
        probedStream = List.of(ToolRun.lines(csv).get(0).split(","));
    }

    private static DemuxedPackets demux(RecordingAllocator alloc) {
        DemuxedPackets out = new DemuxedPackets();
        try (TsDemuxer demuxer = new TsDemuxer(alloc, TsDemuxer.DEFAULT_MAX_PES_BYTES, out)) {
            demuxer.feed(Unpooled.wrappedBuffer(bytes));
            demuxer.finish();
            assertThat(demuxer.stats().continuityErrors()).isZero();
            assertThat(demuxer.stats().videoFramesDropped()).isZero();
        }
        return out;
    }

    @Test
    void framesMatchFfprobeAndCarryEnhancedRtmpHeaders() {
        RecordingAllocator alloc = new RecordingAllocator();
        try (DemuxedPackets out = demux(alloc)) {
            List<ProbedPacket> probedVideo =
                    probed.stream().filter(p -> p.codecType().equals("video")).toList();
            List<MediaPacket> video = out.frames(MediaKind.VIDEO);
            assertThat(video).hasSize(probedVideo.size()).hasSize(75);
            assertThat(out.frames(MediaKind.AUDIO)).hasSize((int)
                    probed.stream().filter(p -> p.codecType().equals("audio")).count());
            long origin = probedVideo.get(0).dts() - video.get(0).dts() * 90;
            for (int i = 0; i < video.size(); i++) {
                MediaPacket ours = video.get(i);
                assertThat(ours.videoCodec()).isEqualTo(VideoCodec.HEVC);
                assertThat(ours.videoInfo().enhanced()).isTrue();
                assertThat(ours.isVideoKeyframe())
                        .as("keyframe flag of %d", i)
                        .isEqualTo(probedVideo.get(i).keyframe());
                assertThat(ours.dts()).isCloseTo(probedVideo.get(i).dtsMs(origin), Offset.offset(1L));
                assertThat(ours.pts()).isCloseTo(probedVideo.get(i).ptsMs(origin), Offset.offset(1L));
                VideoTagNalUnits.of(ours.payload()); // the lengths add up
            }
            assertThat(video.stream().filter(MediaPacket::isVideoKeyframe).count())
                    .isEqualTo(3);

            List<MediaPacket> headers = out.sequenceHeaders(MediaKind.VIDEO);
            assertThat(headers).hasSize(1);
            assertThat(out.packets.get(0)).isSameAs(headers.get(0));
            ByteBuf header = headers.get(0).payload();
            assertThat((int) header.getUnsignedByte(0))
                    .as("IsExHeader, keyframe, SequenceStart")
                    .isEqualTo(0x90);
            assertThat(header.toString(1, 4, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("hvc1");
            int record = 5;
            assertThat((int) header.getUnsignedByte(record))
                    .as("configurationVersion")
                    .isEqualTo(1);
            assertThat(header.getUnsignedByte(record + 1) & 0x1F)
                    .as("general_profile_idc (Main = 1)")
                    .isEqualTo(1);
            assertThat(probedStream.get(0)).isEqualTo("Main");
            assertThat((int) header.getUnsignedByte(record + 12))
                    .as("general_level_idc")
                    .isEqualTo(Integer.parseInt(probedStream.get(1)));
            assertThat((int) header.getUnsignedByte(record + 16))
                    .as("chroma format 4:2:0")
                    .isEqualTo(0xFD);
            assertThat(header.getUnsignedByte(record + 21) & 0x03)
                    .as("4-byte NAL lengths")
                    .isEqualTo(3);
            assertThat((int) header.getUnsignedByte(record + 22))
                    .as("VPS, SPS and PPS arrays")
                    .isEqualTo(3);
            assertThat((int) header.getUnsignedByte(record + 23))
                    .as("complete VPS array")
                    .isEqualTo(0x80 | 32);
        }
        alloc.assertAllReleased();
    }

    @Test
    void theDemuxedStreamDecodesWithoutErrors() {
        RecordingAllocator alloc = new RecordingAllocator();
        try (DemuxedPackets out = demux(alloc)) {
            Path annexB = AnnexBFile.write(dir.resolve("demuxed.hevc"), out);
            assertThat(AnnexBFile.decodedFrames(dir, annexB))
                    .isEqualTo(out.frames(MediaKind.VIDEO).size());
        }
        alloc.assertAllReleased();
    }
}
