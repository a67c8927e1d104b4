package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.DestinationEvent;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
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
 * A destination with a backup ingest address in {@code fallback} mode: while the primary sink is down the
 * relay publishes to the backup sink, and once the primary accepts connections again it moves back.
 * Every session it starts decodes from a keyframe. The channel's {@code relay.retryMaxMs} of 3 s bounds
 * both the backoff and the probe period of the primary, so the test runs in well under 40 s.
 */
class FallbackBackupUrlEndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackBackupUrlEndToEndTest.class);
    private static final int GOP = 30;

    @Test
    void fallbackModeUsesTheBackupOnlyWhileThePrimaryIsDown(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), GOP, "640x360", 30, "800k");
        try (NginxRtmp primary = NginxRtmp.start(tmp.resolve("primary"));
                NginxRtmp backup = NginxRtmp.start(tmp.resolve("backup"))) {
            String yaml = """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                    channels:
                      - name: show
                        inputs: [{ name: primary, key: "primary-key-123" }]
                        relay: { retryMaxMs: 3000 }
                        destinations:
                          - { name: yt, url: "%s", backupUrl: "%s", mode: fallback }
                    """.formatted(primary.rtmpUrl("live", "yt-key"), backup.rtmpUrl("live", "yt-key"));
            String onPrimary = ":" + primary.port() + "/";
            String onBackup = ":" + backup.port() + "/";
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, null)) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                assertThat(server.channel("show").destinations())
                        .extracting(DestinationStatus::name)
                        .containsExactly("yt");
                assertThat(server.destination("show", "yt").url()).contains(onPrimary);
                assertThat(backup.publishSessions())
                        .as("fallback mode leaves the backup alone")
                        .isEmpty();
                try (FfmpegPublisher encoder = FfmpegPublisher.start(media, server.ingestUrl("primary-key-123"))) {
                    server.awaitPacketsSent("show", "yt", 150, Duration.ofSeconds(20));

                    long stoppedAt = System.nanoTime();
                    primary.stop();
                    await().atMost(Duration.ofSeconds(15)).until(() -> {
                        DestinationStatus s = server.destination("show", "yt");
                        return s.state() == DestinationState.LIVE && s.url().contains(onBackup);
                    });
                    LOG.info(
                            "event=measured what=fallback-to-backup ms={}",
                            (System.nanoTime() - stoppedAt) / 1_000_000);
                    server.awaitPacketsSent("show", "yt", 150, Duration.ofSeconds(20));
                    assertThat(backup.publishSessions())
                            .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                            .hasSize(1);

                    long restartedAt = System.nanoTime();
                    primary.start();
                    await().atMost(Duration.ofSeconds(15)).until(() -> {
                        DestinationStatus s = server.destination("show", "yt");
                        return s.state() == DestinationState.LIVE && s.url().contains(onPrimary);
                    });
                    LOG.info(
                            "event=measured what=return-to-primary ms={} reconnects={}",
                            (System.nanoTime() - restartedAt) / 1_000_000,
                            server.destination("show", "yt").reconnects());
                    server.awaitPacketsSent("show", "yt", 150, Duration.ofSeconds(20));

                    List<DestinationEvent> live = server.relay("show").events().stream()
                            .filter(e -> e.to() == DestinationState.LIVE)
                            .toList();
                    assertThat(live)
                            .extracting(DestinationEvent::reason)
                            .hasSize(3)
                            .satisfiesExactly(
                                    r -> assertThat(r).endsWith("(primary)"),
                                    r -> assertThat(r).endsWith("(backup)"),
                                    r -> assertThat(r).endsWith("(primary)"));
                    assertThat(server.relay("show").events())
                            .extracting(DestinationEvent::reason)
                            .anySatisfy(r -> assertThat(r).contains("primary address reachable again"))
                            .allSatisfy(r -> assertThat(r).doesNotContain("yt-key"));
                }
            }
            for (NginxRtmp sink : List.of(primary, backup)) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !sink.publishSessions().isEmpty()
                                && sink.publishSessions()
                                                .get(sink.publishSessions().size() - 1)
                                                .kind()
                                        == PublishEvent.Kind.PUBLISH_DONE);
            }
            assertThat(backup.publishSessions())
                    .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                    .hasSize(1);
            assertThat(backup.recordings()).hasSize(1);
            MediaReport onTheBackup = Ffprobe.analyze(backup.recordings().get(0));
            assertThat(onTheBackup.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(onTheBackup.decodeErrorLines()).isEmpty();
            assertThat(onTheBackup.videoPackets())
                    .as("about 2 s of video on the backup")
                    .isGreaterThan(50);

            assertThat(primary.recordings()).hasSize(2);
            MediaReport back = Ffprobe.analyze(primary.recordings().get(1));
            assertThat(back.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(back.decodeErrorLines()).isEmpty();
            assertThat(back.videoPackets())
                    .as("about 2 s of video after the return")
                    .isGreaterThan(50);
        }
    }
}
