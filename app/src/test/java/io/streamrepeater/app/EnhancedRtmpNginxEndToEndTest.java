package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.FlvFileReader;
import io.streamrepeater.media.FlvWriter;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.VideoCodec;
import io.streamrepeater.media.ts.TsDemuxer;
import io.streamrepeater.rtmp.session.PublishClientSession;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.testkit.CapturedLogs;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HEVC over Enhanced RTMP through the relay to a real third-party server, tag by tag: the project's RTMP client
 * publishes an Enhanced FLV file (made from ffmpeg's HEVC by the project's demuxer and FLV writer, as in
 * {@link EnhancedFlvRelayEndToEndTest}) to a relay whose destination is nginx-rtmp 1.2.2, and an RTMP player of ours
 * plays the stream back from nginx's live application. Every video tag body nginx delivers equals the one published,
 * byte for byte, the HEVC sequence header included.
 *
 * <p>Why a player and not nginx's recording: nginx-rtmp 1.2.2's recorder waits for a legacy keyframe flag and so
 * never records Enhanced RTMP video. Why the player joins before the publisher: nginx caches only legacy AVC/AAC
 * sequence headers for late joiners, so the HEVC SequenceStart tag reaches only those already playing. Why
 * {@code wait_key off}: see {@link NginxRtmp.Builder#withPlayersFromAnyVideoTag()}.
 */
class EnhancedRtmpNginxEndToEndTest {
    @Test
    void everyHevcTagTheRelaySendsToNginxReachesANginxPlayerByteForByte(@TempDir Path tmp) throws Exception {
        Path flv = enhancedFlv(TestMedia.hevcAacTs(Duration.ofSeconds(4), 30, "320x180", 30), tmp.resolve("hevc.flv"));
        try (CapturedLogs push = CapturedLogs.of(PublishClientSession.class);
                FlvFile file = FlvFileReader.read(flv, PooledByteBufAllocator.DEFAULT, 64L << 20);
                NginxRtmp dest = NginxRtmp.builder(tmp.resolve("nginx"))
                        .withPlayersFromAnyVideoTag()
                        .start();
                RunningServer relay =
                        RunningServer.start(tmp.resolve("relay"), """
                        server: { adminToken: "nginx-hevc-relay-admin", srtPort: 0 }
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: "nginx-hevc-relay-key-01" }
                            destinations:
                              - { name: ngx, url: "%s", platform: custom }
                        """.formatted(dest.rtmpUrl("live", "hevc")), null);
                RtmpPlayer player = RtmpPlayer.play(dest.rtmpUrl("live", "hevc"))) {
            List<MediaPacket> packets = file.packets();
            List<byte[]> published = new ArrayList<>();
            for (MediaPacket p : packets) {
                if (p.kind() == MediaKind.VIDEO) {
                    assertThat(p.videoCodec()).isEqualTo(VideoCodec.HEVC);
                    published.add(ByteBufUtil.getBytes(p.payload()));
                }
            }
            byte[] sequenceStart = published.get(0);
            assertThat(sequenceStart[0] & 0x80)
                    .as("an Enhanced RTMP video tag (IsExHeader)")
                    .isNotZero();
            assertThat(sequenceStart[0] & 0x0F).as("PacketType SequenceStart").isZero();
            assertThat(new String(sequenceStart, 1, 4, StandardCharsets.US_ASCII))
                    .isEqualTo("hvc1");

            assertThat(player.playStarted().get(10, TimeUnit.SECONDS)).isEqualTo("NetStream.Play.Start");
            try (PacketPublisher publisher =
                    PacketPublisher.start(relay.ingestUrl("nginx-hevc-relay-key-01"), packets, List.of("hvc1"))) {
                assertThat(publisher.sent().get(30, TimeUnit.SECONDS)).isEqualTo(packets.size());
                // the count in the condition, so that a timeout says how many arrived (none: nginx held video back)
                await().atMost(Duration.ofSeconds(10))
                        .alias("video tags the player received")
                        .until(() -> player.videoTags().size(), n -> n >= published.size() - 35);
                // read while the publisher is still connected: what the relay's status says of this session
                assertThat(relay.channel("show").inputs().get(0).format()).startsWith("HEVC");
                assertThat(relay.destination("show", "ngx").state()).isEqualTo(DestinationState.LIVE);
            }
            // the test's publisher logs its own announcing connect, to the relay; this is the relay's to nginx
            assertThat(push.linesWith("event=enhanced-rtmp-connect").stream()
                            .filter(line -> line.contains("127.0.0.1:" + dest.port() + "/live"))
                            .toList())
                    .as("the relay announced HEVC to nginx, which answers with no codec list of its own")
                    .singleElement()
                    .satisfies(
                            line -> assertThat(line).contains("announced=hvc1").endsWith("serverFourCcList="));

            List<byte[]> received =
                    player.videoTags().stream().map(RtmpPlayer.Tag::body).toList();
            // the first tag nginx delivers is the sequence header, byte for byte; then a run of coded frames, each
            // equal to the published frame at the same place (the relay starts its output at a keyframe)
            assertThat(received.get(0))
                    .as("first video tag from nginx: %s", head(received.get(0)))
                    .isEqualTo(sequenceStart);
            int start = -1;
            for (int i = 1; i < published.size() && start < 0; i++) {
                if (Arrays.equals(published.get(i), received.get(1))) {
                    start = i;
                }
            }
            assertThat(start)
                    .as("the second video tag from nginx (%s) was published", head(received.get(1)))
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
            System.out.printf(
                    "enhanced RTMP via nginx-rtmp: %d video tags published, %d received by the player (%d audio),"
                            + " %d compared byte for byte%n",
                    published.size(), received.size(), player.audioTags().size(), compared);
        }
    }

    /** The first bytes of a tag body in hex, and its length, for a readable difference. */
    private static String head(byte[] body) {
        return ByteBufUtil.hexDump(body, 0, Math.min(16, body.length)) + "… (" + body.length + " bytes)";
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
