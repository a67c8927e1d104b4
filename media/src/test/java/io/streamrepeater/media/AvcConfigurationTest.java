package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvcConfigurationTest {
    private final BufferLedger buffers = new BufferLedger();
    private final SequenceHeaderParsing headers = new SequenceHeaderParsing(buffers, AvcConfiguration::parse);

    @AfterEach
    void everyBufferReleased() {
        buffers.assertAllReleased();
    }

    @Test
    void readsTheFfmpeg640x360HighProfileHeader() {
        assertThat(headers.parse(RealCodecHeaders.AVC_640X360_HIGH_30FPS))
                .isEqualTo(new VideoFormat(VideoCodec.AVC, 640, 360, "High", 30.0));
    }

    @Test
    void cropsThe1088CodedRowsOf1080p() {
        assertThat(headers.parse(RealCodecHeaders.AVC_1920X1080_MAIN_25FPS))
                .isEqualTo(new VideoFormat(VideoCodec.AVC, 1920, 1080, "Main", 25.0));
    }

    @Test
    void readsConstrainedBaseline() {
        assertThat(headers.parse(RealCodecHeaders.AVC_320X240_BASELINE_15FPS))
                .isEqualTo(new VideoFormat(VideoCodec.AVC, 320, 240, "Constrained Baseline", 15.0));
    }

    @Test
    void readsHigh444WithAFractionalFrameRate() {
        VideoFormat format = headers.parse(RealCodecHeaders.AVC_352X288_HIGH444_29_97FPS);
        assertThat(format.width()).isEqualTo(352);
        assertThat(format.height()).isEqualTo(288);
        assertThat(format.profile()).isEqualTo("High 4:4:4 Predictive");
        assertThat(format.frameRate()).isCloseTo(30000.0 / 1001, within(1e-9));
    }

    @Test
    void doublesTheMapUnitsOfAnInterlacedStream() {
        assertThat(headers.parse(RealCodecHeaders.AVC_640X480_INTERLACED_25FPS))
                .isEqualTo(new VideoFormat(VideoCodec.AVC, 640, 480, "High", 25.0));
    }

    @Test
    void readsAnEnhancedAvc1SequenceStart() {
        // Same record after a 5-byte Enhanced header: ex bit, key, SequenceStart | 'avc1'.
        String legacy = RealCodecHeaders.AVC_640X360_HIGH_30FPS;
        String enhanced = "90 | 61766331" + legacy.substring(legacy.indexOf("| 01 64"));
        assertThat(headers.parse(enhanced)).isEqualTo(new VideoFormat(VideoCodec.AVC, 640, 360, "High", 30.0));
    }

    @Test
    void skipsScalingListsPocType1AndCropsIn422() {
        byte[] sps = new SpsWriter()
                .bits(122, 8)
                .bits(0, 8)
                .bits(40, 8) // High 4:2:2, no constraints, level 4.0
                .ue(0) // seq_parameter_set_id
                .ue(2) // chroma_format_idc 4:2:2
                .ue(2)
                .ue(2) // bit depth 10/10
                .flag(false) // qpprime_y_zero_transform_bypass_flag
                .flag(true) // seq_scaling_matrix_present_flag: 8 lists for 4:2:2
                .flag(true)
                .se(3)
                .se(-2)
                .se(-9) //   list 0 (4x4): scales 11, 9, then 0 ends the list
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(true)
                .se(-8) //   list 6 (8x8): scale 0 at once (use the default)
                .flag(false)
                .ue(0) // log2_max_frame_num_minus4
                .ue(1) // pic_order_cnt_type 1
                .flag(false)
                .se(-2)
                .se(1)
                .ue(2)
                .se(5)
                .se(-5) // its fields with a 2-entry cycle
                .ue(4)
                .flag(false) // max_num_ref_frames, gaps
                .ue(120)
                .ue(67) // 121 x 68 macroblocks = 1936 x 1088
                .flag(true) // frame_mbs_only_flag
                .flag(true) // direct_8x8_inference_flag
                .flag(true)
                .ue(0)
                .ue(8)
                .ue(0)
                .ue(8) // crop right 8 x 2 columns, bottom 8 x 1 row (4:2:2)
                .flag(true) // vui_parameters_present_flag
                .flag(true)
                .bits(255, 8)
                .bits(0, 16)
                .bits(0, 16) // Extended_SAR 0:0 (unspecified): a run of zeros
                .flag(true)
                .flag(false) // overscan info
                .flag(true)
                .bits(5, 3)
                .flag(false)
                .flag(true)
                .bits(1, 8)
                .bits(1, 8)
                .bits(1, 8) // signal type
                .flag(true)
                .ue(1)
                .ue(1) // chroma location
                .flag(true)
                .bits(1001, 32)
                .bits(120000, 32)
                .flag(true) // timing: 59.94 fps
                .toNalUnit();
        assertThat(sps)
                .as("the zero run of the SAR needs an emulation prevention byte")
                .containsSequence((byte) 0, (byte) 0, (byte) 3, (byte) 0);
        VideoFormat format = headers.parse(SpsWriter.sequenceHeaderHex(sps, 122));
        assertThat(format.width()).isEqualTo(1920);
        assertThat(format.height()).isEqualTo(1080);
        assertThat(format.profile()).isEqualTo("High 4:2:2");
        assertThat(format.frameRate()).isCloseTo(120000.0 / 2002, within(1e-9));
    }

    @Test
    void reportsZeroFrameRateWithoutVui() {
        byte[] sps = new SpsWriter()
                .bits(77, 8)
                .bits(0, 8)
                .bits(31, 8) // Main, level 3.1
                .ue(0)
                .ue(0) // sps id, log2_max_frame_num_minus4
                .ue(2) // pic_order_cnt_type 2
                .ue(1)
                .flag(false)
                .ue(79)
                .ue(44) // 80 x 45 macroblocks = 1280 x 720
                .flag(true)
                .flag(true)
                .flag(false) // no cropping
                .flag(false) // no VUI
                .toNalUnit();
        assertThat(headers.parse(SpsWriter.sequenceHeaderHex(sps, 77)))
                .isEqualTo(new VideoFormat(VideoCodec.AVC, 1280, 720, "Main", 0.0));
    }

    @Test
    void rejectsWhatIsNotAnAvcSequenceHeader() {
        ByteBuf keyframe = buffers.hex("17 01 000000 00000001 65");
        ByteBuf hevc = buffers.hex("90 68766331 01 01 60");
        try {
            assertThatThrownBy(() -> AvcConfiguration.parse(keyframe))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an AVC sequence header")
                    .hasMessageContaining("sequenceHeader=false");
            assertThatThrownBy(() -> AvcConfiguration.parse(hevc))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("codec=HEVC");
        } finally {
            keyframe.release();
            hevc.release();
        }
    }

    @Test
    void rejectsMalformedRecords() {
        headers.assertRejected("17 00 000000 01 64 00", "AVCDecoderConfigurationRecord is truncated");
        headers.assertRejected("17 00 000000 02 64 00 1e ff e1 0004 67640000", "configurationVersion 2");
        headers.assertRejected("17 00 000000 01 64 00 1e ff e0", "holds no SPS");
        headers.assertRejected("17 00 000000 01 64 00 1e ff e1 001a 6764001e", "SPS of 26 bytes, 4 left");
        headers.assertRejected("17 00 000000 01 64 00 1e ff e1 0004 68ce3c80", "found NAL type 8");
        // The real SPS cut in the middle of the picture size.
        headers.assertRejected("17 00 000000 01 64 00 1e ff e1 0008 6764001eacd940a0", "H.264 SPS is truncated");
    }
}
