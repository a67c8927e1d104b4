package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform that does not take the channel's codec is sent nothing: an ffmpeg encoder publishes HEVC over SRT, the
 * relay's destination declared {@code platform: twitch} (H.264 only) goes {@code FAILED} naming the codec, while a
 * custom destination (nginx-rtmp on loopback) gets the stream. When an H.264 encoder takes over the channel, the
 * refused destination connects and goes live.
 */
class CodecRefusalEndToEndTest {
    @Test
    void anHevcChannelIsNotSentToTwitchButToACustomServerAndH264BringsTwitchBack(@TempDir Path tmp) throws Exception {
        Path hevc = TestMedia.hevcAacTs(Duration.ofSeconds(4), 30, "320x180", 30);
        Path h264 = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x180", 30, "300k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer running = RunningServer.start(
                        tmp.resolve("node"),
                        """
                        server: { adminToken: "codec-refusal-admin", srtPort: 0 }
                        channels:
                          - name: show
                            inputs:
                              - { name: cam, key: "codec-refusal-hevc-key1" }
                              - { name: spare, key: "codec-refusal-h264-key2" }
                            destinations:
                              - { name: tw, url: "%s", platform: twitch }
                              - { name: own, url: "%s" }
                        """.formatted(dest.rtmpUrl("live", "tw"), dest.rtmpUrl("live", "own")),
                        null,
                        true,
                        null,
                        true)) {
            try (FfmpegPublisher camera = FfmpegPublisher.startSrt(hevc, running.srtUrl("codec-refusal-hevc-key1"))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> running.destination("show", "tw").state() == DestinationState.FAILED
                                && running.destination("show", "own").state() == DestinationState.LIVE
                                && running.destination("show", "own").packetsSent() > 100);
                DestinationStatus tw = running.destination("show", "tw");
                assertThat(tw.lastError()).isEqualTo("codec-refused: twitch does not take HEVC");
                long sentBefore = tw.packetsSent();
                assertThat(running.channel("show").inputs().get(0).format()).startsWith("HEVC");
                // nothing is sent while refused, and it does not retry
                await().pollDelay(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(3))
                        .until(() -> true);
                assertThat(running.destination("show", "tw").packetsSent()).isEqualTo(sentBefore);
                assertThat(running.destination("show", "tw").state()).isEqualTo(DestinationState.FAILED);

                // an H.264 encoder takes over: Twitch takes that, and the destination goes live
                try (FfmpegPublisher spare =
                        FfmpegPublisher.start(h264, running.ingestUrl("codec-refusal-h264-key2"))) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> running.channel("show")
                                    .inputs()
                                    .get(1)
                                    .state()
                                    .name()
                                    .equals("STANDBY"));
                    camera.kill();
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> "spare".equals(running.channel("show").activeInput())
                                    && running.destination("show", "tw").state() == DestinationState.LIVE
                                    && running.destination("show", "tw").packetsSent() > sentBefore + 60);
                    assertThat(running.destination("show", "own").reconnects())
                            .as("the custom destination kept its one session across the codec change")
                            .isZero();
                }
            }
        }
    }
}
