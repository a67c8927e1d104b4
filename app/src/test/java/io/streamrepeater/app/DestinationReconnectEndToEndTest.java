package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.DestinationEvent;
import io.streamrepeater.status.DestinationState;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An nginx-rtmp destination is stopped mid-stream and started again on the same port: the relay
 * reconnects by itself, the new session decodes from its first packet, the other destination sees
 * nothing of it.
 */
class DestinationReconnectEndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(DestinationReconnectEndToEndTest.class);

    @Test
    void stoppedDestinationIsReconnectedAndTheOtherKeepsOneSession(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "640x360", 30, "800k");
        try (NginxRtmp a = NginxRtmp.start(tmp.resolve("a"));
                NginxRtmp b = NginxRtmp.start(tmp.resolve("b"))) {
            String yaml = """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                    channels:
                      - name: show
                        inputs: [{ name: primary, key: "primary-key-123" }]
                        destinations:
                          - { name: a, url: "%s" }
                          - { name: b, url: "%s" }
                    """.formatted(a.rtmpUrl("live", "dest-a"), b.rtmpUrl("live", "dest-b"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, null)) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                try (FfmpegPublisher encoder = FfmpegPublisher.start(media, server.ingestUrl("primary-key-123"))) {
                    server.awaitPacketsSent("show", "b", 150, Duration.ofSeconds(20));

                    b.stop();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> server.destination("show", "b").state() != DestinationState.LIVE);
                    long restartedAt = System.nanoTime();
                    b.start();
                    server.awaitDestinationLive("show", "b", Duration.ofSeconds(20));
                    long reconnectMs = (System.nanoTime() - restartedAt) / 1_000_000;
                    LOG.info(
                            "event=measured what=reconnect-after-nginx-restart ms={} reconnects={}",
                            reconnectMs,
                            server.destination("show", "b").reconnects());

                    server.awaitPacketsSent("show", "b", 150, Duration.ofSeconds(20));
                    assertThat(server.destination("show", "a").reconnects()).isZero();
                    assertThat(server.destination("show", "a").state()).isEqualTo(DestinationState.LIVE);
                    List<DestinationEvent> events = server.relay("show").events();
                    assertThat(events)
                            .filteredOn(e -> e.destination().equals("b") && e.to() == DestinationState.RETRYING)
                            .isNotEmpty()
                            .allSatisfy(e -> assertThat(e.reason()).doesNotContain("dest-b"));
                    assertThat(server.destination("show", "b").lastError()).isNotBlank();
                }
            }
            for (NginxRtmp dest : List.of(a, b)) {
                // The last session has ended (a session cut by stopping nginx may have no publish_done).
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !dest.publishSessions().isEmpty()
                                && dest.publishSessions()
                                                .get(dest.publishSessions().size() - 1)
                                                .kind()
                                        == PublishEvent.Kind.PUBLISH_DONE);
            }
            assertThat(a.publishSessions())
                    .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                    .hasSize(1);
            assertThat(a.recordings()).hasSize(1);
            assertThat(b.publishSessions())
                    .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                    .hasSize(2);
            assertThat(b.recordings()).hasSize(2);
            MediaReport second = Ffprobe.analyze(b.recordings().get(1));
            assertThat(second.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(second.decodeErrorLines()).isEmpty();
            assertThat(second.videoPackets())
                    .as("about 5 s of video after the reconnect")
                    .isGreaterThan(50);
            MediaReport other = Ffprobe.analyze(a.recordings().get(0));
            assertThat(other.decodeErrorLines()).isEmpty();
            assertThat(other.videoDtsMonotonic()).isTrue();
        }
    }
}
