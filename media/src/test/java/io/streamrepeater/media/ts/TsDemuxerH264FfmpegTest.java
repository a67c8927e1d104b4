package io.streamrepeater.media.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.FlvFileReader;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Demuxes an H.264 (High profile, B-frames) + AAC transport stream made by ffmpeg and compares the result
 * with what ffprobe lists and with the FLV that ffmpeg remuxes from the same file.
 */
class TsDemuxerH264FfmpegTest {
    @TempDir
    static Path dir;

    private static Path ts;
    private static byte[] bytes;
    private static List<ProbedPacket> probed;

    @BeforeAll
    static void encode() throws IOException {
        ts = TestMedia.h264AacTs(Duration.ofSeconds(4), 30, "320x180", 30, 2);
        bytes = Files.readAllBytes(ts);
        probed = ProbedPacket.list(dir, ts);
    }

    private static DemuxedPackets demux(byte[] input, RecordingAllocator alloc) {
        DemuxedPackets out = new DemuxedPackets();
        try (TsDemuxer demuxer = new TsDemuxer(alloc, TsDemuxer.DEFAULT_MAX_PES_BYTES, out)) {
            demuxer.feed(Unpooled.wrappedBuffer(input));
            demuxer.finish();
            assertThat(demuxer.stats().continuityErrors()).isZero();
            assertThat(demuxer.stats().pesDropped()).isZero();
            assertThat(demuxer.stats().bytesSkipped()).isZero();
        }
        return out;
    }

    @Test
    void framesMatchFfprobesPacketListInCountKeyframesAndTimestamps() {
        RecordingAllocator alloc = new RecordingAllocator();
        try (DemuxedPackets out = demux(bytes, alloc)) {
            List<ProbedPacket> probedVideo =
                    probed.stream().filter(p -> p.codecType().equals("video")).toList();
            List<ProbedPacket> probedAudio =
                    probed.stream().filter(p -> p.codecType().equals("audio")).toList();
            List<MediaPacket> video = out.frames(MediaKind.VIDEO);
            List<MediaPacket> audio = out.frames(MediaKind.AUDIO);
            assertThat(video).hasSize(probedVideo.size()).hasSize(120);
            assertThat(audio).hasSize(probedAudio.size());
            assertThat(video.stream().filter(MediaPacket::isVideoKeyframe).count())
                    .isEqualTo(4);
            // The demuxer's time line starts at the first timestamp; ffprobe's is the raw 90 kHz clock.
            long origin = probedVideo.get(0).dts() - video.get(0).dts() * 90;
            assertThat(video.stream().anyMatch(p -> p.compositionTimeMs() > 0))
                    .as("B-frames")
                    .isTrue();
            for (int i = 0; i < video.size(); i++) {
                MediaPacket ours = video.get(i);
                ProbedPacket theirs = probedVideo.get(i);
                assertThat(ours.isVideoKeyframe())
                        .as("keyframe flag of video frame %d", i)
                        .isEqualTo(theirs.keyframe());
                assertThat(ours.dts()).as("DTS of video frame %d", i).isCloseTo(theirs.dtsMs(origin), within(1));
                assertThat(ours.pts()).as("PTS of video frame %d", i).isCloseTo(theirs.ptsMs(origin), within(1));
                assertThat(ours.videoCodec()).isEqualTo(VideoCodec.AVC);
            }
            for (int i = 0; i < audio.size(); i++) {
                assertThat(audio.get(i).dts())
                        .as("DTS of audio frame %d", i)
                        .isCloseTo(probedAudio.get(i).dtsMs(origin), within(1));
            }
        }
        alloc.assertAllReleased();
    }

    private static org.assertj.core.data.Offset<Long> within(long ms) {
        return org.assertj.core.data.Offset.offset(ms);
    }

    @Test
    void sequenceHeadersAndAudioFramesEqualFfmpegsFlvRemuxAndVideoFramesCarryTheSameSlices() {
        Path flv = dir.resolve("remux.flv");
        ToolRun.run(
                dir,
                "ffmpeg",
                List.of(
                        "ffmpeg",
                        "-hide_banner",
                        "-nostdin",
                        "-v",
                        "error",
                        "-y",
                        "-i",
                        ts.toString(),
                        "-c",
                        "copy",
                        "-f",
                        "flv",
                        flv.toString()),
                null);
        RecordingAllocator alloc = new RecordingAllocator();
        try (DemuxedPackets out = demux(bytes, alloc);
                FlvFile file = FlvFileReader.read(flv, PooledByteBufAllocator.DEFAULT, 64 << 20)) {
            List<MediaPacket> flvPackets = file.packets();
            MediaPacket flvVideoHeader = first(flvPackets, MediaKind.VIDEO, true);
            // ffmpeg 5.1 writes an empty AAC header (af00) before the ADTS-to-ASC filter has run, then the real one.
            MediaPacket flvAudioHeader = flvPackets.stream()
                    .filter(p -> p.kind() == MediaKind.AUDIO && p.sequenceHeader())
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(out.sequenceHeaders(MediaKind.VIDEO)).hasSize(1);
            assertThat(out.sequenceHeaders(MediaKind.AUDIO)).hasSize(1);
            assertThat(ByteBufUtil.hexDump(
                            out.sequenceHeaders(MediaKind.VIDEO).get(0).payload()))
                    .as("FLV AVC sequence header with the AVCDecoderConfigurationRecord")
                    .startsWith("1700000000016400") // version 1, High profile
                    .isEqualTo(ByteBufUtil.hexDump(flvVideoHeader.payload()));
            assertThat(ByteBufUtil.hexDump(
                            out.sequenceHeaders(MediaKind.AUDIO).get(0).payload()))
                    .as("AAC sequence header: AAC LC, 44.1 kHz, stereo")
                    .isEqualTo("af001210")
                    .isEqualTo(ByteBufUtil.hexDump(flvAudioHeader.payload()));
            assertThat(out.packets.get(0).sequenceHeader())
                    .as("a sequence header comes first")
                    .isTrue();

            List<MediaPacket> flvAudio = flvPackets.stream()
                    .filter(p -> p.kind() == MediaKind.AUDIO && !p.sequenceHeader())
                    .toList();
            List<MediaPacket> audio = out.frames(MediaKind.AUDIO);
            assertThat(audio).hasSameSizeAs(flvAudio);
            long offset = out.frames(MediaKind.VIDEO).get(0).dts()
                    - first(flvPackets, MediaKind.VIDEO, false).dts();
            for (int i = 0; i < audio.size(); i++) {
                assertThat(ByteBufUtil.equals(
                                audio.get(i).payload(), flvAudio.get(i).payload()))
                        .as("audio frame %d byte for byte", i)
                        .isTrue();
                assertThat(audio.get(i).dts() - offset)
                        .as("audio DTS %d", i)
                        .isCloseTo(flvAudio.get(i).dts(), within(1));
            }

            // ffmpeg's FLV keeps the in-band AUD, SPS and PPS; the demuxer moves them out of the frames.
            List<MediaPacket> flvVideo = flvPackets.stream()
                    .filter(p -> p.kind() == MediaKind.VIDEO && p.videoInfo().codedFrame())
                    .toList();
            List<MediaPacket> video = out.frames(MediaKind.VIDEO);
            assertThat(video).hasSameSizeAs(flvVideo);
            for (int i = 0; i < video.size(); i++) {
                List<String> ours = hex(VideoTagNalUnits.of(video.get(i).payload()));
                List<String> theirs = hex(VideoTagNalUnits.of(flvVideo.get(i).payload())).stream()
                        .filter(nal -> !nal.startsWith("09") && !nal.startsWith("67") && !nal.startsWith("68"))
                        .toList();
                assertThat(ours).as("NAL units of video frame %d", i).isEqualTo(theirs);
                assertThat(video.get(i).isVideoKeyframe())
                        .isEqualTo(flvVideo.get(i).isVideoKeyframe());
                assertThat(video.get(i).dts() - offset)
                        .isCloseTo(flvVideo.get(i).dts(), within(1));
                assertThat(video.get(i).compositionTimeMs())
                        .as("composition time of frame %d", i)
                        .isCloseTo(flvVideo.get(i).compositionTimeMs(), within(1));
            }
        }
        alloc.assertAllReleased();
    }

    private static List<String> hex(List<byte[]> units) {
        return units.stream().map(ByteBufUtil::hexDump).toList();
    }

    private static MediaPacket first(List<MediaPacket> packets, MediaKind kind, boolean sequenceHeader) {
        return packets.stream()
                .filter(p -> p.kind() == kind && p.sequenceHeader() == sequenceHeader)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theDemuxedStreamDecodesWithoutErrors() {
        RecordingAllocator alloc = new RecordingAllocator();
        try (DemuxedPackets out = demux(bytes, alloc)) {
            Path annexB = AnnexBFile.write(dir.resolve("demuxed.h264"), out);
            assertThat(AnnexBFile.decodedFrames(dir, annexB))
                    .isEqualTo(out.frames(MediaKind.VIDEO).size());
        }
        alloc.assertAllReleased();
    }
}
