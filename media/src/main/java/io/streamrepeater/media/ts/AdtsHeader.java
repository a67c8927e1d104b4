package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;

/**
 * The header of one ADTS frame (ISO/IEC 13818-7 §6.2 / 14496-3 §1.A.2.2) and the AudioSpecificConfig
 * it implies.
 *
 * @param objectType MPEG-4 audio object type: the ADTS profile plus one (2 = AAC LC)
 * @param samplingIndex samplingFrequencyIndex, 0..12
 * @param channelConfiguration channelConfiguration, 0..7
 * @param headerLength 7 bytes, or 9 with a CRC
 * @param frameLength the whole frame, header included
 * @param rawDataBlocks AAC raw data blocks in the frame (1024 samples each)
 */
record AdtsHeader(
        int objectType,
        int samplingIndex,
        int channelConfiguration,
        int headerLength,
        int frameLength,
        int rawDataBlocks) {
    static final int MIN_HEADER_BYTES = 7;
    static final int SAMPLES_PER_RAW_DATA_BLOCK = 1024;
    private static final int[] SAMPLE_RATES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    };

    /**
     * @param buf holds at least {@link #MIN_HEADER_BYTES} bytes at {@code at}; read with absolute getters
     * @return the header, or null when the bytes are not a valid ADTS header
     */
    static AdtsHeader read(ByteBuf buf, int at) {
        int b1 = buf.getUnsignedByte(at + 1);
        if (buf.getUnsignedByte(at) != 0xFF || (b1 & 0xF6) != 0xF0) { // syncword 0xFFF, layer 00
            return null;
        }
        int b2 = buf.getUnsignedByte(at + 2);
        int b3 = buf.getUnsignedByte(at + 3);
        int samplingIndex = (b2 >> 2) & 0x0F;
        int headerLength = (b1 & 0x01) != 0 ? MIN_HEADER_BYTES : MIN_HEADER_BYTES + 2;
        int frameLength = (b3 & 0x03) << 11 | buf.getUnsignedByte(at + 4) << 3 | buf.getUnsignedByte(at + 5) >> 5;
        if (samplingIndex >= SAMPLE_RATES.length || frameLength <= headerLength) {
            return null;
        }
        return new AdtsHeader(
                (b2 >> 6) + 1,
                samplingIndex,
                (b2 & 0x01) << 2 | b3 >> 6,
                headerLength,
                frameLength,
                (buf.getUnsignedByte(at + 6) & 0x03) + 1);
    }

    int sampleRate() {
        return SAMPLE_RATES[samplingIndex];
    }

    int samples() {
        return rawDataBlocks * SAMPLES_PER_RAW_DATA_BLOCK;
    }

    /**
     * The 2-byte AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1): object type (5 bits), sampling index
     * (4), channel configuration (4), then frameLengthFlag, dependsOnCoreCoder and extensionFlag at 0.
     */
    byte[] audioSpecificConfig() {
        return new byte[] {
            (byte) (objectType << 3 | samplingIndex >> 1),
            (byte) ((samplingIndex & 0x01) << 7 | channelConfiguration << 3),
        };
    }
}
