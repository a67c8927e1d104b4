package io.streamrepeater.media.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.RecordingAllocator;
import io.streamrepeater.testkit.Mutations;
import io.streamrepeater.testkit.TestMedia;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The demuxer against mutated real streams (an ffmpeg-made H.264/AAC transport stream with bit flips, overwrites,
 * inserted, deleted and duplicated bytes, truncation and splices) fed in random chunk sizes: it either produces
 * packets or refuses with its own exception, never anything else, and releases every buffer.
 */
class TsDemuxerFuzzTest {
    /** The first part of the stream: PAT/PMT, a keyframe and some frames, enough for every code path. */
    private static final int SEED_BYTES = 64 * 1024;

    private static byte[] seed;

    private static synchronized byte[] seed() {
        if (seed == null) {
            try {
                byte[] whole = Files.readAllBytes(TestMedia.h264AacTs(Duration.ofSeconds(4), 30, "320x180", 30, 2));
                seed = Arrays.copyOf(whole, Math.min(SEED_BYTES, whole.length));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return seed;
    }

    @Property(tries = 300)
    void mutatedStreamsDemuxOrAreRefusedWithoutOtherFailuresOrLeaks(
            @ForAll long randomSeed, @ForAll @IntRange(min = 1, max = 8) int mutations) {
        Random random = new Random(randomSeed);
        byte[] input = Mutations.apply(seed(), seed(), random, mutations);
        RecordingAllocator alloc = new RecordingAllocator();
        int[] emitted = {0};
        try (TsDemuxer demuxer = new TsDemuxer(alloc, TsDemuxer.DEFAULT_MAX_PES_BYTES, packet -> {
            emitted[0]++;
            checkAndRelease(packet);
        })) {
            int at = 0;
            while (at < input.length) {
                int size = Math.min(1 + random.nextInt(2000), input.length - at);
                ByteBuf chunk = alloc.buffer(size).writeBytes(input, at, size);
                try {
                    demuxer.feed(chunk);
                } finally {
                    chunk.release();
                }
                at += size;
            }
            demuxer.finish();
        } catch (TsDemuxException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        alloc.assertAllReleased();
        Statistics.collect(emitted[0] > 0 ? "packets emitted" : "nothing emitted");
        // Not vacuous: most mutated streams must still get through to packets.
        Statistics.coverage(c -> c.check("packets emitted").percentage(p -> p > 50));
    }

    private static void checkAndRelease(MediaPacket packet) {
        try {
            assertThat(packet.payload().isReadable())
                    .as("an emitted packet carries a tag body")
                    .isTrue();
        } finally {
            packet.release();
        }
    }
}
