package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A destination with a backup ingest address in {@code both} mode: two sinks, each with a full session. */
class BackupUrlEndToEndTest {

    @Test
    void bothModePushesToBothAndStoppingThePrimaryLeavesTheBackupUnbroken(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "640x360", 30, "800k");
        try (NginxRtmp primary = NginxRtmp.start(tmp.resolve("primary"));
                NginxRtmp backup = NginxRtmp.start(tmp.resolve("backup"))) {
            String yaml = """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                    channels:
                      - name: show
                        inputs: [{ name: primary, key: "primary-key-123" }]
                        destinations:
                          - { name: yt, url: "%s", backupUrl: "%s", mode: both }
                    """.formatted(primary.rtmpUrl("live", "yt-key"), backup.rtmpUrl("live", "yt-key"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, null)) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                assertThat(server.channel("show").destinations())
                        .extracting(DestinationStatus::name)
                        .containsExactly("yt", "yt/backup");
                try (FfmpegPublisher encoder = FfmpegPublisher.start(media, server.ingestUrl("primary-key-123"))) {
                    server.awaitPacketsSent("show", "yt", 150, Duration.ofSeconds(20));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> primary.publishSessions().stream()
                                    .anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH));

                    primary.stop();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> server.destination("show", "yt").state() != DestinationState.LIVE);
                    server.awaitPacketsSent("show", "yt/backup", 150, Duration.ofSeconds(20));
                    DestinationStatus backupStatus = server.destination("show", "yt/backup");
                    assertThat(backupStatus.state()).isEqualTo(DestinationState.LIVE);
                    assertThat(backupStatus.reconnects()).isZero();
                }
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> backup.publishSessions().stream()
                            .anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
            assertThat(primary.recordings()).hasSize(1);
            assertThat(backup.publishSessions())
                    .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                    .hasSize(1);
            assertThat(backup.recordings()).hasSize(1);
            MediaReport got = Ffprobe.analyze(backup.recordings().get(0));
            assertThat(got.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(got.decodeErrorLines()).isEmpty();
            assertThat(got.maxVideoDtsGapMs()).isLessThanOrEqualTo(2 * 1000 / 30);
            MediaReport cut = Ffprobe.analyze(primary.recordings().get(0));
            assertThat(got.videoPackets())
                    .as("the backup went on after the primary sink stopped")
                    .isGreaterThan(cut.videoPackets() + 60);
        }
    }
}
