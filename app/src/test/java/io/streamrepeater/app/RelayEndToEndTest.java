package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real peers end to end: ffmpeg publishes H.264/AAC to Stream Repeater, which relays to three
 * nginx-rtmp destinations (one over RTMPS through a TLS front with a test CA); ffprobe reads what
 * each destination recorded.
 */
class RelayEndToEndTest {
    private static final int GOP = 60;
    private static final int FPS = 30;

    @Test
    void relaysOnePublishToThreeDestinationsPacketForPacket(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(8), GOP, "640x360", FPS, "800k");
        MediaReport sent = Ffprobe.analyze(media);
        try (NginxRtmp a = NginxRtmp.start(tmp.resolve("a"));
                NginxRtmp b = NginxRtmp.start(tmp.resolve("b"));
                NginxRtmp c = NginxRtmp.builder(tmp.resolve("c")).withTls().start()) {
            String yaml = """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                    channels:
                      - name: show
                        inputs:
                          - { name: primary, key: "primary-key-123" }
                          - { name: backup, key: "backup-key-456" }
                        destinations:
                          - { name: a, url: "%s" }
                          - { name: b, url: "%s" }
                          - { name: c, url: "%s" }
                    """.formatted(
                            a.rtmpUrl("live", "dest-a"), b.rtmpUrl("live", "dest-b"), c.rtmpsUrl("live", "dest-c"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, c.caCertFile())) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                try (FfmpegPublisher encoder = FfmpegPublisher.startOnce(media, server.ingestUrl("primary-key-123"))) {
                    assertThat(encoder.waitFor(Duration.ofSeconds(60)))
                            .as("ffmpeg finished; log:\n%s", encoder.log())
                            .contains(0);
                }
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> server.channel("show").activeInput() == null);
                assertThat(server.destination("show", "a").reconnects()).isZero();
                assertThat(server.destination("show", "c").reconnects()).isZero();
            }
            for (NginxRtmp dest : List.of(a, b, c)) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> dest.publishSessions().stream()
                                .anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
                assertThat(dest.recordings())
                        .as("one publish session, one recording")
                        .hasSize(1);
                MediaReport got = Ffprobe.analyze(dest.recordings().get(0));
                assertThat(got.decodeErrorLines()).as("decode errors").isEmpty();
                assertThat(got.firstVideoPacketIsKeyframe()).isTrue();
                assertThat(got.videoDtsMonotonic()).isTrue();
                assertThat(got.audioDtsMonotonic()).isTrue();
                assertThat(got.videoPackets()).isBetween(sent.videoPackets() - GOP, sent.videoPackets());
                assertThat(got.audioPackets())
                        .isBetween(
                                sent.audioPackets() - sent.audioPackets() * GOP / sent.videoPackets() - 2,
                                sent.audioPackets());
                assertThat(got.width()).isEqualTo(640);
                assertThat(got.height()).isEqualTo(360);
                assertThat(got.maxVideoDtsGapMs()).isLessThanOrEqualTo(2 * 1000 / FPS);
            }
        }
    }
}
