package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AacConfigurationTest {
    private final BufferLedger buffers = new BufferLedger();

    @AfterEach
    void everyBufferReleased() {
        buffers.assertAllReleased();
    }

    private AudioFormat parse(String hex) {
        ByteBuf payload = buffers.hex(hex);
        try {
            AudioFormat format = AacConfiguration.parse(payload);
            assertThat(payload.readerIndex()).as("reader index").isZero();
            return format;
        } finally {
            payload.release();
        }
    }

    @Test
    void readsFfmpegMono44100() {
        assertThat(parse(RealCodecHeaders.AAC_44100_MONO)).isEqualTo(new AudioFormat(AudioCodec.AAC, 44100, 1));
    }

    @Test
    void readsFfmpegStereo48000() {
        assertThat(parse(RealCodecHeaders.AAC_48000_STEREO)).isEqualTo(new AudioFormat(AudioCodec.AAC, 48000, 2));
    }

    @Test
    void readsAnEnhancedMp4aSequenceStart() {
        // ExHeader, SequenceStart | 'mp4a' | LC 48000 stereo
        assertThat(parse("90 | 6d703461 | 1190")).isEqualTo(new AudioFormat(AudioCodec.AAC, 48000, 2));
    }

    @Test
    void readsAnExplicitSampleRateAfterEscapeIndex15() {
        // 00010 (LC) 1111 (escape) 0x017700 as 24 bits (96000 Hz) 0010 (stereo), padded -> 17 80 bb 80 10
        assertThat(parse("af 00 | 1780bb8010")).isEqualTo(new AudioFormat(AudioCodec.AAC, 96000, 2));
    }

    @Test
    void reportsTheOutputRateOfExplicitHeAac() {
        // 00101 (SBR) 0110 (24000 core) 0010 (stereo) 0011 (48000 output) 00010 (LC) 000
        // padded -> 2b 11 88
        assertThat(parse("af 00 | 2b1188")).isEqualTo(new AudioFormat(AudioCodec.AAC, 48000, 2));
    }

    @Test
    void parametricStereoOutputsTwoChannelsFromAMonoCore() {
        // 11101 (PS) 0110 (24000) 0001 (mono) 0011 (48000) 00010 (LC) 000
        // padded -> eb 09 88
        assertThat(parse("af 00 | eb0988")).isEqualTo(new AudioFormat(AudioCodec.AAC, 48000, 2));
    }

    @Test
    void rejectsWhatIsNotAnAacSequenceHeader() {
        assertRejected("af 01 | 2100", "not an AAC sequence header");
        assertRejected("2f fffb", "codec=MP3");
        assertRejected("90 4f707573 4f70757348656164", "codec=OPUS");
    }

    @Test
    void rejectsMalformedConfigs() {
        assertRejected("af 00 | 12", "AudioSpecificConfig is truncated: 1 byte(s)");
        assertRejected("af 00", "AudioSpecificConfig is truncated: 0 byte(s)");
        // 00010 1101 (index 13, reserved) 0001
        assertRejected("af 00 | 1688", "reserved samplingFrequencyIndex 13");
        // 00010 0100 1000 (channelConfiguration 8, reserved)
        assertRejected("af 00 | 1240", "reserved channelConfiguration 8");
        // escape index with the 24-bit rate cut short
        assertRejected("af 00 | 1780", "AudioSpecificConfig is truncated");
        assertRejected("af 00 | 0208", "audioObjectType 0");
    }

    private void assertRejected(String hex, String message) {
        ByteBuf payload = buffers.hex(hex);
        try {
            assertThatThrownBy(() -> AacConfiguration.parse(payload))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message);
        } finally {
            payload.release();
        }
    }
}
