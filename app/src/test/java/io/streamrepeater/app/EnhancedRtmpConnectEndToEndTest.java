package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.rtmp.session.IngestSession;
import io.streamrepeater.rtmp.session.PublishClientSession;
import io.streamrepeater.status.InputState;
import io.streamrepeater.testkit.CapturedLogs;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enhanced RTMP's codec announcement over the real network path: a relay pushes its channel to a second Stream
 * Repeater server (a custom destination: the relay announces HEVC, AV1 and VP9 in {@code connect}, and the second
 * server, as an ingest, answers with the codecs it takes, each can-forward) and to an nginx-rtmp declared
 * {@code platform: twitch} (H.264 only: nothing announced). An ffmpeg encoder feeds the first server; the media
 * reaches the second.
 */
class EnhancedRtmpConnectEndToEndTest {
    @Test
    void theRelayAnnouncesEnhancedCodecsOnlyWhereTheDestinationsPlatformTakesThem(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x180", 30, "300k");
        try (CapturedLogs ingest = CapturedLogs.of(IngestSession.class);
                CapturedLogs push = CapturedLogs.of(PublishClientSession.class);
                NginxRtmp twitchLike = NginxRtmp.start(tmp.resolve("nginx"));
                RunningServer downstream = RunningServer.start(tmp.resolve("downstream"), """
                        server: { adminToken: "enhanced-downstream-token", srtPort: 0 }
                        channels:
                          - name: down
                            inputs:
                              - { name: main, key: "enhanced-downstream-key-1" }
                        """, null);
                RunningServer relay = RunningServer.start(
                        tmp.resolve("relay"),
                        """
                        server: { adminToken: "enhanced-relay-token", srtPort: 0 }
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: "enhanced-relay-key-0001" }
                            destinations:
                              - { name: own, url: "%s" }
                              - { name: tw, url: "%s", platform: twitch }
                        """.formatted(
                                downstream.ingestUrl("enhanced-downstream-key-1"), twitchLike.rtmpUrl("live", "tw")),
                        null);
                FfmpegPublisher encoder = FfmpegPublisher.start(media, relay.ingestUrl("enhanced-relay-key-0001"))) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> downstream.channel("down").inputs().get(0).state() == InputState.ACTIVE
                            && downstream.channel("down").inputs().get(0).format() != null
                            && relay.destination("show", "tw").state().name().equals("LIVE"));

            assertThat(ingest.linesWith("fourCcList=hvc1,av01,vp09"))
                    .as("the second server heard the relay's announcement")
                    .hasSize(1);
            assertThat(ingest.linesWith("fourCcList="))
                    .as("ffmpeg 5.1 announces nothing")
                    .hasSize(1);
            assertThat(push.linesWith("event=enhanced-rtmp-connect"))
                    .as("one announcing connect: the custom destination's, answered by the second server")
                    .singleElement()
                    .satisfies(line -> assertThat(line)
                            .contains("announced=hvc1,av01,vp09")
                            .contains("serverFourCcList=hvc1,av01,vp09"));
            assertThat(downstream.channel("down").inputs().get(0).format()).startsWith("AVC 320x180");
        }
    }
}
