package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;

/**
 * Reads the picture format from a video sequence header of any codec the relay describes: AVC
 * ({@link AvcConfiguration}), HEVC ({@link HevcSequenceParameterSet} in an HEVCDecoderConfigurationRecord) and AV1
 * ({@link Av1SequenceHeader} in an AV1CodecConfigurationRecord). The tag header is 5 bytes in every case: legacy
 * (codec id, packet type, composition time) or Enhanced RTMP (header byte, FourCC).
 */
public final class VideoConfiguration {
    static final int FLV_VIDEO_TAG_HEADER_BYTES = 5;

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
        if (tag.enhanced() && (payload.getUnsignedByte(start) & 0x0F) != 0) {
            throw new IllegalArgumentException(
                    codec + " sequence header in an Enhanced RTMP ModEx or multitrack tag is not supported");
        }
        int length = payload.writerIndex() - start - FLV_VIDEO_TAG_HEADER_BYTES;
        if (length <= 0) {
            throw new IllegalArgumentException(codec + " sequence header has no decoder configuration record");
        }
        byte[] record = new byte[length];
        payload.getBytes(start + FLV_VIDEO_TAG_HEADER_BYTES, record);
        return record;
    }
}
