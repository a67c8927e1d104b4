package io.streamrepeater.media;

import java.util.Arrays;

/**
 * An AV1 sequence header OBU (AV1 bitstream specification §5.5), read to its end: what an
 * AV1CodecConfigurationRecord repeats (profile, level and tier of the first operating point, colour
 * format) and what describes the picture (the largest frame size, the frame rate from the timing info).
 *
 * @param profile seq_profile, 0..2
 * @param level seq_level_idx[0]
 * @param tier seq_tier[0]
 * @param highBitDepth high_bitdepth
 * @param twelveBit twelve_bit
 * @param monochrome mono_chrome
 * @param subsamplingX subsampling_x
 * @param subsamplingY subsampling_y
 * @param chromaSamplePosition chroma_sample_position, 0 when not coded
 * @param width max_frame_width_minus_1 + 1
 * @param height max_frame_height_minus_1 + 1
 * @param frameRate frames per second from the timing info, 0 without it
 */
public record Av1SequenceHeader(
        int profile,
        int level,
        int tier,
        boolean highBitDepth,
        boolean twelveBit,
        boolean monochrome,
        boolean subsamplingX,
        boolean subsamplingY,
        int chromaSamplePosition,
        int width,
        int height,
        double frameRate) {
    /** obu_type of a sequence header. */
    public static final int OBU_SEQUENCE_HEADER = 1;

    private static final int RECORD_FIXED_BYTES = 4;
    private static final int SELECT_SCREEN_CONTENT_TOOLS = 2;
    private static final int CP_BT_709 = 1;
    private static final int TC_SRGB = 13;
    private static final int MC_IDENTITY = 0;

    /** Profile name as the AV1 specification's Annex A calls it. */
    public String profileName() {
        return switch (profile) {
            case 0 -> "Main";
            case 1 -> "High";
            case 2 -> "Professional";
            default -> "seq_profile " + profile;
        };
    }

    VideoFormat format() {
        return new VideoFormat(VideoCodec.AV1, width, height, profileName(), frameRate);
    }

    /**
     * Builds the AV1CodecConfigurationRecord (AV1 Codec ISO Media File Format Binding §2.3.3) for this sequence header:
     * the 4 bytes the binding derives from it, then the sequence header OBU itself as the only config OBU: the body of
     * an Enhanced RTMP {@code av01} SequenceStart.
     *
     * @param sequenceHeaderObu the OBU this record describes, header and size field included
     */
    public byte[] configurationRecord(byte[] sequenceHeaderObu) {
        byte[] record = new byte[RECORD_FIXED_BYTES + sequenceHeaderObu.length];
        record[0] = (byte) 0x81; // marker 1, version 1
        record[1] = (byte) (profile << 5 | level);
        record[2] = (byte) (tier << 7
                | bit(highBitDepth) << 6
                | bit(twelveBit) << 5
                | bit(monochrome) << 4
                | bit(subsamplingX) << 3
                | bit(subsamplingY) << 2
                | chromaSamplePosition);
        record[3] = 0; // no initial presentation delay
        System.arraycopy(sequenceHeaderObu, 0, record, RECORD_FIXED_BYTES, sequenceHeaderObu.length);
        return record;
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }

    /**
     * Parses a sequence header OBU's payload (after the OBU header and size field).
     *
     * @throws IllegalArgumentException when it ends early or holds values out of range
     */
    public static Av1SequenceHeader parse(byte[] payload) {
        BitReader in = new BitReader(payload, "AV1 sequence header");
        int profile = in.bitsAsInt(3);
        if (profile > 2) {
            throw new IllegalArgumentException("AV1 sequence header has seq_profile " + profile + ", allowed 0..2");
        }
        in.flag(); // still_picture
        boolean reduced = in.flag();
        int level;
        int tier = 0;
        double frameRate = 0;
        if (reduced) {
            level = in.bitsAsInt(5);
        } else {
            boolean decoderModelInfo = false;
            int bufferDelayBits = 0;
            if (in.flag()) { // timing_info_present_flag
                long unitsPerTick = in.bits(32);
                long timeScale = in.bits(32);
                long ticksPerPicture = in.flag() ? in.unsignedExpGolomb() + 1L : 1L;
                frameRate = unitsPerTick == 0 ? 0 : (double) timeScale / (unitsPerTick * ticksPerPicture);
                decoderModelInfo = in.flag();
                if (decoderModelInfo) {
                    bufferDelayBits = in.bitsAsInt(5) + 1;
                    in.bits(32); // num_units_in_decoding_tick
                    in.bits(5); // buffer_removal_time_length_minus_1
                    in.bits(5); // frame_presentation_time_length_minus_1
                }
            }
            boolean initialDisplayDelay = in.flag();
            int operatingPoints = in.bitsAsInt(5) + 1;
            level = 0;
            for (int i = 0; i < operatingPoints; i++) {
                in.bits(12); // operating_point_idc
                int pointLevel = in.bitsAsInt(5);
                int pointTier = pointLevel > 7 ? in.bitsAsInt(1) : 0;
                if (i == 0) {
                    level = pointLevel;
                    tier = pointTier;
                }
                if (decoderModelInfo && in.flag()) { // decoder_model_present_for_this_op
                    in.bits(bufferDelayBits); // decoder_buffer_delay
                    in.bits(bufferDelayBits); // encoder_buffer_delay
                    in.flag(); // low_delay_mode_flag
                }
                if (initialDisplayDelay && in.flag()) {
                    in.bits(4); // initial_display_delay_minus_1
                }
            }
        }
        int widthBits = in.bitsAsInt(4) + 1;
        int heightBits = in.bitsAsInt(4) + 1;
        int width = (int) in.bits(widthBits) + 1;
        int height = (int) in.bits(heightBits) + 1;
        if (!reduced && in.flag()) { // frame_id_numbers_present_flag
            in.bits(4);
            in.bits(3);
        }
        in.bits(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
        if (!reduced) {
            in.bits(4); // interintra compound, masked compound, warped motion, dual filter
            boolean orderHint = in.flag();
            if (orderHint) {
                in.bits(2); // enable_jnt_comp, enable_ref_frame_mvs
            }
            int screenContentTools = in.flag() ? SELECT_SCREEN_CONTENT_TOOLS : in.bitsAsInt(1);
            if (screenContentTools > 0 && !in.flag()) { // seq_choose_integer_mv
                in.flag(); // seq_force_integer_mv
            }
            if (orderHint) {
                in.bits(3); // order_hint_bits_minus_1
            }
        }
        in.bits(3); // enable_superres, enable_cdef, enable_restoration

        // color_config (§5.5.2)
        boolean highBitDepth = in.flag();
        boolean twelveBit = profile == 2 && highBitDepth && in.flag();
        boolean monochrome = profile != 1 && in.flag();
        int primaries = 2;
        int transfer = 2;
        int matrix = 2;
        if (in.flag()) { // color_description_present_flag
            primaries = in.bitsAsInt(8);
            transfer = in.bitsAsInt(8);
            matrix = in.bitsAsInt(8);
        }
        boolean subsamplingX;
        boolean subsamplingY;
        int chromaSamplePosition = 0;
        if (monochrome) {
            in.flag(); // color_range
            subsamplingX = true;
            subsamplingY = true;
        } else if (primaries == CP_BT_709 && transfer == TC_SRGB && matrix == MC_IDENTITY) {
            subsamplingX = false;
            subsamplingY = false;
        } else {
            in.flag(); // color_range
            if (profile == 0) {
                subsamplingX = true;
                subsamplingY = true;
            } else if (profile == 1) {
                subsamplingX = false;
                subsamplingY = false;
            } else if (twelveBit) {
                subsamplingX = in.flag();
                subsamplingY = subsamplingX && in.flag();
            } else {
                subsamplingX = true;
                subsamplingY = false;
            }
            if (subsamplingX && subsamplingY) {
                chromaSamplePosition = in.bitsAsInt(2);
            }
        }
        return new Av1SequenceHeader(
                profile,
                level,
                tier,
                highBitDepth,
                twelveBit,
                monochrome,
                subsamplingX,
                subsamplingY,
                chromaSamplePosition,
                width,
                height,
                frameRate);
    }

    /**
     * Parses the sequence header among the config OBUs of an AV1CodecConfigurationRecord.
     *
     * @throws IllegalArgumentException when the record is malformed or carries no sequence header (the binding allows
     *     none; then nothing about the picture is known)
     */
    static Av1SequenceHeader fromRecord(byte[] record) {
        if (record.length < RECORD_FIXED_BYTES || (record[0] & 0xFF) != 0x81) {
            throw new IllegalArgumentException(
                    "not an AV1CodecConfigurationRecord: needs marker and version 1 (0x81) and 4 bytes");
        }
        for (Av1Obus.Obu obu : Av1Obus.split(record, RECORD_FIXED_BYTES, "AV1 config OBU")) {
            if (obu.type() == OBU_SEQUENCE_HEADER) {
                return parse(Arrays.copyOfRange(record, obu.payloadStart(), obu.end()));
            }
        }
        throw new IllegalArgumentException("AV1CodecConfigurationRecord carries no sequence header OBU");
    }
}
