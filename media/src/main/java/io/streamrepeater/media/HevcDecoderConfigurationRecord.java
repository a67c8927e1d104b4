package io.streamrepeater.media;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Builds an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1) from the VPS, SPS and PPS an
 * Annex B stream carries in band, with 4-byte NAL unit lengths: the body of an Enhanced RTMP
 * {@code hvc1} SequenceStart.
 *
 * <p>Profile, tier, level, constraint flags, chroma format, bit depths and temporal layering are
 * copied from the first SPS. The fields that need the VUI or PPS to be parsed (min spatial
 * segmentation, parallelism type, average and constant frame rate) are written as 0, "unknown",
 * which the specification allows. The arrays are marked complete: the demuxer strips parameter sets
 * from the coded frames, so every one of them is in the record.
 */
public final class HevcDecoderConfigurationRecord {
    static final int NAL_VPS = 32;
    static final int NAL_SPS = 33;
    static final int NAL_PPS = 34;
    private static final int LENGTH_SIZE_MINUS_ONE = 3;
    private static final int MAX_PARAMETER_SET_BYTES = 0xFFFF;

    private HevcDecoderConfigurationRecord() {}

    /**
     * @param vps video parameter sets, each one NAL unit with its 2-byte header, no start code
     * @param sps sequence parameter sets, likewise
     * @param pps picture parameter sets, likewise
     * @return the record bytes
     * @throws IllegalArgumentException when a kind is missing or the first SPS is malformed
     */
    public static byte[] build(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {
        if (vps.isEmpty() || sps.isEmpty() || pps.isEmpty()) {
            throw new IllegalArgumentException("an HEVCDecoderConfigurationRecord needs a VPS, an SPS and a PPS, got "
                    + vps.size() + " VPS, " + sps.size() + " SPS and " + pps.size() + " PPS");
        }
        byte[] first = sps.get(0);
        if (first.length < 3 || ((first[0] >> 1) & 0x3F) != NAL_SPS) {
            throw new IllegalArgumentException("the first HEVC SPS is not an SPS NAL unit of at least 3 bytes");
        }
        byte[] rbsp = BitReader.unescapeRbsp(first, 2, first.length);
        BitReader in = new BitReader(rbsp, "HEVC SPS");
        in.bits(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = in.bitsAsInt(3);
        boolean temporalIdNesting = in.flag();
        // general profile_tier_level: profile space, tier, profile idc (8 bits), 32 compatibility flags,
        // 48 constraint flags, level idc: 12 bytes, byte-aligned right after the first RBSP byte.
        in.bits(32);
        in.bits(32);
        in.bits(32);
        skipSubLayers(in, maxSubLayersMinus1);
        in.unsignedExpGolomb(); // sps_seq_parameter_set_id
        int chromaFormatIdc = in.unsignedExpGolomb();
        if (chromaFormatIdc > 3) {
            throw new IllegalArgumentException("HEVC SPS has chroma_format_idc " + chromaFormatIdc + ", allowed 0..3");
        }
        if (chromaFormatIdc == 3) {
            in.flag(); // separate_colour_plane_flag
        }
        in.unsignedExpGolomb(); // pic_width_in_luma_samples
        in.unsignedExpGolomb(); // pic_height_in_luma_samples
        if (in.flag()) { // conformance_window_flag
            for (int i = 0; i < 4; i++) {
                in.unsignedExpGolomb();
            }
        }
        int lumaMinus8 = in.unsignedExpGolomb();
        int chromaMinus8 = in.unsignedExpGolomb();
        if (lumaMinus8 > 7 || chromaMinus8 > 7) {
            throw new IllegalArgumentException(
                    "HEVC SPS has bit depth minus 8 of " + lumaMinus8 + "/" + chromaMinus8 + ", allowed 0..7");
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1); // configurationVersion
        out.write(rbsp, 1, 12); // profile space/tier/idc, compatibility flags, constraint flags, level
        out.write(0xF0); // reserved 1111 + min_spatial_segmentation_idc 0 (12 bits)
        out.write(0x00);
        out.write(0xFC); // reserved 111111 + parallelismType 0 (unknown)
        out.write(0xFC | chromaFormatIdc);
        out.write(0xF8 | lumaMinus8);
        out.write(0xF8 | chromaMinus8);
        out.write(0); // avgFrameRate 0 (unknown)
        out.write(0);
        out.write((maxSubLayersMinus1 + 1) << 3 | (temporalIdNesting ? 1 : 0) << 2 | LENGTH_SIZE_MINUS_ONE);
        out.write(3); // numOfArrays
        writeArray(out, NAL_VPS, vps, "VPS");
        writeArray(out, NAL_SPS, sps, "SPS");
        writeArray(out, NAL_PPS, pps, "PPS");
        return out.toByteArray();
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

    private static void writeArray(ByteArrayOutputStream out, int nalType, List<byte[]> sets, String what) {
        if (sets.size() > 0xFFFF) {
            throw new IllegalArgumentException(
                    "too many HEVC " + what + " for an HEVCDecoderConfigurationRecord: " + sets.size());
        }
        out.write(0x80 | nalType); // array_completeness 1, reserved 0, NAL_unit_type
        out.write(sets.size() >> 8);
        out.write(sets.size() & 0xFF);
        for (byte[] set : sets) {
            if (set.length > MAX_PARAMETER_SET_BYTES) {
                throw new IllegalArgumentException("HEVC " + what + " of " + set.length
                        + " bytes does not fit the 16-bit length of an HEVCDecoderConfigurationRecord");
            }
            out.write(set.length >> 8);
            out.write(set.length & 0xFF);
            out.write(set, 0, set.length);
        }
    }
}
