package io.streamrepeater.media;

/**
 * The fields of an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1) that describe the picture:
 * profile, level, decoded size with cropping applied, and the frame rate from the VUI timing info.
 */
record H264SequenceParameterSet(
        int profileIdc, int constraintFlags, int levelIdc, int width, int height, double frameRate) {

    private static final int NAL_TYPE_SPS = 7;
    private static final int EXTENDED_SAR = 255;

    /** Profile name as H.264 Annex A calls it. */
    String profileName() {
        boolean constraintSet1 = (constraintFlags & 0x40) != 0;
        boolean constraintSet3 = (constraintFlags & 0x10) != 0;
        return switch (profileIdc) {
            case 66 -> constraintSet1 ? "Constrained Baseline" : "Baseline";
            case 77 -> "Main";
            case 88 -> "Extended";
            case 100 -> "High";
            case 110 -> constraintSet3 ? "High 10 Intra" : "High 10";
            case 122 -> constraintSet3 ? "High 4:2:2 Intra" : "High 4:2:2";
            case 244 -> constraintSet3 ? "High 4:4:4 Intra" : "High 4:4:4 Predictive";
            case 44 -> "CAVLC 4:4:4 Intra";
            default -> "profile_idc " + profileIdc;
        };
    }

    /**
     * Parses one SPS NAL unit (header byte included, emulation prevention bytes still in).
     *
     * @throws IllegalArgumentException when it is not an SPS or ends early
     */
    static H264SequenceParameterSet parse(byte[] nal) {
        if (nal.length < 4) {
            throw new IllegalArgumentException("H.264 SPS is " + nal.length + " bytes long, needs at least 4");
        }
        int nalType = nal[0] & 0x1F;
        if (nalType != NAL_TYPE_SPS) {
            throw new IllegalArgumentException("expected an H.264 SPS (NAL type 7), found NAL type " + nalType);
        }
        BitReader in = new BitReader(BitReader.unescapeRbsp(nal, 1, nal.length), "H.264 SPS");
        int profileIdc = in.bitsAsInt(8);
        int constraintFlags = in.bitsAsInt(8);
        int levelIdc = in.bitsAsInt(8);
        in.unsignedExpGolomb(); // seq_parameter_set_id

        int chromaFormatIdc = 1; // 4:2:0 unless a high profile says otherwise
        boolean separateColourPlane = false;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = in.unsignedExpGolomb();
            if (chromaFormatIdc > 3) {
                throw new IllegalArgumentException(
                        "H.264 SPS has chroma_format_idc " + chromaFormatIdc + ", allowed 0..3");
            }
            if (chromaFormatIdc == 3) {
                separateColourPlane = in.flag();
            }
            in.unsignedExpGolomb(); // bit_depth_luma_minus8
            in.unsignedExpGolomb(); // bit_depth_chroma_minus8
            in.flag(); // qpprime_y_zero_transform_bypass_flag
            if (in.flag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormatIdc == 3 ? 12 : 8;
                for (int i = 0; i < lists; i++) {
                    if (in.flag()) { // seq_scaling_list_present_flag[i]
                        skipScalingList(in, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        in.unsignedExpGolomb(); // log2_max_frame_num_minus4
        int picOrderCntType = in.unsignedExpGolomb();
        if (picOrderCntType == 0) {
            in.unsignedExpGolomb(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (picOrderCntType == 1) {
            in.flag(); // delta_pic_order_always_zero_flag
            in.signedExpGolomb(); // offset_for_non_ref_pic
            in.signedExpGolomb(); // offset_for_top_to_bottom_field
            int cycle = in.unsignedExpGolomb();
            if (cycle > 255) {
                throw new IllegalArgumentException(
                        "H.264 SPS has num_ref_frames_in_pic_order_cnt_cycle " + cycle + ", allowed 0..255");
            }
            for (int i = 0; i < cycle; i++) {
                in.signedExpGolomb(); // offset_for_ref_frame[i]
            }
        } else if (picOrderCntType != 2) {
            throw new IllegalArgumentException(
                    "H.264 SPS has pic_order_cnt_type " + picOrderCntType + ", allowed 0..2");
        }
        in.unsignedExpGolomb(); // max_num_ref_frames
        in.flag(); // gaps_in_frame_num_value_allowed_flag
        int widthInMbs = in.unsignedExpGolomb() + 1;
        int heightInMapUnits = in.unsignedExpGolomb() + 1;
        boolean frameMbsOnly = in.flag();
        if (!frameMbsOnly) {
            in.flag(); // mb_adaptive_frame_field_flag
        }
        in.flag(); // direct_8x8_inference_flag
        int fieldFactor = frameMbsOnly ? 1 : 2; // map units are fields when interlacing is allowed
        int width = widthInMbs * 16;
        int height = fieldFactor * heightInMapUnits * 16;
        if (in.flag()) { // frame_cropping_flag
            int left = in.unsignedExpGolomb();
            int right = in.unsignedExpGolomb();
            int top = in.unsignedExpGolomb();
            int bottom = in.unsignedExpGolomb();
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int cropUnitX = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
            int cropUnitY = (chromaArrayType == 1 ? 2 : 1) * fieldFactor;
            width -= cropUnitX * (left + right);
            height -= cropUnitY * (top + bottom);
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("H.264 SPS crops the picture to nothing: " + width + "x" + height);
            }
        }
        double frameRate = 0;
        if (in.flag()) { // vui_parameters_present_flag
            frameRate = readVuiFrameRate(in);
        }
        return new H264SequenceParameterSet(profileIdc, constraintFlags, levelIdc, width, height, frameRate);
    }

    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    private static void skipScalingList(BitReader in, int size) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size; j++) {
            if (nextScale != 0) {
                int delta = in.signedExpGolomb();
                nextScale = (lastScale + delta + 256) % 256;
            }
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    /** Reads the VUI up to its timing info (Annex E.1.1); 0 when there is none. */
    private static double readVuiFrameRate(BitReader in) {
        if (in.flag()) { // aspect_ratio_info_present_flag
            if (in.bitsAsInt(8) == EXTENDED_SAR) {
                in.bits(16); // sar_width
                in.bits(16); // sar_height
            }
        }
        if (in.flag()) { // overscan_info_present_flag
            in.flag(); // overscan_appropriate_flag
        }
        if (in.flag()) { // video_signal_type_present_flag
            in.bits(3); // video_format
            in.flag(); // video_full_range_flag
            if (in.flag()) { // colour_description_present_flag
                in.bits(24); // colour_primaries, transfer_characteristics, matrix_coefficients
            }
        }
        if (in.flag()) { // chroma_loc_info_present_flag
            in.unsignedExpGolomb(); // chroma_sample_loc_type_top_field
            in.unsignedExpGolomb(); // chroma_sample_loc_type_bottom_field
        }
        if (!in.flag()) { // timing_info_present_flag
            return 0;
        }
        long numUnitsInTick = in.bits(32);
        long timeScale = in.bits(32);
        if (numUnitsInTick == 0 || timeScale == 0) {
            return 0;
        }
        // A frame lasts two ticks: the tick is a field period.
        return timeScale / (2.0 * numUnitsInTick);
    }
}
