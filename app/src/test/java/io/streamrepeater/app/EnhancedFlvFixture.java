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
    private static final int EX_HEADER = 0x80;
    private static final int MULTITRACK = 6;

    private EnhancedFlvFixture() {}

    /** What the fixture carries. */
    enum Kind {
        HEVC(VideoCodec.HEVC, "hvc1"),
        AV1(VideoCodec.AV1, "av01"),
        /** The HEVC fixture with every video tag in an Enhanced RTMP v2 multitrack tag of one track (track 0). */
        HEVC_MULTITRACK(VideoCodec.HEVC, "hvc1");

        final VideoCodec codec;
        /** The FourCC a publisher announces in {@code connect}. */
        final String fourCc;

        Kind(VideoCodec codec, String fourCc) {
            this.codec = codec;
            this.fourCc = fourCc;
        }
    }

    /** Writes the fixture of {@code kind} into {@code dir}. */
    static Path flv(Kind kind, Path dir) throws Exception {
        Path hevc = TestMedia.hevcAacTs(Duration.ofSeconds(4), 30, "320x180", 30);
        return switch (kind) {
            case HEVC -> fromTransportStream(hevc, false, dir.resolve("hevc.flv"));
            case HEVC_MULTITRACK -> fromTransportStream(hevc, true, dir.resolve("hevc-multitrack.flv"));
            case AV1 ->
                Av1Tags.flv(TestMedia.av1Obu(Duration.ofSeconds(4), 30, "320x180", 30), 30, dir.resolve("av1.flv"));
        };
    }

    /** The video tag bodies of {@code packets}, each checked to be the kind's codec; the first is its SequenceStart. */
    static List<byte[]> videoBodies(List<MediaPacket> packets, Kind kind) {
        List<byte[]> bodies = new ArrayList<>();
        for (MediaPacket p : packets) {
            if (p.kind() == MediaKind.VIDEO) {
                assertThat(p.videoCodec()).isEqualTo(kind.codec);
                bodies.add(ByteBufUtil.getBytes(p.payload()));
            }
        }
        byte[] sequenceStart = bodies.get(0);
        assertThat(sequenceStart[0] & EX_HEADER)
                .as("an Enhanced RTMP video tag (IsExHeader)")
                .isNotZero();
        int fourCcAt = 1;
        if (kind == Kind.HEVC_MULTITRACK) {
            assertThat(sequenceStart[0] & 0x0F).as("PacketType Multitrack").isEqualTo(MULTITRACK);
            assertThat(sequenceStart[1] & 0xFF).as("OneTrack, SequenceStart").isZero();
            fourCcAt = 2;
        } else {
            assertThat(sequenceStart[0] & 0x0F).as("PacketType SequenceStart").isZero();
        }
        assertThat(new String(sequenceStart, fourCcAt, 4, StandardCharsets.US_ASCII))
                .isEqualTo(kind.fourCc);
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

    /**
     * Demuxes an MPEG-TS file with the project's demuxer and writes its packets as FLV with the project's writer, the
     * Enhanced RTMP video tags put in multitrack tags of one track when {@code multitrack}.
     */
    private static Path fromTransportStream(Path ts, boolean multitrack, Path flv) throws Exception {
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
                long dts = Math.max(0, p.dts() - first);
                if (multitrack && p.kind() == MediaKind.VIDEO) {
                    MediaPacket track = MediaPacket.fromRtmp(
                            p.rtmpTypeId(),
                            p.dts(),
                            Unpooled.wrappedBuffer(oneTrack(ByteBufUtil.getBytes(p.payload()))));
                    out.write(FlvWriter.tag(track, dts));
                    track.release();
                } else {
                    out.write(FlvWriter.tag(p, dts));
                }
                p.release();
            }
        }
        return flv;
    }

    /**
     * An Enhanced RTMP video tag (header byte, FourCC, body) as a multitrack tag of one track: header byte with packet
     * type Multitrack, then OneTrack and the tag's packet type, the FourCC, track id 0, the body.
     */
    private static byte[] oneTrack(byte[] tag) {
        byte[] track = new byte[tag.length + 2];
        track[0] = (byte) (tag[0] & 0xF0 | MULTITRACK);
        track[1] = (byte) (tag[0] & 0x0F);
        System.arraycopy(tag, 1, track, 2, 4);
        track[6] = 0;
        System.arraycopy(tag, 5, track, 7, tag.length - 5);
        return track;
    }
}
