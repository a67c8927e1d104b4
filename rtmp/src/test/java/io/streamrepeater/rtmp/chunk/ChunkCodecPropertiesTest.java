package io.streamrepeater.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trip and fuzzing of the chunk codec (DESIGN.md §6.3). */
class ChunkCodecPropertiesTest {

    /** One generated message; {@code newChunkSize > 0} makes it a SetChunkSize on csid 2. */
    record Step(int csid, int typeId, long timestamp, int msid, int length, int seed, int newChunkSize) {
        ExpectedMessage toMessage() {
            if (newChunkSize > 0) {
                return ExpectedMessage.of(
                        2, 1, 0, 0, ByteBuffer.allocate(4).putInt(newChunkSize).array());
            }
            return ExpectedMessage.of(csid, typeId, timestamp, msid, Wire.pattern(length, seed));
        }
    }

    @Property(tries = 150)
    void encodedMessagesDecodeToTheSameMessages(@ForAll("steps") List<Step> steps, @ForAll long splitSeed) {
        List<ExpectedMessage> messages = steps.stream().map(Step::toMessage).toList();
        byte[] wire = ChunkChannels.encode(messages);

        ChunkChannels.DecodeResult decoded = ChunkChannels.decode(ChunkLimits.DEFAULT, randomPieces(wire, splitSeed));

        assertThat(decoded.error).isNull();
        assertThat(decoded.messages).isEqualTo(messages);
    }

    @Property(tries = 400)
    void randomBytesOnlyEverRaiseAChunkException(
            @ForAll @Size(max = 2000) byte[] bytes, @ForAll long splitSeed, @ForAll("limits") ChunkLimits limits) {
        ChunkChannels.DecodeResult decoded = ChunkChannels.decode(limits, randomPieces(bytes, splitSeed));
        // decode() fails the property on any non-decoder exception and on leaked buffers; a DecoderException that
        // is not ours would be a bug wrapped by ByteToMessageDecoder.
        if (decoded.error != null) {
            assertThat(decoded.error).isInstanceOf(ChunkException.class);
        }
    }

    @Property(tries = 400)
    void mutatedGoldenRowsRaiseOnlyChunkExceptionsAndWhatDecodesReEncodes(
            @ForAll("goldenWires") byte[] golden,
            @ForAll long mutationSeed,
            @ForAll @IntRange(min = 1, max = 4) int mutations,
            @ForAll long splitSeed) {
        byte[] mutated = mutate(golden, mutationSeed, mutations);

        ChunkChannels.DecodeResult decoded =
                ChunkChannels.decode(ChunkLimits.DEFAULT, randomPieces(mutated, splitSeed));
        if (decoded.error != null) {
            assertThat(decoded.error).isInstanceOf(ChunkException.class);
        }

        byte[] reEncoded = ChunkChannels.encode(decoded.messages);
        ChunkChannels.DecodeResult again = ChunkChannels.decode(ChunkLimits.DEFAULT, List.of(reEncoded));
        assertThat(again.error).isNull();
        assertThat(again.messages).isEqualTo(decoded.messages);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> csids = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(3, 8)),
                Tuple.of(1, Arbitraries.integers().between(64, 400)),
                Tuple.of(1, Arbitraries.integers().between(65500, 65599)));
        Arbitrary<Integer> types = Arbitraries.of(3, 4, 6, 8, 9, 15, 17, 18, 20, 22);
        Arbitrary<Long> timestamps = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 100_000)),
                Tuple.of(2, Arbitraries.longs().between(0xFFFFF0L, 0x1000010L)),
                Tuple.of(2, Arbitraries.longs().between(0xFFFFFF00L, 0xFFFFFFFFL)),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFFFFFFL)));
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 300)),
                Tuple.of(3, Arbitraries.integers().between(300, 5000)),
                Tuple.of(1, Arbitraries.integers().between(5000, 70_000)));
        Arbitrary<Step> message = Combinators.combine(
                        csids,
                        types,
                        timestamps,
                        Arbitraries.integers().between(0, 3),
                        lengths,
                        Arbitraries.integers().between(0, 255))
                .as((csid, type, ts, msid, length, seed) -> new Step(csid, type, ts, msid, length, seed, 0));
        Arbitrary<Step> chunkSize = Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.integers().between(16, 300)),
                        Tuple.of(3, Arbitraries.of(128, 4096, 60_000)),
                        Tuple.of(1, Arbitraries.of(0xFFFFFF)))
                .map(size -> new Step(2, 1, 0, 0, 4, 0, size));
        return Arbitraries.frequencyOf(Tuple.of(9, message), Tuple.of(1, chunkSize))
                .list()
                .ofMaxSize(20);
    }

    @Provide
    Arbitrary<ChunkLimits> limits() {
        return Arbitraries.of(
                ChunkLimits.DEFAULT, new ChunkLimits(4096, 1000, 3, 500), new ChunkLimits(200, 70_000, 8, 300));
    }

    @Provide
    Arbitrary<byte[]> goldenWires() {
        List<byte[]> wires = new ArrayList<>();
        ChunkGoldenTable.rows().forEach(row -> wires.add(row.wire().bytes()));
        return Arbitraries.of(wires);
    }

    /** Flips, inserts or deletes bytes at random places. */
    private static byte[] mutate(byte[] original, long seed, int mutations) {
        Random random = new Random(seed);
        byte[] bytes = original.clone();
        for (int i = 0; i < mutations && bytes.length > 0; i++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(3)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> {
                    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    longer[at] = (byte) random.nextInt(256);
                    bytes = longer;
                }
                default -> {
                    byte[] shorter = Arrays.copyOf(bytes, bytes.length - 1);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                }
            }
        }
        return bytes;
    }

    /** {@code bytes} cut into pieces of random sizes (1 byte up to 3000). */
    private static List<byte[]> randomPieces(byte[] bytes, long seed) {
        Random random = new Random(seed);
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < bytes.length; ) {
            int size = random.nextBoolean() ? 1 + random.nextInt(8) : 1 + random.nextInt(3000);
            int to = Math.min(bytes.length, from + size);
            pieces.add(Arrays.copyOfRange(bytes, from, to));
            from = to;
        }
        return pieces;
    }
}
