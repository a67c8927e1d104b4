package io.streamrepeater.media.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.RecordingAllocator;
import io.streamrepeater.testkit.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Awkward splits, lost packets, garbage, the 2^33 wrap and the size limit, on ffmpeg-made streams. */
class TsDemuxerDamageTest {
    @TempDir
    static Path dir;

    private static byte[] h264;
    private static byte[] hevc;
    private static List<String> wholeH264;

    @BeforeAll
    static void encode() throws IOException {
        h264 = Files.readAllBytes(TestMedia.h264AacTs(Duration.ofSeconds(4), 30, "320x180", 30, 2));
        hevc = Files.readAllBytes(TestMedia.hevcAacTs(Duration.ofSeconds(3), 25, "320x180", 25));
        RecordingAllocator alloc = new RecordingAllocator();
        try (DemuxedPackets out = demux(h264, new int[] {h264.length}, alloc)) {
            wholeH264 = out.summary();
        }
        alloc.assertAllReleased();
    }

    /** Feeds {@code input} in chunks of the given sizes, cycling through them. */
    private static DemuxedPackets demux(byte[] input, int[] chunkSizes, RecordingAllocator alloc) {
        DemuxedPackets out = new DemuxedPackets();
        try (TsDemuxer demuxer = new TsDemuxer(alloc, TsDemuxer.DEFAULT_MAX_PES_BYTES, out)) {
            int at = 0;
            for (int i = 0; at < input.length; i++) {
                int size = Math.min(chunkSizes[i % chunkSizes.length], input.length - at);
                ByteBuf chunk = alloc.buffer(size).writeBytes(input, at, size);
                try {
                    demuxer.feed(chunk);
                    assertThat(chunk.isReadable()).isFalse();
                } finally {
                    chunk.release();
                }
                at += size;
            }
            demuxer.finish();
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
        return out;
    }

    @ParameterizedTest(name = "chunks of {0} bytes")
    @ValueSource(ints = {1, 7, 187, 188, 189, 1316, 65536})
    void everySplitGivesTheSameOutput(int size) {
        RecordingAllocator alloc = new RecordingAllocator();
        try (DemuxedPackets out = demux(h264, new int[] {size}, alloc)) {
            assertThat(out.summary()).isEqualTo(wholeH264);
        }
        alloc.assertAllReleased();
    }

    @Test
    void randomSplitsGiveTheSameOutput() {
        SplittableRandom random = new SplittableRandom(9);
        for (int round = 0; round < 5; round++) {
            int[] sizes = random.ints(64, 1, 3000).toArray();
            RecordingAllocator alloc = new RecordingAllocator();
            try (DemuxedPackets out = demux(h264, sizes, alloc)) {
                assertThat(out.summary()).as("round %d", round).isEqualTo(wholeH264);
            }
            alloc.assertAllReleased();
        }
    }

    @Test
    void garbageBetweenPacketsIsSkippedAndCounted() {
        byte[] damaged = new byte[h264.length + 3 * 50];
        // 50 bytes of noise (no 0x47) before, inside the first thousand packets, and after.
        int at = 0;
        at = noise(damaged, at);
        System.arraycopy(h264, 0, damaged, at, 188 * 1000);
        at += 188 * 1000;
        at = noise(damaged, at);
        System.arraycopy(h264, 188 * 1000, damaged, at, h264.length - 188 * 1000);
        noise(damaged, at + h264.length - 188 * 1000);
        RecordingAllocator alloc = new RecordingAllocator();
        DemuxedPackets out = new DemuxedPackets();
        try (out;
                TsDemuxer demuxer = new TsDemuxer(alloc, TsDemuxer.DEFAULT_MAX_PES_BYTES, out)) {
            demuxer.feed(Unpooled.wrappedBuffer(damaged));
            demuxer.finish();
            assertThat(demuxer.stats().bytesSkipped()).isEqualTo(150);
            assertThat(out.summary()).isEqualTo(wholeH264);
        }
        alloc.assertAllReleased();
    }

    private static int noise(byte[] target, int at) {
        for (int i = 0; i < 50; i++) {
            target[at + i] = (byte) (0x10 + i);
        }
        return at + 50;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void lostPacketsAreCountedAndNoDamagedOrUndecodableFrameIsEmitted(long seed) {
        for (byte[] source : new byte[][] {h264, hevc}) {
            byte[] lossy = TransportStreamEdits.dropPackets(source, 0.01, seed);
            RecordingAllocator alloc = new RecordingAllocator();
            DemuxedPackets out = new DemuxedPackets();
            try (out;
                    TsDemuxer demuxer = new TsDemuxer(alloc, TsDemuxer.DEFAULT_MAX_PES_BYTES, out)) {
                for (int at = 0; at < lossy.length; at += 1316) {
                    demuxer.feed(Unpooled.wrappedBuffer(lossy, at, Math.min(1316, lossy.length - at)));
                }
                demuxer.finish();
                TsDemuxStats stats = demuxer.stats();
                assertThat(stats.continuityErrors()).isPositive();
                assertThat(stats.pesDropped()).isPositive();
                List<MediaPacket> video = out.frames(MediaKind.VIDEO);
                assertThat(video).isNotEmpty();
                assertThat(video.get(0).isVideoKeyframe())
                        .as("video starts at a keyframe")
                        .isTrue();
                video.forEach(frame -> VideoTagNalUnits.of(frame.payload())); // every length adds up
                assertThat(out.packets.get(0).sequenceHeader()).isTrue();
                assertDtsNonDecreasing(video);
                assertDtsNonDecreasing(out.frames(MediaKind.AUDIO));
                String name = source == h264 ? "lossy-" + seed + ".h264" : "lossy-" + seed + ".hevc";
                Path annexB = AnnexBFile.write(dir.resolve(name), out);
                assertThat(AnnexBFile.decodedFrames(dir, annexB))
                        .as("frames decoded without error")
                        .isEqualTo(video.size());
            }
            alloc.assertAllReleased();
        }
    }

    private static void assertDtsNonDecreasing(List<MediaPacket> packets) {
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).dts())
                    .as("DTS of %d after %d", i, i - 1)
                    .isGreaterThanOrEqualTo(packets.get(i - 1).dts());
        }
    }

    /**
     * Timestamps rewritten so that the first video DTS is 2 s before 2^33 and the 33-bit clock wraps in
     * the middle of the 4 s stream: the output is the same as for the original stream, so it rises
     * smoothly across the wrap.
     */
    @Test
    void theThirtyThreeBitWrapIsInvisibleInTheOutput() {
        long firstDts = firstVideoDts(h264);
        long shift = ((1L << 33) - 2 * 90_000 - firstDts) & ((1L << 33) - 1);
        byte[] wrapped = TransportStreamEdits.shiftTimestamps(h264, shift);
        assertThat(firstVideoDts(wrapped)).isEqualTo((1L << 33) - 2 * 90_000);
        RecordingAllocator alloc = new RecordingAllocator();
        try (DemuxedPackets out = demux(wrapped, new int[] {1316}, alloc)) {
            assertThat(out.summary()).isEqualTo(wholeH264);
            assertDtsNonDecreasing(out.frames(MediaKind.VIDEO));
            assertDtsNonDecreasing(out.frames(MediaKind.AUDIO));
            assertThat(out.frames(MediaKind.VIDEO).get(119).dts()).isBetween(3900L, 4100L);
        }
        alloc.assertAllReleased();
    }

    /** The first video PES's DTS, read the way the patch helper writes it. */
    private static long firstVideoDts(byte[] ts) {
        for (int at = 0; at < ts.length; at += 188) {
            int pes = at + 4 + (((ts[at + 3] >> 4) & 0x02) != 0 ? 1 + (ts[at + 4] & 0xFF) : 0);
            if ((ts[at + 1] & 0x40) != 0
                    && ts[pes] == 0
                    && ts[pes + 1] == 0
                    && ts[pes + 2] == 1
                    && (ts[pes + 3] & 0xF0) == 0xE0
                    && (ts[pes + 7] & 0xC0) == 0xC0) {
                return TransportStreamEdits.readTimestamp(ts, pes + 14);
            }
        }
        throw new AssertionError("no video PES with a DTS");
    }

    @Test
    void aPesLargerThanTheLimitEndsTheStreamWithAMessageAndLeaksNothing() {
        RecordingAllocator alloc = new RecordingAllocator();
        DemuxedPackets out = new DemuxedPackets();
        try (out;
                TsDemuxer demuxer = new TsDemuxer(alloc, 4096, out)) {
            assertThatThrownBy(() -> demuxer.feed(Unpooled.wrappedBuffer(h264)))
                    .isInstanceOf(TsDemuxException.class)
                    .hasMessageContaining("more than maxPesBytes=4096")
                    .hasMessageMatching("PES packet on PID \\d+ grows to \\d+ bytes.*");
        }
        alloc.assertAllReleased();
    }

    @Test
    void feedingAClosedDemuxerIsRefused() {
        TsDemuxer demuxer =
                new TsDemuxer(new RecordingAllocator(), TsDemuxer.DEFAULT_MAX_PES_BYTES, MediaPacket::release);
        demuxer.close();
        assertThatThrownBy(() -> demuxer.feed(Unpooled.wrappedBuffer(new byte[188])))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> new TsDemuxer(new RecordingAllocator(), 100, MediaPacket::release))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPesBytes must be at least 4096");
    }
}
