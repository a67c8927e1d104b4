package io.streamrepeater.media;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Builds an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1) from the parameter sets an
 * Annex B stream carries in band, with 4-byte NAL unit lengths: the record that follows
 * {@code 17 00 00 00 00} in an FLV AVC sequence header. The layout matches what ffmpeg's muxers write
 * (including the chroma and bit-depth extension for the High profiles), so a demuxed stream and an
 * ffmpeg remux of it announce the same bytes.
 */
public final class AvcDecoderConfigurationRecord {
    /** NAL unit length field of 4 bytes: lengthSizeMinusOne = 3 with the 6 reserved bits set. */
    private static final int LENGTH_SIZE_BYTE = 0xFF;

    private static final int MAX_PARAMETER_SETS = 31;
    private static final int MAX_PARAMETER_SET_BYTES = 0xFFFF;

    private AvcDecoderConfigurationRecord() {}

    /**
     * @param sps sequence parameter sets, each one NAL unit with its header byte, no start code
     * @param pps picture parameter sets, likewise
     * @return the record bytes
     * @throws IllegalArgumentException when there is no SPS or PPS, too many of them, or the first SPS
     *     is malformed
     */
    public static byte[] build(List<byte[]> sps, List<byte[]> pps) {
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new IllegalArgumentException("an AVCDecoderConfigurationRecord needs at least one SPS and one PPS,"
                    + " got " + sps.size() + " SPS and " + pps.size() + " PPS");
        }
        if (sps.size() > MAX_PARAMETER_SETS || pps.size() > 255) {
            throw new IllegalArgumentException("too many parameter sets for an AVCDecoderConfigurationRecord: "
                    + sps.size() + " SPS (max 31), " + pps.size() + " PPS (max 255)");
        }
        byte[] first = sps.get(0);
        if (first.length < 4 || (first[0] & 0x1F) != 7) {
            throw new IllegalArgumentException("the first H.264 SPS is not an SPS NAL unit of at least 4 bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1); // configurationVersion
        out.write(first[1]); // AVCProfileIndication
        out.write(first[2]); // profile_compatibility (the constraint flags)
        out.write(first[3]); // AVCLevelIndication
        out.write(LENGTH_SIZE_BYTE);
        out.write(0xE0 | sps.size());
        writeAll(out, sps, "SPS");
        out.write(pps.size());
        writeAll(out, pps, "PPS");
        int profileIdc = first[1] & 0xFF;
        if (profileIdc == 100 || profileIdc == 110 || profileIdc == 122 || profileIdc == 144) {
            int[] chroma = chromaAndBitDepths(first);
            out.write(0xFC | chroma[0]); // chroma_format
            out.write(0xF8 | chroma[1]); // bit_depth_luma_minus8
            out.write(0xF8 | chroma[2]); // bit_depth_chroma_minus8
            out.write(0); // numOfSequenceParameterSetExt
        }
        return out.toByteArray();
    }

    private static void writeAll(ByteArrayOutputStream out, List<byte[]> sets, String what) {
        for (byte[] set : sets) {
            if (set.length > MAX_PARAMETER_SET_BYTES) {
                throw new IllegalArgumentException("H.264 " + what + " of " + set.length
                        + " bytes does not fit the 16-bit length of an AVCDecoderConfigurationRecord");
            }
            out.write(set.length >> 8);
            out.write(set.length & 0xFF);
            out.write(set, 0, set.length);
        }
    }

    /** chroma_format_idc, bit_depth_luma_minus8 and bit_depth_chroma_minus8 of a High-profile SPS. */
    private static int[] chromaAndBitDepths(byte[] spsNal) {
        BitReader in = new BitReader(BitReader.unescapeRbsp(spsNal, 1, spsNal.length), "H.264 SPS");
        in.bits(24); // profile_idc, constraint flags, level_idc
        in.unsignedExpGolomb(); // seq_parameter_set_id
        int chromaFormatIdc = in.unsignedExpGolomb();
        if (chromaFormatIdc > 3) {
            throw new IllegalArgumentException("H.264 SPS has chroma_format_idc " + chromaFormatIdc + ", allowed 0..3");
        }
        if (chromaFormatIdc == 3) {
            in.flag(); // separate_colour_plane_flag
        }
        int lumaMinus8 = in.unsignedExpGolomb();
        int chromaMinus8 = in.unsignedExpGolomb();
        if (lumaMinus8 > 7 || chromaMinus8 > 7) {
            throw new IllegalArgumentException(
                    "H.264 SPS has bit depth minus 8 of " + lumaMinus8 + "/" + chromaMinus8 + ", allowed 0..6");
        }
        return new int[] {chromaFormatIdc, lumaMinus8, chromaMinus8};
    }
}
