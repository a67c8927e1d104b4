package io.streamrepeater.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.rtmp.CapturedSessions;
import io.streamrepeater.testkit.Mutations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Mutations of the chunk streams real clients sent ({@link CapturedSessions}: ffmpeg and GStreamer, media included),
 * spliced with each other and with the golden rows, fed at random splits (DESIGN.md §6.3). Either everything decodes
 * or the decoder fails once with a {@link ChunkException}; nothing else is thrown, every buffer is released (the
 * {@link TrackingAllocator} checks it at teardown), and whatever decoded re-encodes and decodes to the same messages.
 * {@link ChunkCodecPropertiesTest} covers random bytes and single-row mutations.
 */
class CapturedSessionChunkFuzzTest {
    private static final List<byte[]> SESSIONS = List.of(
            CapturedSessions.chunkStream(CapturedSessions.FFMPEG_PUBLISH),
            CapturedSessions.chunkStream(CapturedSessions.GSTREAMER_PUBLISH));

    @Property(tries = 600)
    void mutatedSessionsDecodeAndReEncodeOrFailWithAChunkException(
            @ForAll("mutatedSessions") byte[] input, @ForAll long splitSeed) {
        ChunkChannels.DecodeResult decoded = ChunkChannels.decode(ChunkLimits.DEFAULT, randomPieces(input, splitSeed));

        // Both outcomes must be common, or the fuzzer proves little.
        Statistics.label("outcome").collect(decoded.error == null ? "decoded" : "ChunkException");
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("decoded").percentage(percent -> percent >= 10);
            coverage.check("ChunkException").percentage(percent -> percent >= 10);
        });
        if (decoded.error != null) {
            assertThat(decoded.error).isInstanceOf(ChunkException.class);
        }
        byte[] reEncoded = ChunkChannels.encode(decoded.messages);
        ChunkChannels.DecodeResult again = ChunkChannels.decode(ChunkLimits.DEFAULT, List.of(reEncoded));
        assertThat(again.error).isNull();
        assertThat(again.messages).isEqualTo(decoded.messages);
    }

    @Property(tries = 50)
    void unmutatedSessionsDecodeWithoutErrorAtAnySplit(
            @ForAll @IntRange(min = 0, max = 1) int session, @ForAll long splitSeed) {
        ChunkChannels.DecodeResult decoded =
                ChunkChannels.decode(ChunkLimits.DEFAULT, randomPieces(SESSIONS.get(session), splitSeed));

        assertThat(decoded.error).isNull();
        assertThat(decoded.messages)
                .as("commands, metadata and media of the capture")
                .hasSizeGreaterThan(20);
    }

    @Provide
    Arbitrary<byte[]> mutatedSessions() {
        List<byte[]> donors = new ArrayList<>(SESSIONS);
        ChunkGoldenTable.rows().forEach(row -> donors.add(row.wire().bytes()));
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            byte[] session = SESSIONS.get(random.nextInt(SESSIONS.size()));
            byte[] donor = donors.get(random.nextInt(donors.size()));
            return Mutations.apply(session, donor, random, 1 + random.nextInt(4));
        });
    }

    /** {@code bytes} cut into pieces of random sizes: single bytes, a few bytes, or up to 3000. */
    private static List<byte[]> randomPieces(byte[] bytes, long seed) {
        Random random = new Random(seed);
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < bytes.length; ) {
            int size = switch (random.nextInt(3)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(16);
                default -> 1 + random.nextInt(3000);
            };
            int to = Math.min(bytes.length, from + size);
            pieces.add(Arrays.copyOfRange(bytes, from, to));
            from = to;
        }
        return pieces;
    }
}
