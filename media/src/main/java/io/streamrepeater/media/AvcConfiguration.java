package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;

/**
 * Reads the picture format from an AVC sequence header: the FLV video tag header (5 bytes, legacy
 * or Enhanced {@code avc1}), then an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1)
 * whose first SPS describes the picture.
 */
public final class AvcConfiguration {
    private static final int FLV_VIDEO_TAG_HEADER_BYTES = 5;
    private static final int RECORD_FIXED_BYTES = 6;

    private AvcConfiguration() {}

    /**
     * @param avcSequenceHeaderPayload the FLV tag body of an AVC sequence header; read with absolute
     *     getters, not retained, not released, reader index unchanged
     * @return codec AVC, displayed size, profile name and frame rate (0 without VUI timing info)
     * @throws IllegalArgumentException when the payload is not an AVC sequence header or is malformed
     */
    public static VideoFormat parse(ByteBuf avcSequenceHeaderPayload) {
        ByteBuf payload = avcSequenceHeaderPayload;
        VideoTagInfo tag = FlvTags.probeVideo(payload);
        if (tag.codec() != VideoCodec.AVC || !tag.sequenceHeader()) {
            throw new IllegalArgumentException("not an AVC sequence header: the tag header says codec=" + tag.codec()
                    + " sequenceHeader=" + tag.sequenceHeader());
        }
        int start = payload.readerIndex();
        if (tag.enhanced() && (payload.getUnsignedByte(start) & 0x0F) != 0) {
            throw new IllegalArgumentException(
                    "AVC sequence header in an Enhanced RTMP ModEx or multitrack" + " tag is not supported");
        }
        int record = start + FLV_VIDEO_TAG_HEADER_BYTES;
        int end = payload.writerIndex();
        if (end - record < RECORD_FIXED_BYTES) {
            throw new IllegalArgumentException("AVCDecoderConfigurationRecord is truncated: "
                    + Math.max(0, end - record) + " byte(s), needs at least " + RECORD_FIXED_BYTES);
        }
        int version = payload.getUnsignedByte(record);
        if (version != 1) {
            throw new IllegalArgumentException(
                    "AVCDecoderConfigurationRecord has configurationVersion " + version + ", expected 1");
        }
        int spsCount = payload.getUnsignedByte(record + 5) & 0x1F;
        if (spsCount == 0) {
            throw new IllegalArgumentException("AVCDecoderConfigurationRecord holds no SPS");
        }
        int spsLengthAt = record + RECORD_FIXED_BYTES;
        if (end - spsLengthAt < 2) {
            throw new IllegalArgumentException("AVCDecoderConfigurationRecord is truncated before the SPS length");
        }
        int spsLength = payload.getUnsignedShort(spsLengthAt);
        if (end - spsLengthAt - 2 < spsLength) {
            throw new IllegalArgumentException("AVCDecoderConfigurationRecord is truncated: SPS of " + spsLength
                    + " bytes, " + (end - spsLengthAt - 2) + " left");
        }
        byte[] sps = new byte[spsLength];
        payload.getBytes(spsLengthAt + 2, sps);
        H264SequenceParameterSet parsed = H264SequenceParameterSet.parse(sps);
        return new VideoFormat(
                VideoCodec.AVC, parsed.width(), parsed.height(), parsed.profileName(), parsed.frameRate());
    }
}
