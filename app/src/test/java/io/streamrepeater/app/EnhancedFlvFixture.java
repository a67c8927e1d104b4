package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamrepeater.media.FlvWriter;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.VideoCodec;
import io.streamrepeater.media.ts.TsDemuxer;
import io.streamrepeater.testkit.TestMedia;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Enhanced FLV files of 4 s of 320x180 at 30 fps, keyframes every second, made by the project from ffmpeg's elementary
 * streams (HEVC: ffmpeg's MPEG-TS through the project's demuxer; AV1: ffmpeg's OBU stream through {@link Av1Tags}),
 * written with the project's FLV writer; and the byte-for-byte comparison of what a peer received with them.
 */
final class EnhancedFlvFixture {
    private EnhancedFlvFixture() {}

    /** The Enhanced RTMP FourCC of {@code codec}, as a publisher announces it in {@code connect}. */
    static String fourCc(VideoCodec codec) {
        return switch (codec) {
            case HEVC -> "hvc1";
            case AV1 -> "av01";
            default -> throw new IllegalArgumentException("no Enhanced FLV fixture for " + codec);
        };
    }

    /** Writes the fixture of {@code codec} into {@code dir}. */
    static Path flv(VideoCodec codec, Path dir) throws Exception {
        return switch (codec) {
            case HEVC ->
                fromTransportStream(
                        TestMedia.hevcAacTs(Duration.ofSeconds(4), 30, "320x180", 30), dir.resolve("hevc.flv"));
            case AV1 ->
                Av1Tags.flv(TestMedia.av1Obu(Duration.ofSeconds(4), 30, "320x180", 30), 30, dir.resolve("av1.flv"));
            default -> throw new IllegalArgumentException("no Enhanced FLV fixture for " + codec);
        };
    }

    /** The video tag bodies of {@code packets}, each checked to be {@code codec}; the first is its SequenceStart. */
    static List<byte[]> videoBodies(List<MediaPacket> packets, VideoCodec codec) {
        List<byte[]> bodies = new ArrayList<>();
        for (MediaPacket p : packets) {
            if (p.kind() == MediaKind.VIDEO) {
                assertThat(p.videoCodec()).isEqualTo(codec);
                bodies.add(ByteBufUtil.getBytes(p.payload()));
            }
        }
        byte[] sequenceStart = bodies.get(0);
        assertThat(sequenceStart[0] & 0x80)
                .as("an Enhanced RTMP video tag (IsExHeader)")
                .isNotZero();
        assertThat(sequenceStart[0] & 0x0F).as("PacketType SequenceStart").isZero();
        assertThat(new String(sequenceStart, 1, 4, StandardCharsets.US_ASCII)).isEqualTo(fourCc(codec));
        return bodies;
    }

    /**
     * Asserts that the first tag received is the published sequence header and that a run of coded frames follows,
     * each equal to the published frame at the same place (a relay starts its output at a keyframe), at least 61.
     *
     * @return the number of coded frames compared
     */
    static int assertSameTags(List<byte[]> published, List<byte[]> received) {
        assertThat(received.get(0))
                .as("first video tag received: %s", head(received.get(0)))
                .isEqualTo(published.get(0));
        int start = -1;
        for (int i = 1; i < published.size() && start < 0; i++) {
            if (Arrays.equals(published.get(i), received.get(1))) {
                start = i;
            }
        }
        assertThat(start)
                .as("the second video tag received (%s) was published", head(received.get(1)))
                .isPositive();
        int compared = 0;
        for (int r = 1; r < received.size() && start + r - 1 < published.size(); r++) {
            byte[] expected = published.get(start + r - 1);
            assertThat(received.get(r))
                    .as("video tag %d: received %s, published %s", r, head(received.get(r)), head(expected))
                    .isEqualTo(expected);
            compared++;
        }
        assertThat(compared).as("frames compared byte for byte").isGreaterThan(60);
        return compared;
    }

    /** The first bytes of a tag body in hex, and its length, for a readable difference. */
    private static String head(byte[] body) {
        return ByteBufUtil.hexDump(body, 0, Math.min(16, body.length)) + "… (" + body.length + " bytes)";
    }

    /** Demuxes an MPEG-TS file with the project's demuxer and writes its packets as FLV with the project's writer. */
    private static Path fromTransportStream(Path ts, Path flv) throws Exception {
        List<MediaPacket> packets = new ArrayList<>();
        try (TsDemuxer demuxer =
                new TsDemuxer(PooledByteBufAllocator.DEFAULT, TsDemuxer.DEFAULT_MAX_PES_BYTES, packets::add)) {
            demuxer.feed(Unpooled.wrappedBuffer(Files.readAllBytes(ts)));
            demuxer.finish();
        }
        try (OutputStream out = Files.newOutputStream(flv)) {
            out.write(FlvWriter.header(true));
            long first = packets.get(0).dts();
            for (MediaPacket p : packets) {
                out.write(FlvWriter.tag(p, Math.max(0, p.dts() - first)));
                p.release();
            }
        }
        return flv;
    }
}
