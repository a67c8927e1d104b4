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
        HevcSequenceParameterSet first = HevcSequenceParameterSet.parse(sps.get(0));
        byte[] rbsp = first.rbsp();
        int chromaFormatIdc = first.chromaFormatIdc();
        int lumaMinus8 = first.lumaBitDepthMinus8();
        int chromaMinus8 = first.chromaBitDepthMinus8();
        int maxSubLayersMinus1 = first.maxSubLayersMinus1();
        boolean temporalIdNesting = first.temporalIdNesting();

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
        writeArray(out, HevcSequenceParameterSet.NAL_VPS, vps, "VPS");
        writeArray(out, HevcSequenceParameterSet.NAL_SPS, sps, "SPS");
        writeArray(out, HevcSequenceParameterSet.NAL_PPS, pps, "PPS");
        return out.toByteArray();
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
