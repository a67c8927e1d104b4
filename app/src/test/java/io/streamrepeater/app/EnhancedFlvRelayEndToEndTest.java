package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamrepeater.channel.InputListener;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.FlvFileReader;
import io.streamrepeater.media.FlvWriter;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.VideoCodec;
import io.streamrepeater.media.ts.TsDemuxer;
import io.streamrepeater.testkit.TestMedia;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HEVC and AV1 over Enhanced RTMP from a publisher through the relay, tag by tag: ffmpeg encodes HEVC (MPEG-TS) or AV1
 * (an OBU stream), the project's demuxer or {@link Av1Tags} and its FLV writer turn it into an Enhanced FLV file, and
 * the project's RTMP client publishes that file over a real TCP connection (announcing {@code hvc1} or {@code av01}) to
 * a relay, which pushes it to a second Stream Repeater server. Every video tag body the second server receives equals
 * the one published, byte for byte, sequence header included.
 */
class EnhancedFlvRelayEndToEndTest {
    @ParameterizedTest
    @EnumSource(
            value = VideoCodec.class,
            names = {"HEVC", "AV1"})
    void everyTagPublishedArrivesByteForByteAtTheRelaysDestination(VideoCodec codec, @TempDir Path tmp)
            throws Exception {
        Path flv = codec == VideoCodec.HEVC
                ? enhancedFlv(TestMedia.hevcAacTs(Duration.ofSeconds(4), 30, "320x180", 30), tmp.resolve("hevc.flv"))
                : Av1Tags.flv(TestMedia.av1Obu(Duration.ofSeconds(4), 30, "320x180", 30), 30, tmp.resolve("av1.flv"));
        String fourCc = codec == VideoCodec.HEVC ? "hvc1" : "av01";
        List<byte[]> received = new CopyOnWriteArrayList<>();
        try (FlvFile file = FlvFileReader.read(flv, PooledByteBufAllocator.DEFAULT, 64L << 20);
                RunningServer downstream = RunningServer.start(tmp.resolve("downstream"), """
                        server: { adminToken: "flv-downstream-admin", srtPort: 0 }
                        channels:
                          - name: down
                            inputs:
                              - { name: main, key: "flv-downstream-key-0001" }
                        """, null);
                RunningServer relay = RunningServer.start(
                        tmp.resolve("relay"), """
                        server: { adminToken: "flv-relay-admin", srtPort: 0 }
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: "flv-relay-key-00000001" }
                            destinations:
                              - { name: d1, url: "%s" }
                        """.formatted(downstream.ingestUrl("flv-downstream-key-0001")), null)) {
            List<MediaPacket> packets = file.packets();
            List<byte[]> published = new ArrayList<>();
            for (MediaPacket p : packets) {
                if (p.kind() == MediaKind.VIDEO) {
                    assertThat(p.videoCodec()).isEqualTo(codec);
                    published.add(ByteBufUtil.getBytes(p.payload()));
                }
            }
            assertThat(published.get(0)[0] & 0x80)
                    .as("an Enhanced RTMP video tag (IsExHeader)")
                    .isNotZero();
            downstream
                    .server
                    .channel("down")
                    .addInputListener("main", new InputListener() {
                        @Override
                        public void packet(MediaPacket packet) {
                            if (packet.kind() == MediaKind.VIDEO) {
                                received.add(ByteBufUtil.getBytes(packet.payload()));
                            }
                        }
                    })
                    .get(5, TimeUnit.SECONDS);
            try (PacketPublisher publisher =
                    PacketPublisher.start(relay.ingestUrl("flv-relay-key-00000001"), packets, List.of(fourCc))) {
                assertThat(publisher.sent().get(30, TimeUnit.SECONDS)).isEqualTo(packets.size());
                await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= published.size() - 35);
            }
            assertThat(relay.channel("show").inputs().get(0).format()).startsWith(codec + " 320x180");
            assertThat(downstream.channel("down").inputs().get(0).format()).startsWith(codec + " 320x180");

            // the first tag received is the sequence header, byte for byte; then a run of coded frames, each equal to
            // the published frame at the same place (the relay starts its output at a keyframe)
            assertThat(received.get(0)).isEqualTo(published.get(0));
            int start = -1;
            for (int i = 1; i < published.size() && start < 0; i++) {
                if (Arrays.equals(published.get(i), received.get(1))) {
                    start = i;
                }
            }
            assertThat(start).as("the first frame received was published").isPositive();
            int compared = 0;
            for (int r = 1; r < received.size() && start + r - 1 < published.size(); r++) {
                assertThat(received.get(r)).as("video tag %d", r).isEqualTo(published.get(start + r - 1));
                compared++;
            }
            assertThat(compared).as("frames compared byte for byte").isGreaterThan(60);
            System.out.printf(
                    "enhanced FLV %s: %d video tags published, %d received, %d compared byte for byte%n",
                    codec, published.size(), received.size(), compared);
        }
    }

    /** Demuxes an MPEG-TS file with the project's demuxer and writes its packets as FLV with the project's writer. */
    private static Path enhancedFlv(Path ts, Path flv) throws Exception {
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
