package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamrepeater.testkit.Hex;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden table of FLV tag headers, one row per form: name, bytes with one field per "|" group, and
 * what the probe must say. Rows marked (ffmpeg) are the first bytes of tags ffmpeg 5.1 wrote for
 * {@code testsrc2=size=640x360:rate=30 + sine, libx264 -g 30, aac}; enhanced rows are built from the
 * Enhanced RTMP v1/v2 layout because that ffmpeg does not write it.
 */
class FlvTagsGoldenTest {
    // FourCCs as they appear on the wire.
    private static final String AVC1 = "61766331";
    private static final String HVC1 = "68766331";
    private static final String AV01 = "61763031";
    private static final String VP09 = "76703039";
    private static final String OPUS = "4f707573";
    private static final String MP4A = "6d703461";
    private static final String MP3 = "2e6d7033";
    private static final String FLAC = "664c6143";

    private static VideoTagInfo video(
            int frameType,
            VideoCodec codec,
            boolean enhanced,
            boolean keyframe,
            boolean sequenceHeader,
            boolean endOfSequence,
            boolean codedFrame,
            int cts) {
        return new VideoTagInfo(frameType, codec, enhanced, keyframe, sequenceHeader, endOfSequence, codedFrame, cts);
    }

    private static VideoTagInfo coded(int frameType, VideoCodec codec, boolean enhanced, int cts) {
        return video(frameType, codec, enhanced, frameType == 1, false, false, true, cts);
    }

    private static VideoTagInfo sequenceStart(VideoCodec codec, boolean enhanced) {
        return video(1, codec, enhanced, false, true, false, false, 0);
    }

    static Stream<Arguments> videoRows() {
        return Stream.of(
                // frame type 1 | codec 7 | packet type 0 | cts 0 | AVCDecoderConfigurationRecord v1, High, level 3.0
                arguments(
                        "legacy AVC sequence header (ffmpeg)",
                        "17 | 00 | 000000 | 01 64 00 1e ff e1 001a 6764001eacd940a02ff970110000030001000003003c0f162d96"
                                + " 01 0006 68ebe3cb22c0 fdf8f800",
                        sequenceStart(VideoCodec.AVC, false)),
                // key | AVC | NALU | cts +67 | first NALU length and bytes
                arguments(
                        "legacy AVC keyframe with composition time 67 (ffmpeg)",
                        "17 | 01 | 000043 | 000002ac 0605ffff",
                        coded(1, VideoCodec.AVC, false, 67)),
                // inter | AVC | NALU | cts +133
                arguments(
                        "legacy AVC inter frame with composition time 133 (ffmpeg)",
                        "27 | 01 | 000085 | 00001277 419a236c",
                        coded(2, VideoCodec.AVC, false, 133)),
                // inter | AVC | NALU | cts -33 as SI24
                arguments(
                        "legacy AVC inter frame with negative composition time",
                        "27 | 01 | ffffdf | 00000001 41",
                        coded(2, VideoCodec.AVC, false, -33)),
                // disposable | AVC | NALU | cts 0
                arguments(
                        "legacy AVC disposable inter frame",
                        "37 | 01 | 000000 | 00000001 01",
                        coded(3, VideoCodec.AVC, false, 0)),
                // key | AVC | end of sequence | cts 0
                arguments(
                        "legacy AVC end of sequence",
                        "17 | 02 | 000000",
                        video(1, VideoCodec.AVC, false, false, false, true, false, 0)),
                // key | codec 12 | sequence header | cts 0 | HEVCDecoderConfigurationRecord starts
                arguments(
                        "legacy HEVC codec id 12 sequence header",
                        "1c | 00 | 000000 | 01 01 60",
                        sequenceStart(VideoCodec.HEVC, false)),
                // key | codec 12 | NALU | cts +33
                arguments(
                        "legacy HEVC codec id 12 keyframe",
                        "1c | 01 | 000021 | 00000001 26",
                        coded(1, VideoCodec.HEVC, false, 33)),
                // key | codec 2 (Sorenson H.263): no packet type byte in this form
                arguments("legacy Sorenson H.263 keyframe", "12 | 000084", coded(1, VideoCodec.OTHER, false, 0)),
                // ex header | key | SequenceStart | hvc1 | HEVCDecoderConfigurationRecord
                arguments(
                        "enhanced hvc1 SequenceStart",
                        "90 | " + HVC1 + " | 01 01 60 00",
                        sequenceStart(VideoCodec.HEVC, true)),
                // ex header | key | CodedFrames | hvc1 | cts +33 | NALU
                arguments(
                        "enhanced hvc1 CodedFrames keyframe with composition time",
                        "91 | " + HVC1 + " | 000021 | 00000001 26",
                        coded(1, VideoCodec.HEVC, true, 33)),
                // ex header | inter | CodedFramesX | hvc1 | NALU (no cts field)
                arguments(
                        "enhanced hvc1 CodedFramesX inter frame",
                        "a3 | " + HVC1 + " | 00000001 02",
                        coded(2, VideoCodec.HEVC, true, 0)),
                // ex header | key | SequenceEnd | hvc1
                arguments(
                        "enhanced hvc1 SequenceEnd",
                        "92 | " + HVC1,
                        video(1, VideoCodec.HEVC, true, false, false, true, false, 0)),
                // ex header | inter | CodedFrames | avc1 | cts -16
                arguments(
                        "enhanced avc1 CodedFrames with negative composition time",
                        "a1 | " + AVC1 + " | fffff0 | 00000001 41",
                        coded(2, VideoCodec.AVC, true, -16)),
                // ex header | key | CodedFrames | av01 | temporal delimiter OBU, sequence header OBU (av01 has no cts)
                arguments(
                        "enhanced av01 keyframe", "91 | " + AV01 + " | 12 00 0a 0b", coded(1, VideoCodec.AV1, true, 0)),
                // ex header | key | SequenceStart | vp09 | VPCodecConfigurationRecord
                arguments(
                        "enhanced vp09 SequenceStart",
                        "90 | " + VP09 + " | 01 00 00 00",
                        sequenceStart(VideoCodec.VP9, true)),
                // ex header | key | MPEG2TSSequenceStart | av01
                arguments(
                        "enhanced av01 MPEG2TSSequenceStart",
                        "95 | " + AV01 + " | 81",
                        sequenceStart(VideoCodec.AV1, true)),
                // ex header | key | Metadata | hvc1 | AMF0 "colorInfo"
                arguments(
                        "enhanced hvc1 Metadata is not a frame",
                        "94 | " + HVC1 + " | 02 0009 636f6c6f72496e666f",
                        video(1, VideoCodec.HEVC, true, false, false, false, false, 0)),
                // ex header | command | CodedFrames | VideoCommand 0: no FourCC follows
                arguments(
                        "enhanced command frame",
                        "d1 | 00",
                        video(5, VideoCodec.OTHER, true, false, false, false, false, 0)),
                // ex header | key | ModEx | size-1 = 2 | TimestampOffsetNano 3 bytes | modExType 0, CodedFrames
                //   | hvc1 | cts +16
                arguments(
                        "enhanced ModEx then hvc1 CodedFrames",
                        "97 | 02 | 0003e8 | 01 | " + HVC1 + " | 000010 | 00000001 26",
                        coded(1, VideoCodec.HEVC, true, 16)),
                // ex header | key | Multitrack | OneTrack, CodedFrames | hvc1 | track 0 | cts +33
                arguments(
                        "enhanced Multitrack one track hvc1 keyframe",
                        "96 | 01 | " + HVC1 + " | 00 | 000021 | 00000001 26",
                        coded(1, VideoCodec.HEVC, true, 33)),
                // ex header | inter | Multitrack | ManyTracks, CodedFrames | avc1 | track 1 | size 8 | cts +40
                arguments(
                        "enhanced Multitrack many tracks avc1 inter frame",
                        "a6 | 11 | " + AVC1 + " | 01 | 000008 | 000028 | 00000001 41",
                        coded(2, VideoCodec.AVC, true, 40)),
                // ex header | key | Multitrack | ManyTracksManyCodecs, SequenceStart | av01 | track 0 | size 4
                arguments(
                        "enhanced Multitrack many codecs av01 SequenceStart",
                        "96 | 20 | " + AV01 + " | 00 | 000004 | 81000c00",
                        sequenceStart(VideoCodec.AV1, true)),
                arguments(
                        "truncated: empty payload",
                        "",
                        video(0, VideoCodec.OTHER, false, false, false, false, false, 0)),
                arguments(
                        "truncated: legacy AVC cut after the packet type",
                        "17 | 01",
                        video(1, VideoCodec.OTHER, false, false, false, false, false, 0)),
                arguments(
                        "truncated: legacy AVC cut inside the composition time",
                        "27 | 01 | 0000",
                        video(2, VideoCodec.OTHER, false, false, false, false, false, 0)),
                arguments(
                        "truncated: enhanced cut inside the FourCC",
                        "91 | 6876",
                        video(1, VideoCodec.OTHER, true, false, false, false, false, 0)),
                arguments(
                        "truncated: enhanced hvc1 CodedFrames cut inside the composition time",
                        "91 | " + HVC1 + " | 00",
                        video(1, VideoCodec.OTHER, true, false, false, false, false, 0)),
                arguments(
                        "truncated: enhanced ModEx data longer than the payload",
                        "97 | 05 | 0000",
                        video(1, VideoCodec.OTHER, true, false, false, false, false, 0)),
                arguments(
                        "truncated: enhanced Multitrack cut before the track id",
                        "96 | 11 | " + HVC1,
                        video(1, VideoCodec.OTHER, true, false, false, false, false, 0)));
    }

    static Stream<Arguments> audioRows() {
        return Stream.of(
                // AAC, 44 kHz, 16 bit, stereo flags | AACPacketType 0 | AudioSpecificConfig LC 44100 mono
                arguments(
                        "legacy AAC sequence header (ffmpeg)",
                        "af | 00 | 1208 56e500",
                        new AudioTagInfo(AudioCodec.AAC, false, true)),
                // AAC | AACPacketType 1 | raw frame
                arguments(
                        "legacy AAC raw frame (ffmpeg)",
                        "af | 01 | de02004c61",
                        new AudioTagInfo(AudioCodec.AAC, false, false)),
                // MP3, 44 kHz, 16 bit, stereo | MPEG audio frame header
                arguments("legacy MP3", "2f | fffb9064", new AudioTagInfo(AudioCodec.MP3, false, false)),
                // MP3 8 kHz
                arguments("legacy MP3 8 kHz", "e2 | fff3", new AudioTagInfo(AudioCodec.MP3, false, false)),
                // Speex (11)
                arguments("legacy Speex is other", "b6 | 0000", new AudioTagInfo(AudioCodec.OTHER, false, false)),
                // ExHeader | SequenceStart | Opus | OpusHead
                arguments(
                        "enhanced Opus SequenceStart",
                        "90 | " + OPUS + " | 4f70757348656164 01 02",
                        new AudioTagInfo(AudioCodec.OPUS, true, true)),
                // ExHeader | CodedFrames | Opus | Opus packet
                arguments(
                        "enhanced Opus CodedFrames",
                        "91 | " + OPUS + " | fcff fe",
                        new AudioTagInfo(AudioCodec.OPUS, true, false)),
                // ExHeader | SequenceStart | mp4a | AudioSpecificConfig
                arguments(
                        "enhanced mp4a SequenceStart",
                        "90 | " + MP4A + " | 1190",
                        new AudioTagInfo(AudioCodec.AAC, true, true)),
                // ExHeader | CodedFrames | .mp3
                arguments(
                        "enhanced .mp3 CodedFrames",
                        "91 | " + MP3 + " | fffb",
                        new AudioTagInfo(AudioCodec.MP3, true, false)),
                // ExHeader | SequenceStart | fLaC
                arguments(
                        "enhanced fLaC SequenceStart is other",
                        "90 | " + FLAC + " | 00",
                        new AudioTagInfo(AudioCodec.OTHER, true, true)),
                // ExHeader | MultichannelConfig | Opus | order native, 2 channels
                arguments(
                        "enhanced Opus MultichannelConfig is not a sequence header",
                        "94 | " + OPUS + " | 01 02 00000003",
                        new AudioTagInfo(AudioCodec.OPUS, true, false)),
                // ExHeader | Multitrack | OneTrack, SequenceStart | Opus | track 0
                arguments(
                        "enhanced Multitrack one track Opus SequenceStart",
                        "95 | 00 | " + OPUS + " | 00 | 4f70757348656164",
                        new AudioTagInfo(AudioCodec.OPUS, true, true)),
                // ExHeader | ModEx | size-1 = 2 | TimestampOffsetNano | modExType 0, CodedFrames | Opus
                arguments(
                        "enhanced ModEx then Opus CodedFrames",
                        "97 | 02 | 0003e8 | 01 | " + OPUS + " | fc",
                        new AudioTagInfo(AudioCodec.OPUS, true, false)),
                arguments("truncated: empty payload", "", new AudioTagInfo(AudioCodec.OTHER, false, false)),
                arguments(
                        "truncated: legacy AAC cut before the packet type",
                        "af",
                        new AudioTagInfo(AudioCodec.OTHER, false, false)),
                arguments(
                        "truncated: enhanced cut inside the FourCC",
                        "90 | 4f70",
                        new AudioTagInfo(AudioCodec.OTHER, true, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("videoRows")
    void probesVideo(String name, String hex, VideoTagInfo expected) {
        ByteBuf payload = Hex.buffer(hex);
        try {
            assertThat(FlvTags.probeVideo(payload)).isEqualTo(expected);
            assertThat(payload.readerIndex()).as("reader index").isZero();
            assertThat(payload.refCnt()).as("reference count").isEqualTo(1);
        } finally {
            payload.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("audioRows")
    void probesAudio(String name, String hex, AudioTagInfo expected) {
        ByteBuf payload = Hex.buffer(hex);
        try {
            assertThat(FlvTags.probeAudio(payload)).isEqualTo(expected);
            assertThat(payload.readerIndex()).as("reader index").isZero();
            assertThat(payload.refCnt()).as("reference count").isEqualTo(1);
        } finally {
            payload.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("videoRows")
    void probesVideoFromTheReaderIndexOfALargerBuffer(String name, String hex, VideoTagInfo expected) {
        // Junk before the reader index and readable-looking bytes past the writer index must not count.
        byte[] before = Hex.bytes("91 68766331");
        byte[] tag = Hex.bytes(hex);
        byte[] after = Hex.bytes("17 01 000021 00000000");
        ByteBuf buf = Unpooled.buffer(before.length + tag.length + after.length);
        try {
            buf.writeBytes(before).writeBytes(tag);
            buf.setBytes(buf.writerIndex(), after);
            buf.readerIndex(5);
            assertThat(FlvTags.probeVideo(buf)).isEqualTo(expected);
            assertThat(buf.readerIndex()).isEqualTo(5);
        } finally {
            buf.release();
        }
    }

    @Test
    void keyframeNeedsACodedFrameOfFrameTypeOne() {
        // A legacy AVC sequence header has frame type 1 but is no keyframe.
        ByteBuf header = Hex.buffer("17 00 000000 01");
        ByteBuf generated = Hex.buffer("47 01 000000 00000001 65");
        try {
            assertThat(FlvTags.probeVideo(header).keyframe()).isFalse();
            assertThat(FlvTags.probeVideo(generated).keyframe())
                    .as("frame type 4, generated key")
                    .isFalse();
            assertThat(FlvTags.probeVideo(generated).codedFrame()).isTrue();
        } finally {
            header.release();
            generated.release();
        }
    }
}
