package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.DestinationEvent;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination that refuses the publish: nginx-rtmp answers {@code NetStream.Publish.BadName}
 * ("Already publishing") when another encoder already publishes that name, as a platform refuses a
 * key in use. The relay shows FAILED with the peer's words, waits the long backoff, and the other
 * destination does not notice.
 */
class RejectedDestinationEndToEndTest {

    @Test
    void rejectedPublishIsFailedWithThePeersTextAndNotHammered(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "640x360", 30, "800k");
        try (NginxRtmp good = NginxRtmp.start(tmp.resolve("good"));
                NginxRtmp taken = NginxRtmp.start(tmp.resolve("taken"));
                FfmpegPublisher squatter = FfmpegPublisher.start(media, taken.rtmpUrl("live", "in-use"))) {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> taken.publishSessions().stream().anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH));
            String yaml = """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                    channels:
                      - name: show
                        inputs: [{ name: primary, key: "primary-key-123" }]
                        destinations:
                          - { name: good, url: "%s" }
                          - { name: bad, url: "%s" }
                    """.formatted(good.rtmpUrl("live", "dest-good"), taken.rtmpUrl("live", "in-use"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, null);
                    FfmpegPublisher encoder = FfmpegPublisher.start(media, server.ingestUrl("primary-key-123"))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> server.destination("show", "bad").state() == DestinationState.FAILED);
                DestinationStatus bad = server.destination("show", "bad");
                assertThat(bad.lastError())
                        .contains("publish-rejected", "NetStream.Publish.BadName", "Already publishing")
                        .doesNotContain("in-use");
                assertThat(bad.nextAttemptAt()).isAfter(Instant.now().plusSeconds(45));

                server.awaitDestinationLive("show", "good", Duration.ofSeconds(20));
                await().during(Duration.ofSeconds(5))
                        .atMost(Duration.ofSeconds(7))
                        .until(() -> server.destination("show", "bad").state() == DestinationState.FAILED);
                long attempts = server.relay("show").events().stream()
                        .filter(e -> e.destination().equals("bad") && e.to() == DestinationState.CONNECTING)
                        .count();
                assertThat(attempts)
                        .as("connection attempts to the rejecting destination")
                        .isEqualTo(1);
                assertThat(server.relay("show").events())
                        .filteredOn(e -> e.destination().equals("bad"))
                        .extracting(DestinationEvent::to)
                        .containsExactly(DestinationState.CONNECTING, DestinationState.FAILED);

                server.awaitPacketsSent("show", "good", 100, Duration.ofSeconds(10));
                DestinationStatus goodStatus = server.destination("show", "good");
                assertThat(goodStatus.state()).isEqualTo(DestinationState.LIVE);
                assertThat(goodStatus.reconnects()).isZero();
                assertThat(goodStatus.bitrateBps()).isGreaterThan(100_000);
                assertThat(goodStatus.uptimeMs()).isGreaterThan(0);
            }
            assertThat(good.publishSessions())
                    .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                    .hasSize(1);
        }
    }
}
