package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MediaPacketTest {
    /** AMF0: "@setDataFrame", "onMetaData", ECMA array with 0 entries and the end marker. */
    static final String SET_DATA_FRAME_ON_METADATA =
            "02 000d 40736574446174614672616d65 | 02 000a 6f6e4d65746144617461 | 08 00000000 000009";

    private final BufferLedger buffers = new BufferLedger();

    @AfterEach
    void everyBufferReleased() {
        buffers.assertAllReleased();
    }

    @Test
    void videoKeyframeKeepsTheWholeTagBodyAndAddsCompositionTimeToPts() {
        ByteBuf payload = buffers.hex("17 01 000043 000002ac 0605ffff");
        MediaPacket packet = MediaPacket.fromRtmp(9, 1000, payload);
        try {
            assertThat(packet.kind()).isEqualTo(MediaKind.VIDEO);
            assertThat(packet.rtmpTypeId()).isEqualTo(9);
            assertThat(packet.dts()).isEqualTo(1000);
            assertThat(packet.pts()).isEqualTo(1067);
            assertThat(packet.compositionTimeMs()).isEqualTo(67);
            assertThat(packet.isVideoKeyframe()).isTrue();
            assertThat(packet.sequenceHeader()).isFalse();
            assertThat(packet.videoCodec()).isEqualTo(VideoCodec.AVC);
            assertThat(packet.audioCodec()).isNull();
            assertThat(packet.payload()).as("same buffer, tag header included").isSameAs(payload);
            assertThat(ByteBufUtil.hexDump(packet.payload())).isEqualTo("1701000043000002ac0605ffff");
        } finally {
            packet.release();
        }
        assertThat(payload.refCnt()).as("the packet owned the payload").isZero();
    }

    @Test
    void theIngestTimeTravelsWithEveryDerivedPacket() {
        MediaPacket packet = MediaPacket.fromRtmp(9, 1000, buffers.hex("17 01 000043 000002ac 0605ffff"), 123_456_789L);
        MediaPacket moved = packet.withDts(5);
        MediaPacket duplicate = moved.retainedDuplicate();
        MediaPacket unstamped = MediaPacket.fromRtmp(8, 44, buffers.hex(RealCodecHeaders.AAC_44100_MONO));
        try {
            assertThat(packet.ingestNanos()).isEqualTo(123_456_789L);
            assertThat(moved.ingestNanos()).isEqualTo(123_456_789L);
            assertThat(duplicate.ingestNanos()).isEqualTo(123_456_789L);
            assertThat(unstamped.ingestNanos()).as("not from a live ingest").isZero();
        } finally {
            packet.release();
            moved.release();
            duplicate.release();
            unstamped.release();
        }
    }

    @Test
    void negativeCompositionTimePutsPtsBeforeDts() {
        MediaPacket packet = MediaPacket.fromRtmp(9, 100, buffers.hex("27 01 ffffdf 00000001 41"));
        try {
            assertThat(packet.pts()).isEqualTo(67);
            assertThat(packet.isVideoKeyframe()).isFalse();
        } finally {
            packet.release();
        }
    }

    @Test
    void audioSequenceHeaderHasPtsEqualToDts() {
        MediaPacket packet = MediaPacket.fromRtmp(8, 44, buffers.hex(RealCodecHeaders.AAC_44100_MONO));
        try {
            assertThat(packet.kind()).isEqualTo(MediaKind.AUDIO);
            assertThat(packet.pts()).isEqualTo(44);
            assertThat(packet.sequenceHeader()).isTrue();
            assertThat(packet.audioCodec()).isEqualTo(AudioCodec.AAC);
            assertThat(packet.isVideoKeyframe()).isFalse();
        } finally {
            packet.release();
        }
    }

    @Test
    void recognisesMetadataInAmf0AndAmf3DataMessages() {
        MediaPacket amf0 = MediaPacket.fromRtmp(18, 0, buffers.hex(SET_DATA_FRAME_ON_METADATA));
        MediaPacket bare = MediaPacket.fromRtmp(18, 0, buffers.hex("02 000a 6f6e4d65746144617461 | 05"));
        MediaPacket amf3 = MediaPacket.fromRtmp(15, 0, buffers.hex("00 | " + SET_DATA_FRAME_ON_METADATA));
        MediaPacket cuePoint = MediaPacket.fromRtmp(18, 0, buffers.hex("02 000a 6f6e437565506f696e74 | 05"));
        try {
            assertThat(amf0.kind()).isEqualTo(MediaKind.DATA);
            assertThat(amf0.metadata()).isTrue();
            assertThat(bare.metadata()).isTrue();
            assertThat(amf3.metadata()).isTrue();
            assertThat(amf3.rtmpTypeId()).isEqualTo(15);
            assertThat(cuePoint.metadata()).as("onCuePoint").isFalse();
            assertThat(cuePoint.sequenceHeader()).isFalse();
        } finally {
            amf0.release();
            bare.release();
            amf3.release();
            cuePoint.release();
        }
    }

    @Test
    void rejectsOtherMessageTypesAndReleasesThePayload() {
        ByteBuf payload = buffers.hex("02 0007 5f726573756c74");
        assertThatThrownBy(() -> MediaPacket.fromRtmp(20, 0, payload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RTMP message type 20 is not media");
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void withDtsMovesBothTimestampsAndSharesTheBytes() {
        MediaPacket original = MediaPacket.fromRtmp(9, 1000, buffers.hex("27 01 000085 00001277 419a236c"));
        MediaPacket moved = original.withDts(5000);
        try {
            assertThat(moved.dts()).isEqualTo(5000);
            assertThat(moved.pts()).isEqualTo(5133);
            assertThat(moved.compositionTimeMs())
                    .isEqualTo(original.compositionTimeMs())
                    .isEqualTo(133);
            assertThat(ByteBufUtil.equals(moved.payload(), original.payload())).isTrue();
            assertThat(moved.payload().unwrap()).as("a duplicate, not a copy").isSameAs(original.payload());
            assertThat(moved.videoInfo()).isEqualTo(original.videoInfo());
            assertThat(original.dts()).as("the original is unchanged").isEqualTo(1000);
            assertThat(original.refCnt()).as("one reference each").isEqualTo(2);
        } finally {
            moved.release();
        }
        assertThat(original.refCnt()).as("the caller still owns the original").isEqualTo(1);
        original.release();
    }

    @Test
    void withDtsBackwardsKeepsTheCompositionOffset() {
        MediaPacket original = MediaPacket.fromRtmp(9, 90_000, buffers.hex("27 01 ffffdf 00000001 41"));
        MediaPacket moved = original.withDts(10);
        try {
            assertThat(moved.pts()).isEqualTo(-23);
            assertThat(moved.compositionTimeMs()).isEqualTo(-33);
        } finally {
            moved.release();
            original.release();
        }
    }

    @Test
    void retainedDuplicateHasItsOwnReaderIndexAndReference() {
        MediaPacket original = MediaPacket.fromRtmp(8, 7, buffers.hex("af 01 de02004c61"));
        MediaPacket duplicate = original.retainedDuplicate();
        try {
            duplicate.payload().skipBytes(2);
            assertThat(original.payload().readerIndex()).isZero();
            assertThat(duplicate.dts()).isEqualTo(7);
            assertThat(duplicate.audioCodec()).isEqualTo(AudioCodec.AAC);
            assertThat(original.refCnt()).isEqualTo(2);
        } finally {
            duplicate.release();
            original.release();
        }
    }
}
