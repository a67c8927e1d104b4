package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever bytes a slate file holds, the reader either reads them or refuses them with an
 * IllegalArgumentException naming the file, and in both cases every buffer it took is released.
 */
class FlvFileReaderFuzzTest {
    private static final String SOURCE = "fuzz.flv";

    /** A small valid file with every kind of tag, to mutate. */
    private static final byte[] SEED = FlvBytes.file()
            .tag(18, 0, "02 000a 6f6e4d65746144617461 | 08 00000000 000009")
            .tag(9, 0, "17 00 000000 0142c01e")
            .tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER)
            .tag(9, 0, FlvBytes.AVC_KEYFRAME)
            .tag(7, 10, "0011")
            .tag(8, 0x01_000017L, "af 01 2100")
            .tag(9, 40, FlvBytes.AVC_INTER_FRAME)
            .bytes();

    @Provide
    Arbitrary<byte[]> mutatedSeeds() {
        return Arbitraries.integers()
                .between(0, SEED.length)
                .flatMap(cut -> Arbitraries.integers()
                        .between(0, Math.max(0, cut - 1))
                        .flatMap(at -> Arbitraries.integers().between(0, 255).map(value -> {
                            byte[] mutated = Arrays.copyOf(SEED, cut);
                            if (cut > 0) {
                                mutated[at] = (byte) (int) value;
                            }
                            return mutated;
                        })));
    }

    /** A valid header and PreviousTagSize0 followed by random bytes, so that tags are reached. */
    @Provide
    Arbitrary<byte[]> randomTags() {
        byte[] header = FlvBytes.file().bytes();
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(tail -> {
            byte[] file = Arrays.copyOf(header, header.length + tail.length);
            System.arraycopy(tail, 0, file, header.length, tail.length);
            return file;
        });
    }

    @Property(tries = 2000)
    void randomBytesAreReadOrRefusedWithoutLeaking(@ForAll byte[] bytes) {
        check(bytes);
    }

    @Property(tries = 2000)
    void randomTagsAreReadOrRefusedWithoutLeaking(@ForAll("randomTags") byte[] bytes) {
        check(bytes);
    }

    @Property(tries = 2000)
    void mutatedValidFilesAreReadOrRefusedWithoutLeaking(@ForAll("mutatedSeeds") byte[] bytes) {
        check(bytes);
    }

    @Property(tries = 1)
    void theUnmutatedSeedIsRead() {
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf content = alloc.buffer(SEED.length).writeBytes(SEED);
        try (FlvFile file = FlvFileReader.parse(SOURCE, content, alloc)) {
            assertThat(file.packets()).hasSize(6);
            assertThat(file.unknownTagsSkipped()).isEqualTo(1);
        } finally {
            content.release();
        }
        alloc.assertAllReleased();
    }

    private static void check(byte[] bytes) {
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf content = alloc.buffer(Math.max(1, bytes.length)).writeBytes(bytes);
        try (FlvFile file = FlvFileReader.parse(SOURCE, content, alloc)) {
            assertThat(file.packets())
                    .allSatisfy(packet -> assertThat(packet.refCnt()).isPositive());
            assertThat(file.durationMs()).isNotNegative();
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith("FLV file " + SOURCE + ": ");
        } finally {
            assertThat(content.readerIndex()).isZero();
            assertThat(content.writerIndex()).isEqualTo(bytes.length);
            content.release();
        }
        alloc.assertAllReleased();
    }
}
