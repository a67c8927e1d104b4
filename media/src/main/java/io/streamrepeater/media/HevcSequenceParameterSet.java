package io.streamrepeater.media;

import java.util.Arrays;

/**
 * The leading fields of an HEVC sequence parameter set (ITU-T H.265 §7.3.2.2) up to the bit depths: what an
 * HEVCDecoderConfigurationRecord copies and what describes the picture. The frame rate sits in the VUI, behind the
 * reference picture sets; it is not read (0): the relay measures an input's frame rate from its timestamps.
 *
 * @param rbsp the SPS payload without its 2-byte NAL header and emulation prevention bytes
 * @param maxSubLayersMinus1 sps_max_sub_layers_minus1
 * @param temporalIdNesting sps_temporal_id_nesting_flag
 * @param profileIdc general_profile_idc
 * @param chromaFormatIdc chroma_format_idc, 0..3
 * @param width displayed width: pic_width_in_luma_samples less the conformance window
 * @param height displayed height, likewise
 * @param lumaBitDepthMinus8 bit_depth_luma_minus8, 0..7
 * @param chromaBitDepthMinus8 bit_depth_chroma_minus8, 0..7
 */
record HevcSequenceParameterSet(
        byte[] rbsp,
        int maxSubLayersMinus1,
        boolean temporalIdNesting,
        int profileIdc,
        int chromaFormatIdc,
        int width,
        int height,
        int lumaBitDepthMinus8,
        int chromaBitDepthMinus8) {
    static final int NAL_VPS = 32;
    static final int NAL_SPS = 33;
    static final int NAL_PPS = 34;
    /** Configuration version, profile/tier/level (12), segmentation, parallelism, chroma, depths, rate, flags. */
    private static final int RECORD_FIXED_BYTES = 23;

    /** Profile name as H.265 Annex A calls it. */
    String profileName() {
        return switch (profileIdc) {
            case 1 -> "Main";
            case 2 -> "Main 10";
            case 3 -> "Main Still Picture";
            case 4 -> "Format Range Extensions";
            case 9 -> "Screen-Extended";
            default -> "general_profile_idc " + profileIdc;
        };
    }

    VideoFormat format() {
        return new VideoFormat(VideoCodec.HEVC, width, height, profileName(), 0);
    }

    /**
     * Parses one SPS NAL unit (2-byte header included, emulation prevention bytes still in).
     *
     * @throws IllegalArgumentException when it is not an SPS, ends early or holds values out of range
     */
    static HevcSequenceParameterSet parse(byte[] nal) {
        if (nal.length < 3 || ((nal[0] >> 1) & 0x3F) != NAL_SPS) {
            throw new IllegalArgumentException("not an HEVC SPS NAL unit of at least 3 bytes");
        }
        byte[] rbsp = BitReader.unescapeRbsp(nal, 2, nal.length);
        BitReader in = new BitReader(rbsp, "HEVC SPS");
        in.bits(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = in.bitsAsInt(3);
        boolean temporalIdNesting = in.flag();
        // general profile_tier_level: profile space (2), tier (1), profile idc (5), 32 compatibility flags,
        // 48 constraint flags, level idc: 12 bytes, byte-aligned right after the first RBSP byte.
        in.bits(3);
        int profileIdc = in.bitsAsInt(5);
        in.bits(32);
        in.bits(32);
        in.bits(24);
        skipSubLayers(in, maxSubLayersMinus1);
        in.unsignedExpGolomb(); // sps_seq_parameter_set_id
        int chromaFormatIdc = in.unsignedExpGolomb();
        if (chromaFormatIdc > 3) {
            throw new IllegalArgumentException("HEVC SPS has chroma_format_idc " + chromaFormatIdc + ", allowed 0..3");
        }
        boolean separateColourPlanes = chromaFormatIdc == 3 && in.flag();
        int codedWidth = in.unsignedExpGolomb();
        int codedHeight = in.unsignedExpGolomb();
        int width = codedWidth;
        int height = codedHeight;
        if (in.flag()) { // conformance_window_flag: offsets in chroma samples (H.265 Table 6-1)
            int chroma = separateColourPlanes ? 0 : chromaFormatIdc;
            int subWidth = chroma == 1 || chroma == 2 ? 2 : 1;
            int subHeight = chroma == 1 ? 2 : 1;
            long left = in.unsignedExpGolomb();
            long right = in.unsignedExpGolomb();
            long top = in.unsignedExpGolomb();
            long bottom = in.unsignedExpGolomb();
            width = (int) (codedWidth - subWidth * (left + right));
            height = (int) (codedHeight - subHeight * (top + bottom));
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("HEVC SPS crops its " + codedWidth + "x" + codedHeight
                        + " picture to nothing (conformance window " + left + "," + right + "," + top + "," + bottom
                        + ")");
            }
        }
        int lumaMinus8 = in.unsignedExpGolomb();
        int chromaMinus8 = in.unsignedExpGolomb();
        if (lumaMinus8 > 7 || chromaMinus8 > 7) {
            throw new IllegalArgumentException(
                    "HEVC SPS has bit depth minus 8 of " + lumaMinus8 + "/" + chromaMinus8 + ", allowed 0..7");
        }
        return new HevcSequenceParameterSet(
                rbsp,
                maxSubLayersMinus1,
                temporalIdNesting,
                profileIdc,
                chromaFormatIdc,
                width,
                height,
                lumaMinus8,
                chromaMinus8);
    }

    /**
     * Parses the first SPS of an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1).
     *
     * @throws IllegalArgumentException when the record is truncated, holds no SPS, or its SPS is malformed
     */
    static HevcSequenceParameterSet fromRecord(byte[] record) {
        if (record.length < RECORD_FIXED_BYTES) {
            throw new IllegalArgumentException("HEVCDecoderConfigurationRecord is truncated: " + record.length
                    + " byte(s), needs at least " + RECORD_FIXED_BYTES);
        }
        if (record[0] != 1) {
            throw new IllegalArgumentException(
                    "HEVCDecoderConfigurationRecord has configurationVersion " + (record[0] & 0xFF) + ", expected 1");
        }
        int arrays = record[RECORD_FIXED_BYTES - 1] & 0xFF;
        int at = RECORD_FIXED_BYTES;
        for (int a = 0; a < arrays; a++) {
            requireBytes(record, at, 3);
            int nalType = record[at] & 0x3F;
            int count = (record[at + 1] & 0xFF) << 8 | record[at + 2] & 0xFF;
            at += 3;
            for (int n = 0; n < count; n++) {
                requireBytes(record, at, 2);
                int length = (record[at] & 0xFF) << 8 | record[at + 1] & 0xFF;
                at += 2;
                requireBytes(record, at, length);
                if (nalType == NAL_SPS) {
                    return parse(Arrays.copyOfRange(record, at, at + length));
                }
                at += length;
            }
        }
        throw new IllegalArgumentException("HEVCDecoderConfigurationRecord holds no SPS");
    }

    private static void requireBytes(byte[] record, int at, int needed) {
        if (record.length - at < needed) {
            throw new IllegalArgumentException("HEVCDecoderConfigurationRecord is truncated at byte " + at + ": needs "
                    + needed + ", " + Math.max(0, record.length - at) + " left");
        }
    }

    /** Skips the sub-layer part of profile_tier_level (H.265 §7.3.3). */
    private static void skipSubLayers(BitReader in, int maxSubLayersMinus1) {
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = in.flag();
            levelPresent[i] = in.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            for (int i = maxSubLayersMinus1; i < 8; i++) {
                in.bits(2); // reserved_zero_2bits
            }
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                in.bits(32);
                in.bits(32);
                in.bits(24); // 88 bits of sub-layer profile
            }
            if (levelPresent[i]) {
                in.bits(8);
            }
        }
    }
}
