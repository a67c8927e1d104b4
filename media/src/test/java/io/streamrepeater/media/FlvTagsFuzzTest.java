package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamrepeater.testkit.Hex;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Whatever an encoder sends, probing never throws and never moves the reader index; parsing codec
 * configurations fails only with IllegalArgumentException. Inputs are random bytes and mutations of
 * the golden rows.
 */
class FlvTagsFuzzTest {

    @Provide
    Arbitrary<byte[]> mutatedVideoRows() {
        return mutationsOf(
                FlvTagsGoldenTest.videoRows().map(FlvTagsFuzzTest::rowBytes).toArray(byte[][]::new));
    }

    @Provide
    Arbitrary<byte[]> mutatedAudioRows() {
        return mutationsOf(
                FlvTagsGoldenTest.audioRows().map(FlvTagsFuzzTest::rowBytes).toArray(byte[][]::new));
    }

    private static byte[] rowBytes(Arguments row) {
        return Hex.bytes((String) row.get()[1]);
    }

    /** A golden row, cut short at a random point and with a random byte changed. */
    private static Arbitrary<byte[]> mutationsOf(byte[][] rows) {
        return Arbitraries.of(rows)
                .flatMap(row -> Arbitraries.integers()
                        .between(0, row.length)
                        .flatMap(cut -> Arbitraries.integers()
                                .between(0, Math.max(0, cut - 1))
                                .flatMap(at -> Arbitraries.integers()
                                        .between(0, 255)
                                        .map(value -> {
                                            byte[] mutated = Arrays.copyOf(row, cut);
                                            if (cut > 0) {
                                                mutated[at] = (byte) (int) value;
                                            }
                                            return mutated;
                                        }))));
    }

    @Property(tries = 2000)
    void videoProbeNeverThrowsOnRandomBytes(@ForAll byte[] bytes) {
        checkVideo(bytes);
    }

    @Property(tries = 2000)
    void videoProbeNeverThrowsOnMutatedGoldenRows(@ForAll("mutatedVideoRows") byte[] bytes) {
        checkVideo(bytes);
    }

    @Property(tries = 2000)
    void audioProbeNeverThrowsOnRandomBytes(@ForAll byte[] bytes) {
        checkAudio(bytes);
    }

    @Property(tries = 2000)
    void audioProbeNeverThrowsOnMutatedGoldenRows(@ForAll("mutatedAudioRows") byte[] bytes) {
        checkAudio(bytes);
    }

    @Property(tries = 1000)
    void avcConfigurationFailsOnlyWithIllegalArgument(@ForAll("mutatedAvcSequenceHeaders") byte[] bytes) {
        ByteBuf payload = Unpooled.wrappedBuffer(bytes);
        try {
            VideoFormat format = AvcConfiguration.parse(payload);
            assertThat(format.codec()).isEqualTo(VideoCodec.AVC);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } finally {
            assertThat(payload.readerIndex()).isZero();
            payload.release();
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedAvcSequenceHeaders() {
        return mutationsOf(new byte[][] {
            Hex.bytes(RealCodecHeaders.AVC_640X360_HIGH_30FPS), Hex.bytes(RealCodecHeaders.AVC_1920X1080_MAIN_25FPS)
        });
    }

    @Property(tries = 1000)
    void aacConfigurationFailsOnlyWithIllegalArgument(@ForAll("mutatedAacSequenceHeaders") byte[] bytes) {
        ByteBuf payload = Unpooled.wrappedBuffer(bytes);
        try {
            AudioFormat format = AacConfiguration.parse(payload);
            assertThat(format.sampleRate()).isPositive();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } finally {
            payload.release();
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedAacSequenceHeaders() {
        return mutationsOf(
                new byte[][] {Hex.bytes(RealCodecHeaders.AAC_44100_MONO), Hex.bytes(RealCodecHeaders.AAC_48000_STEREO)
                });
    }

    private static void checkVideo(byte[] bytes) {
        ByteBuf payload = Unpooled.wrappedBuffer(bytes);
        try {
            VideoTagInfo info = FlvTags.probeVideo(payload);
            assertThat(payload.readerIndex()).isZero();
            if (info.keyframe()) {
                assertThat(info.codedFrame()).as("a keyframe is a coded frame").isTrue();
            }
            assertThat(info.sequenceHeader() && info.keyframe())
                    .as("sequence header and keyframe")
                    .isFalse();
        } finally {
            payload.release();
        }
    }

    private static void checkAudio(byte[] bytes) {
        ByteBuf payload = Unpooled.wrappedBuffer(bytes);
        try {
            assertThat(FlvTags.probeAudio(payload)).isNotNull();
            assertThat(payload.readerIndex()).isZero();
        } finally {
            payload.release();
        }
    }
}
