package io.streamrepeater.media;

/**
 * Sequence header tag bodies exactly as ffmpeg 5.1 (libx264, native aac) wrote them into FLV files,
 * one line per field. Commands:
 * <pre>
 * 640x360:  ffmpeg -f lavfi -i testsrc2=size=640x360:rate=30 -f lavfi -i sine -t 1 -c:v libx264 -g 30 -c:a aac -f flv
 * 1080p:    ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -f lavfi -i sine -t 0.2 -c:v libx264 -profile:v main
 *               -c:a aac -ar 48000 -ac 2 -f flv
 * baseline: ffmpeg -f lavfi -i testsrc2=size=320x240:rate=15 -t 0.2 -c:v libx264 -profile:v baseline -f flv
 * 4:4:4:    ffmpeg -f lavfi -i testsrc2=size=352x288:rate=30000/1001 -t 0.2 -c:v libx264 -pix_fmt yuv444p
 *               -x264-params cqm=jvt -f flv (the matrices go to the PPS, the SPS has none)
 * interlaced: ffmpeg -f lavfi -i testsrc2=size=640x480:rate=25 -t 0.2 -c:v libx264 -flags +ildct
 *               -x264-params interlaced=1 -f flv
 * </pre>
 */
final class RealCodecHeaders {
    static final String AVC_640X360_HIGH_30FPS = "17 | 00 | 000000" // key, AVC | sequence header | cts 0
            + "| 01 64 00 1e" // version 1, profile 100 (High), compatibility 0, level 3.0
            + "| ff e1" // 4-byte NALU lengths | 1 SPS
            + "| 001a 6764001eacd940a02ff970110000030001000003003c0f162d96" // SPS, 26 bytes
            + "| 01 0006 68ebe3cb22c0" // 1 PPS, 6 bytes
            + "| fdf8f800"; // High profile: chroma 4:2:0, 8 bit, no SPS extensions

    static final String AVC_1920X1080_MAIN_25FPS = "17 | 00 | 000000"
            + "| 01 4d 40 28" // Main, constraint_set1, level 4.0
            + "| ff e1"
            + "| 001a 674d4028eca03c0113f2e022000003000200000300641e30632c" // SPS: 1088 rows cropped to 1080
            + "| 01 0005 68ebe3cb20";

    static final String AVC_320X240_BASELINE_15FPS = "17 | 00 | 000000"
            + "| 01 42 c0 0c" // Baseline, constraint_set0+1 (Constrained Baseline), level 1.2
            + "| ff e1"
            + "| 0018 6742c00cd90141fb0110000003001000000301e0f142a480"
            + "| 01 0005 68cb83cb20";

    static final String AVC_352X288_HIGH444_29_97FPS = "17 | 00 | 000000"
            + "| 01 f4 00 0d" // High 4:4:4 Predictive, level 1.3
            + "| ff e1"
            + "| 0017 67f4000d919b282c12d808800001f480007530078a14cb" // SPS: chroma_format_idc 3
            + "| 01 0008 68ebe3c44c000440"
            + "| fff8f800";

    static final String AVC_640X480_INTERLACED_25FPS = "17 | 00 | 000000"
            + "| 01 64 00 1e"
            + "| ff e1"
            + "| 0019 6764001eacd940a07b6022000003000200000300643e28532c" // SPS: frame_mbs_only 0
            + "| 01 0006 68fba3cb22c0"
            + "| fdf8f800";

    static final String AAC_44100_MONO = "af | 00" // AAC, 44 kHz, 16 bit, stereo flag | sequence header
            + "| 1208" // AudioSpecificConfig: LC (2), index 4 (44100), 1 channel
            + "| 56e500"; // sync extension 0x2b7, SBR absent

    static final String AAC_48000_STEREO = "af | 00"
            + "| 1190" // LC (2), index 3 (48000), 2 channels
            + "| 56e500";

    /*
     * HEVC and AV1 decoder configuration records as ffmpeg 5.1 wrote them into MP4 files (hvcC less x265's SEI array,
     * av1C whole), after the Enhanced RTMP tag header the relay receives (0x90: ex-header, key, SequenceStart; FourCC):
     * 426x240:  ffmpeg -f lavfi -i testsrc2=size=426x240:rate=30 -t 0.2 -c:v libx265 -tag:v hvc1 out.mp4
     * 1080p10:  ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=25 -t 0.12 -c:v libx265 -pix_fmt yuv420p10le out.mp4
     * AV1:      ffmpeg -f lavfi -i testsrc2=size=426x240:rate=30 -t 0.2 -c:v libaom-av1 -cpu-used 8 out.mp4
     * AV1 10b:  ffmpeg -f lavfi -i testsrc2=size=1280x720:rate=60 -t 0.1 -c:v libsvtav1 -preset 12
     *               -pix_fmt yuv420p10le out.mp4
     */
    static final String HEVC_426X240_MAIN = "90 | 68766331" // ex-header, key, SequenceStart | 'hvc1'
            + "| 01 01 60000000 900000000000 3c" // version 1 | Main | compatibility | constraints | level 2
            + "| f000 fc fd f8 f8 0000 0f" // segmentation, parallelism, 4:2:0, 8/8 bit, frame rate, 4-byte lengths
            + "| 03" // 3 arrays (x265's SEI array left out)
            + "| 20 0001 0018 40010c01ffff01600000030090000003000003003c959809" // VPS
            + "| 21 0001 002b 42010101600000030090000003000003003ca00d880f1c9e5959a4932bc05a020000030002000003003c10"
            + "| 22 0001 0007 4401c172b46240"; // SPS: 432 coded columns cropped to 426 | PPS

    static final String HEVC_1920X1080_MAIN10 = "90 | 68766331"
            + "| 01 02 20000000 900000000000 78" // Main 10, level 4
            + "| f000 fc fd fa fa 0000 0f" // 10/10 bit
            + "| 03"
            + "| 20 0001 0018 40010c01ffff022000000300900000030000030078959809"
            + "| 21 0001 002c 420101022000000300900000030000030078a003c08010e4d96566924caf016808000003000800000300c840"
            + "| 22 0001 0007 4401c172b46240";

    static final String AV1_426X240_MAIN = "90 | 61763031" // 'av01'
            + "| 81 00 0c 00" // marker+version | Main, level 0 | tier 0, 8 bit, 4:2:0 | no presentation delay
            + "| 0a 0b 000000043ea7bcdaf90040"; // sequence header OBU, 11 bytes

    static final String AV1_1280X720_MAIN_10BIT = "90 | 61763031"
            + "| 81 08 4c 00" // Main, level 8 (4.0) | 10 bit, 4:2:0
            + "| 0a 0b 00000042a67fd9e017c202";

    private RealCodecHeaders() {}
}
