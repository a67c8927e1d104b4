package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;

/**
 * Reads the sound format from an AAC sequence header: the FLV audio tag header (2 bytes legacy,
 * 5 bytes Enhanced {@code mp4a}), then an AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1).
 */
public final class AacConfiguration {
    private static final int LEGACY_HEADER_BYTES = 2;
    private static final int ENHANCED_HEADER_BYTES = 5;
    private static final int ESCAPE_SAMPLE_RATE_INDEX = 15;
    private static final int ESCAPE_OBJECT_TYPE = 31;
    private static final int OBJECT_TYPE_SBR = 5;
    private static final int OBJECT_TYPE_PS = 29;
    private static final int[] SAMPLE_RATES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    };
    /** Channel count by channelConfiguration; -1 marks a reserved value. 0 means "given in the stream". */
    private static final int[] CHANNELS = {0, 1, 2, 3, 4, 5, 6, 8, -1, -1, -1, 7, 8, 24, -1, -1};

    private AacConfiguration() {}

    /**
     * @param aacSequenceHeaderPayload the FLV tag body of an AAC sequence header; read with absolute
     *     getters, not retained, not released, reader index unchanged
     * @return codec AAC, the output sample rate (the SBR rate for explicitly signalled HE-AAC) and
     *     channel count
     * @throws IllegalArgumentException when the payload is not an AAC sequence header or is malformed
     */
    public static AudioFormat parse(ByteBuf aacSequenceHeaderPayload) {
        ByteBuf payload = aacSequenceHeaderPayload;
        AudioTagInfo tag = FlvTags.probeAudio(payload);
        if (tag.codec() != AudioCodec.AAC || !tag.sequenceHeader()) {
            throw new IllegalArgumentException("not an AAC sequence header: the tag header says codec=" + tag.codec()
                    + " sequenceHeader=" + tag.sequenceHeader());
        }
        int start = payload.readerIndex();
        if (tag.enhanced() && (payload.getUnsignedByte(start) & 0x0F) != 0) {
            throw new IllegalArgumentException(
                    "AAC sequence header in an Enhanced RTMP ModEx or multitrack" + " tag is not supported");
        }
        int config = start + (tag.enhanced() ? ENHANCED_HEADER_BYTES : LEGACY_HEADER_BYTES);
        int length = payload.writerIndex() - config;
        if (length < 2) {
            throw new IllegalArgumentException(
                    "AudioSpecificConfig is truncated: " + Math.max(0, length) + " byte(s), needs at least 2");
        }
        byte[] bytes = new byte[length];
        payload.getBytes(config, bytes);
        BitReader in = new BitReader(bytes, "AudioSpecificConfig");

        int objectType = readObjectType(in);
        int sampleRate = readSampleRate(in);
        int channelConfiguration = in.bitsAsInt(4);
        int channels = CHANNELS[channelConfiguration];
        if (channels < 0) {
            throw new IllegalArgumentException(
                    "AudioSpecificConfig has reserved channelConfiguration " + channelConfiguration);
        }
        if (objectType == OBJECT_TYPE_SBR || objectType == OBJECT_TYPE_PS) {
            // Explicit HE-AAC: the core runs at half rate, the decoder outputs the extension rate.
            sampleRate = readSampleRate(in);
            if (objectType == OBJECT_TYPE_PS && channelConfiguration == 1) {
                channels = 2; // parametric stereo turns the mono core into stereo
            }
        }
        return new AudioFormat(AudioCodec.AAC, sampleRate, channels);
    }

    private static int readObjectType(BitReader in) {
        int objectType = in.bitsAsInt(5);
        if (objectType == ESCAPE_OBJECT_TYPE) {
            objectType = 32 + in.bitsAsInt(6);
        }
        if (objectType == 0) {
            throw new IllegalArgumentException("AudioSpecificConfig has audioObjectType 0 (null object)");
        }
        return objectType;
    }

    private static int readSampleRate(BitReader in) {
        int index = in.bitsAsInt(4);
        if (index == ESCAPE_SAMPLE_RATE_INDEX) {
            int explicit = in.bitsAsInt(24);
            if (explicit == 0) {
                throw new IllegalArgumentException("AudioSpecificConfig has an explicit sampling frequency of 0 Hz");
            }
            return explicit;
        }
        if (index >= SAMPLE_RATES.length) {
            throw new IllegalArgumentException("AudioSpecificConfig has reserved samplingFrequencyIndex " + index);
        }
        return SAMPLE_RATES[index];
    }
}
