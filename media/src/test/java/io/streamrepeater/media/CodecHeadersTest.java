package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CodecHeadersTest {
    private final BufferLedger buffers = new BufferLedger();

    @AfterEach
    void everyBufferReleased() {
        buffers.assertAllReleased();
    }

    private MediaPacket packet(int type, long dts, String hex) {
        return MediaPacket.fromRtmp(type, dts, buffers.hex(hex));
    }

    @Test
    void keepsHeadersAndMetadataAndTellsWhenTheyChange() {
        MediaPacket video = packet(9, 0, RealCodecHeaders.AVC_640X360_HIGH_30FPS);
        MediaPacket sameVideo = packet(9, 5000, RealCodecHeaders.AVC_640X360_HIGH_30FPS);
        MediaPacket otherVideo = packet(9, 9000, RealCodecHeaders.AVC_1920X1080_MAIN_25FPS);
        MediaPacket audio = packet(8, 0, RealCodecHeaders.AAC_44100_MONO);
        MediaPacket metadata = packet(18, 0, MediaPacketTest.SET_DATA_FRAME_ON_METADATA);
        MediaPacket frame = packet(9, 33, "27 01 000000 00000001 41");
        try (CodecHeaders headers = new CodecHeaders()) {
            assertThat(headers.update(frame)).as("a frame is ignored").isFalse();
            assertThat(headers.update(video)).as("first video header").isTrue();
            assertThat(headers.update(audio)).isTrue();
            assertThat(headers.update(metadata)).isTrue();
            assertThat(headers.update(sameVideo)).as("same bytes again").isFalse();
            assertThat(headers.videoHeader().dts()).as("the latest one is kept").isEqualTo(5000);
            assertThat(video.refCnt()).as("the replaced one was released").isEqualTo(1);
            assertThat(headers.update(otherVideo)).as("new resolution").isTrue();
            assertThat(AvcConfiguration.parse(headers.videoHeader().payload()).height())
                    .isEqualTo(1080);
            assertThat(frame.refCnt()).isEqualTo(1);

            List<MediaPacket> all = headers.retainedAll();
            try {
                assertThat(all)
                        .extracting(MediaPacket::kind)
                        .containsExactly(MediaKind.DATA, MediaKind.VIDEO, MediaKind.AUDIO);
                assertThat(all.get(1).payload().unwrap()).isSameAs(otherVideo.payload());
            } finally {
                all.forEach(MediaPacket::release);
            }
        } finally {
            for (MediaPacket p : List.of(video, sameVideo, otherVideo, audio, metadata, frame)) {
                p.release();
            }
        }
    }

    @Test
    void retainedAllSkipsWhatWasNeverSeen() {
        MediaPacket audio = packet(8, 0, RealCodecHeaders.AAC_48000_STEREO);
        try (CodecHeaders headers = new CodecHeaders()) {
            headers.update(audio);
            assertThat(headers.videoHeader()).isNull();
            assertThat(headers.metadata()).isNull();
            List<MediaPacket> all = headers.retainedAll();
            assertThat(all).hasSize(1);
            all.forEach(MediaPacket::release);
        } finally {
            audio.release();
        }
    }

    @Test
    void closeReleasesWhatItHolds() {
        MediaPacket video = packet(9, 0, RealCodecHeaders.AVC_640X360_HIGH_30FPS);
        CodecHeaders headers = new CodecHeaders();
        headers.update(video);
        io.netty.buffer.ByteBuf payload = video.payload();
        video.release();
        assertThat(payload.refCnt()).as("the cache still holds it").isEqualTo(1);
        headers.close();
        assertThat(headers.videoHeader()).isNull();
        // The ledger checks in @AfterEach that the buffer is now released.
    }
}
