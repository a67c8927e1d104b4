package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;

/**
 * Reads the header of FLV audio and video tag bodies (the payload of RTMP message types 8 and 9),
 * in the legacy FLV form and in the Enhanced RTMP (v1 and v2) form.
 *
 * <p>Probing only looks: it reads with absolute getters between {@code readerIndex} and
 * {@code writerIndex}, never moves the reader index and never retains or releases the buffer; the
 * caller keeps ownership. A truncated or empty payload yields a result with codec {@code OTHER} and
 * no flags set, never an exception, because a malformed packet from an encoder must not break the
 * relay.
 */
public final class FlvTags {
    /** Bit of byte 0 that marks an Enhanced RTMP video tag header. */
    private static final int VIDEO_EX_HEADER_BIT = 0x80;

    private static final int LEGACY_CODEC_AVC = 7;
    /** Not in the FLV spec; some legacy encoders and servers use it for HEVC. */
    private static final int LEGACY_CODEC_HEVC = 12;

    private static final int AVC_PACKET_SEQUENCE_HEADER = 0;
    private static final int AVC_PACKET_NALU = 1;
    private static final int AVC_PACKET_END_OF_SEQUENCE = 2;

    private static final int VIDEO_PACKET_SEQUENCE_START = 0;
    private static final int VIDEO_PACKET_CODED_FRAMES = 1;
    private static final int VIDEO_PACKET_SEQUENCE_END = 2;
    private static final int VIDEO_PACKET_CODED_FRAMES_X = 3;
    private static final int VIDEO_PACKET_METADATA = 4;
    private static final int VIDEO_PACKET_MPEG2TS_SEQUENCE_START = 5;
    private static final int VIDEO_PACKET_MULTITRACK = 6;
    private static final int VIDEO_PACKET_MOD_EX = 7;

    private static final int SOUND_FORMAT_MP3 = 2;
    private static final int SOUND_FORMAT_EX_HEADER = 9;
    private static final int SOUND_FORMAT_AAC = 10;
    private static final int SOUND_FORMAT_MP3_8KHZ = 14;
    private static final int AAC_PACKET_SEQUENCE_HEADER = 0;

    private static final int AUDIO_PACKET_SEQUENCE_START = 0;
    private static final int AUDIO_PACKET_MULTITRACK = 5;
    private static final int AUDIO_PACKET_MOD_EX = 7;

    /** Multitrack mode in which there is one track; its body has no size field. */
    private static final int MULTITRACK_ONE_TRACK = 0;

    private FlvTags() {}

    /**
     * Reads the video tag header at the start of {@code payload}.
     *
     * @param payload an FLV video tag body; not retained, not released, reader index unchanged
     * @return what the header says; codec {@code OTHER} with no flags when it is truncated
     */
    public static VideoTagInfo probeVideo(ByteBuf payload) {
        Cursor in = new Cursor(payload);
        if (!in.has(1)) {
            return VideoTagInfo.unreadable(0, false);
        }
        int first = in.u8();
        return (first & VIDEO_EX_HEADER_BIT) != 0 ? probeEnhancedVideo(first, in) : probeLegacyVideo(first, in);
    }

    private static VideoTagInfo probeLegacyVideo(int first, Cursor in) {
        int frameType = first >> 4;
        int codecId = first & 0x0F;
        if (codecId != LEGACY_CODEC_AVC && codecId != LEGACY_CODEC_HEVC) {
            boolean coded = frameType != VideoTagInfo.FRAME_TYPE_COMMAND;
            return new VideoTagInfo(
                    frameType,
                    VideoCodec.OTHER,
                    false,
                    coded && frameType == VideoTagInfo.FRAME_TYPE_KEY,
                    false,
                    false,
                    coded,
                    0);
        }
        VideoCodec codec = codecId == LEGACY_CODEC_AVC ? VideoCodec.AVC : VideoCodec.HEVC;
        if (!in.has(4)) {
            return VideoTagInfo.unreadable(frameType, false);
        }
        int packetType = in.u8();
        int compositionTime = in.s24();
        if (frameType == VideoTagInfo.FRAME_TYPE_COMMAND) {
            return new VideoTagInfo(frameType, codec, false, false, false, false, false, 0);
        }
        return switch (packetType) {
            case AVC_PACKET_SEQUENCE_HEADER -> new VideoTagInfo(frameType, codec, false, false, true, false, false, 0);
            case AVC_PACKET_NALU ->
                new VideoTagInfo(
                        frameType,
                        codec,
                        false,
                        frameType == VideoTagInfo.FRAME_TYPE_KEY,
                        false,
                        false,
                        true,
                        compositionTime);
            case AVC_PACKET_END_OF_SEQUENCE -> new VideoTagInfo(frameType, codec, false, false, false, true, false, 0);
            default -> new VideoTagInfo(frameType, codec, false, false, false, false, false, 0);
        };
    }

    private static VideoTagInfo probeEnhancedVideo(int first, Cursor in) {
        int frameType = (first >> 4) & 0x07;
        int packetType = first & 0x0F;
        if (packetType == VIDEO_PACKET_MOD_EX) {
            packetType = in.skipModEx();
            if (packetType < 0) {
                return VideoTagInfo.unreadable(frameType, true);
            }
        }
        if (packetType != VIDEO_PACKET_METADATA && frameType == VideoTagInfo.FRAME_TYPE_COMMAND) {
            // A command frame carries a VideoCommand byte and no FourCC.
            return VideoTagInfo.unreadable(frameType, true);
        }
        int multitrackType = -1;
        if (packetType == VIDEO_PACKET_MULTITRACK) {
            if (!in.has(1)) {
                return VideoTagInfo.unreadable(frameType, true);
            }
            int modeAndType = in.u8();
            multitrackType = modeAndType >> 4;
            packetType = modeAndType & 0x0F;
        }
        // In every multitrack mode the first track starts with a FourCC (shared or its own).
        if (!in.has(4)) {
            return VideoTagInfo.unreadable(frameType, true);
        }
        VideoCodec codec = FourCc.videoCodec(in.u32());
        if (multitrackType >= 0) {
            int trackHeader = 1 + (multitrackType == MULTITRACK_ONE_TRACK ? 0 : 3); // trackId, sizeOfTrack
            if (!in.has(trackHeader)) {
                return VideoTagInfo.unreadable(frameType, true);
            }
            in.skip(trackHeader);
        }
        boolean key = frameType == VideoTagInfo.FRAME_TYPE_KEY;
        switch (packetType) {
            case VIDEO_PACKET_SEQUENCE_START, VIDEO_PACKET_MPEG2TS_SEQUENCE_START:
                return new VideoTagInfo(frameType, codec, true, false, true, false, false, 0);
            case VIDEO_PACKET_CODED_FRAMES:
                int compositionTime = 0;
                if (codec == VideoCodec.AVC || codec == VideoCodec.HEVC) {
                    if (!in.has(3)) {
                        return VideoTagInfo.unreadable(frameType, true);
                    }
                    compositionTime = in.s24();
                }
                return new VideoTagInfo(frameType, codec, true, key, false, false, true, compositionTime);
            case VIDEO_PACKET_CODED_FRAMES_X:
                return new VideoTagInfo(frameType, codec, true, key, false, false, true, 0);
            case VIDEO_PACKET_SEQUENCE_END:
                return new VideoTagInfo(frameType, codec, true, false, false, true, false, 0);
            default: // Metadata (HDR and the like) and packet types this relay does not know
                return new VideoTagInfo(frameType, codec, true, false, false, false, false, 0);
        }
    }

    /**
     * Reads the audio tag header at the start of {@code payload}.
     *
     * @param payload an FLV audio tag body; not retained, not released, reader index unchanged
     * @return what the header says; codec {@code OTHER} with no flags when it is truncated
     */
    public static AudioTagInfo probeAudio(ByteBuf payload) {
        Cursor in = new Cursor(payload);
        if (!in.has(1)) {
            return AudioTagInfo.UNREADABLE;
        }
        int first = in.u8();
        int soundFormat = first >> 4;
        if (soundFormat == SOUND_FORMAT_EX_HEADER) {
            return probeEnhancedAudio(first & 0x0F, in);
        }
        return switch (soundFormat) {
            case SOUND_FORMAT_AAC ->
                in.has(1)
                        ? new AudioTagInfo(AudioCodec.AAC, false, in.u8() == AAC_PACKET_SEQUENCE_HEADER)
                        : AudioTagInfo.UNREADABLE;
            case SOUND_FORMAT_MP3, SOUND_FORMAT_MP3_8KHZ -> new AudioTagInfo(AudioCodec.MP3, false, false);
            default -> new AudioTagInfo(AudioCodec.OTHER, false, false);
        };
    }

    private static AudioTagInfo probeEnhancedAudio(int packetType, Cursor in) {
        AudioTagInfo unreadable = new AudioTagInfo(AudioCodec.OTHER, true, false);
        if (packetType == AUDIO_PACKET_MOD_EX) {
            packetType = in.skipModEx();
            if (packetType < 0) {
                return unreadable;
            }
        }
        if (packetType == AUDIO_PACKET_MULTITRACK) {
            if (!in.has(1)) {
                return unreadable;
            }
            packetType = in.u8() & 0x0F;
        }
        if (!in.has(4)) {
            return unreadable;
        }
        return new AudioTagInfo(FourCc.audioCodec(in.u32()), true, packetType == AUDIO_PACKET_SEQUENCE_START);
    }

    /** Forward-only reader over the readable bytes of a buffer that uses absolute getters only. */
    private static final class Cursor {
        /** ModEx has the same value among audio and video packet types. */
        private static final int MOD_EX = 7;

        private final ByteBuf buf;
        private final int end;
        private int pos;

        Cursor(ByteBuf buf) {
            this.buf = buf;
            this.pos = buf.readerIndex();
            this.end = buf.writerIndex();
        }

        boolean has(int bytes) {
            return end - pos >= bytes;
        }

        void skip(int bytes) {
            pos += bytes;
        }

        int u8() {
            return buf.getUnsignedByte(pos++);
        }

        int s24() {
            int value = buf.getMedium(pos);
            pos += 3;
            return value;
        }

        int u32() {
            int value = buf.getInt(pos);
            pos += 4;
            return value;
        }

        /**
         * Skips one or more ModEx blocks (Enhanced RTMP v2): a size (UI8 + 1, or UI16 + 1 when the
         * byte says 256), that many bytes of modifier data, then a byte whose low nibble is the next
         * packet type, which may be ModEx again.
         *
         * @return the packet type after the last ModEx block, or -1 when the payload ends first
         */
        int skipModEx() {
            int packetType = MOD_EX;
            while (packetType == MOD_EX) {
                if (!has(1)) {
                    return -1;
                }
                int size = u8() + 1;
                if (size == 256) {
                    if (!has(2)) {
                        return -1;
                    }
                    size = buf.getUnsignedShort(pos) + 1;
                    pos += 2;
                }
                if (!has(size + 1)) {
                    return -1;
                }
                skip(size);
                packetType = u8() & 0x0F;
            }
            return packetType;
        }
    }
}
