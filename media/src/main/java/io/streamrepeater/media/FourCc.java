package io.streamrepeater.media;

/** Enhanced RTMP FourCC codes as big-endian ints, the way they travel in a tag header. */
final class FourCc {
    static final int AVC1 = of("avc1");
    static final int HVC1 = of("hvc1");
    static final int AV01 = of("av01");
    static final int VP09 = of("vp09");

    static final int OPUS = of("Opus");
    static final int MP4A = of("mp4a");
    static final int MP3 = of(".mp3");
    static final int FLAC = of("fLaC");
    static final int AC3 = of("ac-3");
    static final int EAC3 = of("ec-3");

    private FourCc() {}

    static int of(String code) {
        if (code.length() != 4) {
            throw new IllegalArgumentException("a FourCC has 4 characters, got '" + code + "'");
        }
        return code.charAt(0) << 24 | code.charAt(1) << 16 | code.charAt(2) << 8 | code.charAt(3);
    }

    static VideoCodec videoCodec(int fourCc) {
        if (fourCc == AVC1) {
            return VideoCodec.AVC;
        } else if (fourCc == HVC1) {
            return VideoCodec.HEVC;
        } else if (fourCc == AV01) {
            return VideoCodec.AV1;
        } else if (fourCc == VP09) {
            return VideoCodec.VP9;
        }
        return VideoCodec.OTHER;
    }

    static AudioCodec audioCodec(int fourCc) {
        if (fourCc == MP4A) {
            return AudioCodec.AAC;
        } else if (fourCc == OPUS) {
            return AudioCodec.OPUS;
        } else if (fourCc == MP3) {
            return AudioCodec.MP3;
        }
        return AudioCodec.OTHER; // fLaC, ac-3, ec-3 and anything newer
    }
}
