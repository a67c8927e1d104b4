package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The picture format of HEVC and AV1 sequence headers, from ffmpeg's own records and hand-made damaged ones. */
class VideoConfigurationTest {
    private final BufferLedger buffers = new BufferLedger();
    private final SequenceHeaderParsing headers = new SequenceHeaderParsing(buffers, VideoConfiguration::parse);

    @AfterEach
    void everyBufferReleased() {
        buffers.assertAllReleased();
    }

    @Test
    void readsAnHevcSequenceStartCroppingTheCodedColumns() {
        assertThat(headers.parse(RealCodecHeaders.HEVC_426X240_MAIN))
                .isEqualTo(new VideoFormat(VideoCodec.HEVC, 426, 240, "Main", 0));
    }

    @Test
    void readsAnHevcMain10SequenceStart() {
        assertThat(headers.parse(RealCodecHeaders.HEVC_1920X1080_MAIN10))
                .isEqualTo(new VideoFormat(VideoCodec.HEVC, 1920, 1080, "Main 10", 0));
    }

    @Test
    void readsALegacyCodecId12HevcSequenceHeader() {
        // some encoders send HEVC with the legacy header: key | codec id 12, packet type 0, composition time 0
        String h = RealCodecHeaders.HEVC_426X240_MAIN;
        assertThat(headers.parse("1c 00 000000" + h.substring(h.indexOf("| 01 01"))))
                .isEqualTo(new VideoFormat(VideoCodec.HEVC, 426, 240, "Main", 0));
    }

    @Test
    void readsAnHevcSequenceStartInAMultitrackTagOfOneTrack() {
        // ex header, key, Multitrack | OneTrack, SequenceStart | 'hvc1' | track 0 | the record
        String h = RealCodecHeaders.HEVC_426X240_MAIN;
        assertThat(headers.parse("96 | 00 | 68766331 | 00" + h.substring(h.indexOf("| 01 01"))))
                .isEqualTo(new VideoFormat(VideoCodec.HEVC, 426, 240, "Main", 0));
    }

    @Test
    void readsAnAv1SequenceStart() {
        assertThat(headers.parse(RealCodecHeaders.AV1_426X240_MAIN))
                .isEqualTo(new VideoFormat(VideoCodec.AV1, 426, 240, "Main", 0));
        assertThat(headers.parse(RealCodecHeaders.AV1_1280X720_MAIN_10BIT))
                .isEqualTo(new VideoFormat(VideoCodec.AV1, 1280, 720, "Main", 0));
    }

    @Test
    void readsTheAvcHeadersAsBefore() {
        assertThat(headers.parse(RealCodecHeaders.AVC_640X360_HIGH_30FPS))
                .isEqualTo(new VideoFormat(VideoCodec.AVC, 640, 360, "High", 30.0));
    }

    @Test
    void buildsTheSameAv1ConfigurationRecordAsFfmpeg() {
        for (String header :
                new String[] {RealCodecHeaders.AV1_426X240_MAIN, RealCodecHeaders.AV1_1280X720_MAIN_10BIT}) {
            byte[] record = ByteBufUtil.decodeHexDump(
                    header.substring(header.indexOf("| 81")).replaceAll("[^0-9a-f]", ""));
            byte[] obu = java.util.Arrays.copyOfRange(record, 4, record.length);
            Av1SequenceHeader parsed = Av1SequenceHeader.parse(java.util.Arrays.copyOfRange(obu, 2, obu.length));
            assertThat(parsed.configurationRecord(obu)).as(header).isEqualTo(record);
        }
    }

    @Test
    void readsTheTimingInfoAndOperatingPointsOfAnAv1SequenceHeader() {
        // profile 0, not still, not reduced | timing info: 1 unit per tick, 60000 per second, 1001 ticks a picture
        // (uvlc 1000) | no decoder model | no display delay | 1 operating point, idc 0, level 9 with tier 1
        // | 11-bit sizes: 1919, 1079 | no frame ids | ... | color: 8 bit, not mono, no description, range | csp 0
        SpsWriter w = new SpsWriter()
                .bits(0, 3)
                .bits(0, 1)
                .bits(0, 1)
                .bits(1, 1)
                .bits(1, 32)
                .bits(60000, 32)
                .bits(1, 1)
                .ue(1000)
                .bits(0, 1)
                .bits(0, 1)
                .bits(0, 5)
                .bits(0, 12)
                .bits(9, 5)
                .bits(1, 1)
                .bits(10, 4)
                .bits(10, 4)
                .bits(1919, 11)
                .bits(1079, 11)
                .bits(0, 1) // frame ids
                .bits(0, 3) // superblock, filter intra, intra edge
                .bits(0, 4) // compound, masked, warped, dual filter
                .bits(1, 1) // order hint
                .bits(0, 2) // jnt comp, ref frame mvs
                .bits(1, 1) // choose screen content tools: SELECT
                .bits(1, 1) // choose integer mv
                .bits(6, 3) // order hint bits
                .bits(0, 3) // superres, cdef, restoration
                .bits(0, 1) // 8 bit
                .bits(0, 1) // not mono
                .bits(0, 1) // no color description
                .bits(0, 1) // color range
                .bits(2, 2) // chroma sample position
                .bits(0, 1) // separate uv delta q
                .bits(0, 1); // film grain
        Av1SequenceHeader parsed = Av1SequenceHeader.parse(w.withTrailingBits());
        assertThat(parsed.width()).isEqualTo(1920);
        assertThat(parsed.height()).isEqualTo(1080);
        assertThat(parsed.level()).isEqualTo(9);
        assertThat(parsed.tier()).isEqualTo(1);
        assertThat(parsed.chromaSamplePosition()).isEqualTo(2);
        assertThat(parsed.frameRate()).isEqualTo(60000.0 / 1001);
    }

    @Test
    void rejectsDamagedHevcAndAv1Records() {
        headers.assertRejected("90 68766331 01 01 60", "HEVCDecoderConfigurationRecord is truncated");
        headers.assertRejected(
                "90 68766331 02 01600000009000000000003cf000fcfdf8f800000f 00", "configurationVersion 2");
        headers.assertRejected(
                "90 68766331 01 01600000009000000000003cf000fcfdf8f800000f 01 22 0001 0007 4401c172b46240",
                "holds no SPS");
        headers.assertRejected(
                "90 68766331 01 01600000009000000000003cf000fcfdf8f800000f 01 21 0001 002b 420101",
                "truncated at byte 28");
        headers.assertRejected("90 61763031 81 00 0c 00", "carries no sequence header OBU");
        headers.assertRejected("90 61763031 80 00 0c 00 0a0b00", "not an AV1CodecConfigurationRecord");
        headers.assertRejected("90 61763031 81 00 0c 00 0a 0b 0000", "AV1 config OBU of 11 bytes");
        headers.assertRejected("90 61763031 81 00 0c 00 0a 02 0000", "AV1 sequence header is truncated");
        headers.assertRejected("90 76703039 00", "no picture format is read from a VP9 sequence header");
        headers.assertRejected("91 68766331 000000 0000", "not an HEVC sequence header");
        headers.assertRejected(
                "96 | 10 | 68766331 | 00 | 00002b | 01", "a multitrack tag of several tracks is not read");
    }
}
