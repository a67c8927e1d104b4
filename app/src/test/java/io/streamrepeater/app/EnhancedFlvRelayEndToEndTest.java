package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamrepeater.channel.InputListener;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.FlvFileReader;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.VideoCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HEVC and AV1 over Enhanced RTMP from a publisher through the relay, tag by tag: the project's RTMP client publishes
 * an {@link EnhancedFlvFixture} over a real TCP connection (announcing {@code hvc1} or {@code av01}) to a relay, which
 * pushes it to a second Stream Repeater server. Every video tag body the second server receives equals the one
 * published, byte for byte, sequence header included, and both servers read the picture size from it.
 */
class EnhancedFlvRelayEndToEndTest {
    @ParameterizedTest
    @EnumSource(EnhancedFlvFixture.Kind.class)
    void everyTagPublishedArrivesByteForByteAtTheRelaysDestination(EnhancedFlvFixture.Kind kind, @TempDir Path tmp)
            throws Exception {
        Path flv = EnhancedFlvFixture.flv(kind, tmp);
        VideoCodec codec = kind.codec;
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
            List<byte[]> published = EnhancedFlvFixture.videoBodies(packets, kind);
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
                    PacketPublisher.start(relay.ingestUrl("flv-relay-key-00000001"), packets, List.of(kind.fourCc))) {
                assertThat(publisher.sent().get(30, TimeUnit.SECONDS)).isEqualTo(packets.size());
                await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= published.size() - 35);
            }
            assertThat(relay.channel("show").inputs().get(0).format()).startsWith(codec + " 320x180");
            assertThat(downstream.channel("down").inputs().get(0).format()).startsWith(codec + " 320x180");

            int compared = EnhancedFlvFixture.assertSameTags(published, received);
            System.out.printf(
                    "enhanced FLV %s: %d video tags published, %d received, %d compared byte for byte%n",
                    kind, published.size(), received.size(), compared);
        }
    }
}
