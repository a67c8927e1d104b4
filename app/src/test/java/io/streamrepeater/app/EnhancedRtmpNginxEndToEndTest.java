package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.FlvFileReader;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.VideoCodec;
import io.streamrepeater.rtmp.session.PublishClientSession;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.testkit.CapturedLogs;
import io.streamrepeater.testkit.NginxRtmp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HEVC and AV1 over Enhanced RTMP through the relay to a real third-party server, tag by tag: the project's RTMP
 * client publishes an {@link EnhancedFlvFixture} to a relay whose destination is nginx-rtmp 1.2.2, and an RTMP player
 * of ours plays the stream back from nginx's live application. Every video tag body nginx delivers equals the one
 * published, byte for byte, the sequence header included, and the relay's connect to nginx announced the codec.
 *
 * <p>Why a player and not nginx's recording: nginx-rtmp 1.2.2's recorder waits for a legacy keyframe flag and so
 * never records Enhanced RTMP video. Why the player joins before the publisher: nginx caches only legacy AVC/AAC
 * sequence headers for late joiners, so the HEVC SequenceStart tag reaches only those already playing. Why
 * {@code wait_key off}: see {@link NginxRtmp.Builder#withPlayersFromAnyVideoTag()}.
 */
class EnhancedRtmpNginxEndToEndTest {
    @ParameterizedTest
    @EnumSource(EnhancedFlvFixture.Kind.class)
    void everyTagTheRelaySendsToNginxReachesANginxPlayerByteForByte(EnhancedFlvFixture.Kind kind, @TempDir Path tmp)
            throws Exception {
        Path flv = EnhancedFlvFixture.flv(kind, tmp);
        VideoCodec codec = kind.codec;
        String fourCc = kind.fourCc;
        try (CapturedLogs push = CapturedLogs.of(PublishClientSession.class);
                FlvFile file = FlvFileReader.read(flv, PooledByteBufAllocator.DEFAULT, 64L << 20);
                NginxRtmp dest = NginxRtmp.builder(tmp.resolve("nginx"))
                        .withPlayersFromAnyVideoTag()
                        .start();
                RunningServer relay = RunningServer.start(
                        tmp.resolve("relay"), """
                        server: { adminToken: "nginx-enhanced-relay-admin", srtPort: 0 }
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: "nginx-enhanced-relay-key" }
                            destinations:
                              - { name: ngx, url: "%s", platform: custom }
                        """.formatted(dest.rtmpUrl("live", "enhanced")), null);
                RtmpPlayer player = RtmpPlayer.play(dest.rtmpUrl("live", "enhanced"))) {
            List<MediaPacket> packets = file.packets();
            List<byte[]> published = EnhancedFlvFixture.videoBodies(packets, kind);

            assertThat(player.playStarted().get(10, TimeUnit.SECONDS)).isEqualTo("NetStream.Play.Start");
            try (PacketPublisher publisher =
                    PacketPublisher.start(relay.ingestUrl("nginx-enhanced-relay-key"), packets, List.of(fourCc))) {
                assertThat(publisher.sent().get(30, TimeUnit.SECONDS)).isEqualTo(packets.size());
                // the count in the condition, so that a timeout says how many arrived (none: nginx held video back)
                await().atMost(Duration.ofSeconds(10))
                        .alias("video tags the player received")
                        .until(() -> player.videoTags().size(), n -> n >= published.size() - 35);
                // read while the publisher is still connected: what the relay's status says of this session
                assertThat(relay.channel("show").inputs().get(0).format()).startsWith(codec + " 320x180");
                assertThat(relay.destination("show", "ngx").state()).isEqualTo(DestinationState.LIVE);
            }
            // the test's publisher logs its own announcing connect, to the relay; this is the relay's to nginx
            assertThat(push.linesWith("event=enhanced-rtmp-connect").stream()
                            .filter(line -> line.contains("127.0.0.1:" + dest.port() + "/live"))
                            .toList())
                    .as("the relay announced the custom platform's codecs to nginx, which answers with no list")
                    .singleElement()
                    .satisfies(line -> assertThat(line).contains(fourCc).endsWith("serverFourCcList="));

            List<byte[]> received =
                    player.videoTags().stream().map(RtmpPlayer.Tag::body).toList();
            int compared = EnhancedFlvFixture.assertSameTags(published, received);
            System.out.printf(
                    "enhanced RTMP %s via nginx-rtmp: %d video tags published, %d received by the player (%d audio),"
                            + " %d compared byte for byte%n",
                    kind, published.size(), received.size(), player.audioTags().size(), compared);
        }
    }
}
