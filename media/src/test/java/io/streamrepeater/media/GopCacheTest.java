package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GopCacheTest {
    private final BufferLedger buffers = new BufferLedger();
    /** Every packet the test created; each is released after being offered, as a session would. */
    private final List<MediaPacket> offered = new ArrayList<>();

    @AfterEach
    void everyBufferReleased() {
        buffers.assertAllReleased();
    }

    private MediaPacket keyframe(long dts) {
        return packet(9, dts, "17 01 000021 00000001 65", 20);
    }

    private MediaPacket interFrame(long dts) {
        return packet(9, dts, "27 01 000021 00000001 41", 10);
    }

    private MediaPacket audio(long dts) {
        return packet(8, dts, "af 01 21", 5);
    }

    private MediaPacket packet(int type, long dts, String headerHex, int size) {
        MediaPacket p = MediaPacket.fromRtmp(type, dts, buffers.sized(headerHex, size));
        offered.add(p);
        return p;
    }

    /** Offers the packet and releases the caller's reference, as an ingest session would. */
    private static void offer(GopCache cache, MediaPacket packet) {
        try {
            cache.add(packet);
        } finally {
            packet.release();
        }
    }

    private static List<Long> snapshotDts(GopCache cache) {
        List<MediaPacket> snapshot = cache.snapshot();
        try {
            return snapshot.stream().map(MediaPacket::dts).toList();
        } finally {
            snapshot.forEach(MediaPacket::release);
        }
    }

    @Test
    void ignoresEverythingBeforeTheFirstKeyframe() {
        try (GopCache cache = new GopCache(10_000, 100)) {
            offer(cache, interFrame(0));
            offer(cache, audio(10));
            assertThat(cache.size()).isZero();
            assertThat(cache.bytes()).isZero();
            offer(cache, keyframe(33));
            offer(cache, audio(40));
            offer(cache, interFrame(66));
            assertThat(snapshotDts(cache)).containsExactly(33L, 40L, 66L);
            assertThat(cache.bytes()).isEqualTo(20 + 5 + 10);
        }
    }

    @Test
    void aKeyframeStartsANewGopAndMeasuresTheInterval() {
        try (GopCache cache = new GopCache(10_000, 100)) {
            offer(cache, keyframe(0));
            assertThat(cache.keyframeIntervalMs())
                    .as("one keyframe says nothing")
                    .isZero();
            offer(cache, interFrame(33));
            offer(cache, keyframe(2000));
            offer(cache, audio(2010));
            assertThat(snapshotDts(cache)).containsExactly(2000L, 2010L);
            assertThat(cache.keyframeIntervalMs()).isEqualTo(2000);
            offer(cache, keyframe(3000));
            assertThat(cache.keyframeIntervalMs()).isEqualTo(1000);
            assertThat(cache.size()).isEqualTo(1);
        }
    }

    @Test
    void leavesSequenceHeadersMetadataAndEndOfSequenceToOthers() {
        try (GopCache cache = new GopCache(10_000, 100)) {
            offer(cache, keyframe(0));
            offer(cache, MediaPacket.fromRtmp(9, 1, buffers.hex(RealCodecHeaders.AVC_640X360_HIGH_30FPS)));
            offer(cache, MediaPacket.fromRtmp(8, 2, buffers.hex(RealCodecHeaders.AAC_44100_MONO)));
            offer(cache, MediaPacket.fromRtmp(18, 3, buffers.hex(MediaPacketTest.SET_DATA_FRAME_ON_METADATA)));
            offer(cache, MediaPacket.fromRtmp(9, 4, buffers.hex("17 02 000000")));
            offer(cache, MediaPacket.fromRtmp(18, 5, buffers.hex("02 000a 6f6e437565506f696e74 05")));
            assertThat(snapshotDts(cache))
                    .as("keyframe and the onCuePoint data message")
                    .containsExactly(0L, 5L);
        }
    }

    @Test
    void aGopOverThePacketLimitIsDroppedUntilTheNextKeyframe() {
        try (GopCache cache = new GopCache(10_000, 3)) {
            offer(cache, keyframe(0));
            offer(cache, interFrame(33));
            offer(cache, interFrame(66));
            assertThat(cache.size()).isEqualTo(3);
            offer(cache, interFrame(100));
            assertThat(cache.overflows()).isEqualTo(1);
            assertThat(cache.size()).isZero();
            assertThat(cache.bytes()).isZero();
            offer(cache, interFrame(133));
            offer(cache, audio(140));
            assertThat(cache.size()).as("stays empty without a keyframe").isZero();
            offer(cache, keyframe(1000));
            offer(cache, interFrame(1033));
            assertThat(snapshotDts(cache)).as("recovered").containsExactly(1000L, 1033L);
            assertThat(cache.overflows()).isEqualTo(1);
            assertThat(cache.keyframeIntervalMs()).isEqualTo(1000);
        }
    }

    @Test
    void aGopOverTheByteLimitIsDroppedUntilTheNextKeyframe() {
        try (GopCache cache = new GopCache(45, 1000)) {
            offer(cache, keyframe(0)); // 20 bytes
            offer(cache, interFrame(33)); // 30
            offer(cache, interFrame(66)); // 40
            offer(cache, audio(70)); // 45: at the limit, still kept
            assertThat(cache.bytes()).isEqualTo(45);
            offer(cache, audio(80)); // 50: over
            assertThat(cache.overflows()).isEqualTo(1);
            assertThat(cache.size()).isZero();
            offer(cache, keyframe(2000));
            assertThat(cache.bytes()).isEqualTo(20);
            offer(cache, packet(9, 2033, "27 01 000000", 100)); // one frame larger than the whole budget
            assertThat(cache.overflows()).isEqualTo(2);
            offer(cache, keyframe(4000));
            assertThat(snapshotDts(cache)).containsExactly(4000L);
        }
    }

    @Test
    void snapshotBelongsToTheCallerAndOutlivesTheCache() {
        List<MediaPacket> snapshot;
        try (GopCache cache = new GopCache(10_000, 100)) {
            offer(cache, keyframe(0));
            offer(cache, interFrame(33));
            snapshot = cache.snapshot();
            assertThat(snapshot).hasSize(2);
            assertThat(snapshot.get(0).isVideoKeyframe()).isTrue();
            snapshot.get(0).payload().skipBytes(5);
            List<MediaPacket> second = cache.snapshot();
            assertThat(second.get(0).payload().readerIndex())
                    .as("independent reader indexes")
                    .isZero();
            second.forEach(MediaPacket::release);
        }
        // The cache is closed; the snapshot is still readable until its owner releases it.
        assertThat(snapshot.get(1).payload().getByte(0)).isEqualTo((byte) 0x27);
        assertThat(snapshot).allSatisfy(p -> assertThat(p.refCnt()).isEqualTo(1));
        snapshot.forEach(MediaPacket::release);
    }

    @Test
    void theCallerKeepsOwnershipOfWhatItAdds() {
        try (GopCache cache = new GopCache(10_000, 100)) {
            MediaPacket key = keyframe(0);
            cache.add(key);
            assertThat(key.refCnt())
                    .as("the caller's reference plus the cache's")
                    .isEqualTo(2);
            key.release();
            assertThat(key.refCnt()).isEqualTo(1);
            offer(cache, keyframe(1000));
            assertThat(key.refCnt()).as("released by the next GOP").isZero();
        }
        assertThat(offered).allSatisfy(p -> assertThat(p.refCnt()).isZero());
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new GopCache(0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBytes must be at least 1, got 0");
        assertThatThrownBy(() -> new GopCache(10, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPackets must be at least 1, got -1");
    }
}
