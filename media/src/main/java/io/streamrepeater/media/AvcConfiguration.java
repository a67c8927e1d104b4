package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;

/**
 * Reads the picture format from an AVC sequence header: the FLV video tag header (5 bytes, legacy
 * or Enhanced {@code avc1}), then an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1)
 * whose first SPS describes the picture.
 */
public final class AvcConfiguration {
    private static final int RECORD_FIXED_BYTES = 6;

    private AvcConfiguration() {}

    /**
     * @param avcSequenceHeaderPayload the FLV tag body of an AVC sequence header; read with absolute
     *     getters, not retained, not released, reader index unchanged
     * @return codec AVC, displayed size, profile name and frame rate (0 without VUI timing info)
     * @throws IllegalArgumentException when the payload is not an AVC sequence header or is malformed
     */
    public static VideoFormat parse(ByteBuf avcSequenceHeaderPayload) {
        byte[] record = VideoConfiguration.record(
                avcSequenceHeaderPayload, FlvTags.probeVideo(avcSequenceHeaderPayload), VideoCodec.AVC);
        if (record.length < RECORD_FIXED_BYTES) {
            throw new IllegalArgumentException("AVCDecoderConfigurationRecord is truncated: " + record.length
                    + " byte(s), needs at least " + RECORD_FIXED_BYTES);
        }
        int version = record[0] & 0xFF;
        if (version != 1) {
            throw new IllegalArgumentException(
                    "AVCDecoderConfigurationRecord has configurationVersion " + version + ", expected 1");
        }
        int spsCount = record[5] & 0x1F;
        if (spsCount == 0) {
            throw new IllegalArgumentException("AVCDecoderConfigurationRecord holds no SPS");
        }
        if (record.length - RECORD_FIXED_BYTES < 2) {
            throw new IllegalArgumentException("AVCDecoderConfigurationRecord is truncated before the SPS length");
        }
        int spsLength = (record[RECORD_FIXED_BYTES] & 0xFF) << 8 | record[RECORD_FIXED_BYTES + 1] & 0xFF;
        int spsAt = RECORD_FIXED_BYTES + 2;
        if (record.length - spsAt < spsLength) {
            throw new IllegalArgumentException("AVCDecoderConfigurationRecord is truncated: SPS of " + spsLength
                    + " bytes, " + (record.length - spsAt) + " left");
        }
        byte[] sps = java.util.Arrays.copyOfRange(record, spsAt, spsAt + spsLength);
        H264SequenceParameterSet parsed = H264SequenceParameterSet.parse(sps);
        return new VideoFormat(
                VideoCodec.AVC, parsed.width(), parsed.height(), parsed.profileName(), parsed.frameRate());
    }
}
