package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;

/**
 * Reads the picture format from a video sequence header of any codec the relay describes: AVC
 * ({@link AvcConfiguration}), HEVC ({@link HevcSequenceParameterSet} in an HEVCDecoderConfigurationRecord) and AV1
 * ({@link Av1SequenceHeader} in an AV1CodecConfigurationRecord). The tag header is 5 bytes in every case: legacy
 * (codec id, packet type, composition time) or Enhanced RTMP (header byte, FourCC); 7 in an Enhanced RTMP multitrack
 * tag of one track (header byte, mode and packet type, FourCC, track id).
 */
public final class VideoConfiguration {
    static final int FLV_VIDEO_TAG_HEADER_BYTES = 5;
    /** Enhanced RTMP packet type of a multitrack tag, and its mode with one track (no size field per track). */
    private static final int MULTITRACK = 6;

    private static final int ONE_TRACK = 0;
    /** Header byte, multitrack mode and packet type, FourCC, track id. */
    private static final int ONE_TRACK_HEADER_BYTES = 7;

    private VideoConfiguration() {}

    /**
     * @param sequenceHeaderPayload the FLV tag body of a video sequence header; read with absolute getters, not
     *     retained, not released, reader index unchanged
     * @return codec, displayed size, profile name and frame rate (0 where the header carries none)
     * @throws IllegalArgumentException when the payload is not a sequence header of AVC, HEVC or AV1, or is malformed
     */
    public static VideoFormat parse(ByteBuf sequenceHeaderPayload) {
        VideoTagInfo tag = FlvTags.probeVideo(sequenceHeaderPayload);
        return switch (tag.codec()) {
            case AVC -> AvcConfiguration.parse(sequenceHeaderPayload);
            case HEVC ->
                HevcSequenceParameterSet.fromRecord(record(sequenceHeaderPayload, tag, VideoCodec.HEVC))
                        .format();
            case AV1 ->
                Av1SequenceHeader.fromRecord(record(sequenceHeaderPayload, tag, VideoCodec.AV1))
                        .format();
            default ->
                throw new IllegalArgumentException(
                        "no picture format is read from a " + tag.codec() + " sequence header");
        };
    }

    /**
     * @return the decoder configuration record after the tag header
     * @throws IllegalArgumentException when the tag is not a plain sequence header of {@code codec}
     */
    static byte[] record(ByteBuf payload, VideoTagInfo tag, VideoCodec codec) {
        if (tag.codec() != codec || !tag.sequenceHeader()) {
            throw new IllegalArgumentException("not an " + codec + " sequence header: the tag header says codec="
                    + tag.codec() + " sequenceHeader=" + tag.sequenceHeader());
        }
        int start = payload.readerIndex();
        int recordAt = start + FLV_VIDEO_TAG_HEADER_BYTES;
        int packetType = tag.enhanced() ? payload.getUnsignedByte(start) & 0x0F : 0;
        if (packetType == MULTITRACK
                && payload.writerIndex() - start > 1
                && payload.getUnsignedByte(start + 1) >> 4 == ONE_TRACK) {
            recordAt = start + ONE_TRACK_HEADER_BYTES;
        } else if (packetType != 0) {
            throw new IllegalArgumentException(codec
                    + " sequence header in an Enhanced RTMP ModEx tag or a multitrack tag of several tracks is not"
                    + " read");
        }
        int length = payload.writerIndex() - recordAt;
        if (length <= 0) {
            throw new IllegalArgumentException(codec + " sequence header has no decoder configuration record");
        }
        byte[] record = new byte[length];
        payload.getBytes(recordAt, record);
        return record;
    }
}
