package io.streamrepeater.app;

import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.InputState;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The failover scenario of the issue: two ffmpeg encoders publish to the primary and backup keys of
 * one channel, which relays to two nginx-rtmp destinations recording each publish session.
 */
final class FailoverRig implements AutoCloseable {
    static final int FPS = 30;
    static final int GOP = 30;
    static final String PRIMARY_KEY = "primary-key-aaaa";
    static final String BACKUP_KEY = "backup-key-bbbb";

    final Path primaryMedia;
    final Path backupMedia;
    final NginxRtmp destA;
    final NginxRtmp destB;
    final RunningServer server;
    FfmpegPublisher primary;
    FfmpegPublisher backup;

    FailoverRig(Path tmp, String failover) throws Exception {
        this(tmp, failover, TestMedia.h264Aac(Duration.ofSeconds(10), GOP, "640x360", FPS, "600k"));
    }

    FailoverRig(Path tmp, String failover, Path backupMedia) throws Exception {
        this(tmp, failover, backupMedia, "");
    }

    /** @param extraChannelYaml more settings of the channel, e.g. {@code slate: /path/slate.flv} */
    FailoverRig(Path tmp, String failover, Path backupMedia, String extraChannelYaml) throws Exception {
        this.primaryMedia = TestMedia.h264Aac(Duration.ofSeconds(10), GOP, "640x360", FPS, "600k");
        this.backupMedia = backupMedia;
        destA = NginxRtmp.start(tmp.resolve("dest-a"));
        destB = NginxRtmp.start(tmp.resolve("dest-b"));
        server = RunningServer.start(tmp.resolve("relay"), """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: "%s" }
                      - { name: backup, key: "%s" }
                    failover: %s
                    %s
                    destinations:
                      - { name: a, url: "%s" }
                      - { name: b, url: "%s" }
                """.formatted(PRIMARY_KEY, BACKUP_KEY, failover, extraChannelYaml, destA.rtmpUrl("live", "out"), destB.rtmpUrl("live", "out")), null);
        server.awaitDestinationsLive("show", Duration.ofSeconds(20));
    }

    /** Starts both encoders and waits until the primary feeds the output and the backup stands by. */
    void startEncoders() {
        // The primary first: with sticky failback, whichever input feeds the output first keeps it.
        primary = FfmpegPublisher.start(primaryMedia, server.ingestUrl(PRIMARY_KEY));
        await().atMost(Duration.ofSeconds(20)).until(() -> "primary".equals(server.channel("show").activeInput()));
        backup = FfmpegPublisher.start(backupMedia, server.ingestUrl(BACKUP_KEY));
        await().atMost(Duration.ofSeconds(20)).until(() -> "primary".equals(server.channel("show").activeInput())
                && server.channel("show").inputs().get(1).state() == InputState.STANDBY);
    }

    void restartPrimary() {
        primary.close();
        primary = FfmpegPublisher.start(primaryMedia, server.ingestUrl(PRIMARY_KEY));
    }

    /** Lets media flow for a while, measured by what destination a was sent. */
    void flowFor(Duration d) {
        long target = server.destination("show", "a").packetsSent() + d.toMillis() * (FPS + 44) / 1000;
        await().atMost(d.plusSeconds(10)).until(() -> server.destination("show", "a").packetsSent() >= target);
    }

    void awaitActive(String input, Duration within) {
        await().atMost(within).until(() -> input.equals(server.channel("show").activeInput()));
    }

    List<ChannelEvent> switches() {
        return server.server.channel("show").events().since(0).stream()
                .filter(e -> e.type() == ChannelEventType.SWITCH).toList();
    }

    /** Stops everything and checks both recordings: one session each, clean, continuous. */
    List<MediaReport> finishAndCheckRecordings(long maxGapMs) throws Exception {
        assertThat(server.destination("show", "a").reconnects()).as("destination a reconnects").isZero();
        assertThat(server.destination("show", "b").reconnects()).as("destination b reconnects").isZero();
        primary.close();
        backup.close();
        server.close();
        List<MediaReport> reports = new java.util.ArrayList<>();
        for (NginxRtmp dest : List.of(destA, destB)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> dest.publishSessions().stream()
                    .anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
            assertThat(dest.publishSessions().stream().filter(s -> s.kind() == PublishEvent.Kind.PUBLISH).count())
                    .as("exactly one publish session at the destination").isEqualTo(1);
            assertThat(dest.recordings()).hasSize(1);
            MediaReport r = Ffprobe.analyze(dest.recordings().get(0));
            assertThat(r.decodeErrorLines()).as("decode errors").isEmpty();
            assertThat(r.videoDtsMonotonic()).isTrue();
            assertThat(r.audioDtsMonotonic()).isTrue();
            assertThat(r.maxVideoDtsGapMs()).as("largest video timestamp gap").isLessThanOrEqualTo(maxGapMs);
            reports.add(r);
        }
        return reports;
    }

    @Override
    public void close() {
        if (primary != null) {
            primary.close();
        }
        if (backup != null) {
            backup.close();
        }
        server.close();
        destA.close();
        destB.close();
    }
}
