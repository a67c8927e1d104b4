package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.InputState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover beyond one primary and one backup (issue 15), with real ffmpeg encoders (H.264 with B-frames) and
 * nginx-rtmp destinations: a chain of three live inputs, and a video that stops while its audio goes on. Every
 * destination keeps one session and its recording decodes cleanly in presentation order.
 */
class DeeperFailoverEndToEndTest {
    private static final int FPS = 30;
    private static final long GAP_LIMIT_MS = 250;

    private static Path media(String bitrate) {
        return TestMedia.h264AacWithBFrames(Duration.ofSeconds(10), 30, "640x360", FPS, bitrate, 2);
    }

    private static List<ChannelEvent> switches(RunningServer server) {
        return server.server.channel("show").events().since(0).stream()
                .filter(e -> e.type() == ChannelEventType.SWITCH)
                .toList();
    }

    private static InputState state(RunningServer server, String input) {
        return server.channel("show").inputs().stream()
                .filter(i -> i.name().equals(input))
                .findFirst()
                .orElseThrow()
                .state();
    }

    /** Waits (bounded) until destination a has been sent {@code packets} more packets: media flows. */
    private static void flowFor(RunningServer server, long packets) {
        long target = server.destination("show", "a").packetsSent() + packets;
        await().atMost(Duration.ofSeconds(15))
                .until(() -> server.destination("show", "a").packetsSent() >= target);
    }

    private static void awaitActive(RunningServer server, String input) {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> input.equals(server.channel("show").activeInput()));
    }

    @Test
    void threeInputsPrimaryToBackupOneToBackupTwoAndBackWithAutoFailback(@TempDir Path tmp) throws Exception {
        try (NginxRtmp destA = NginxRtmp.start(tmp.resolve("dest-a"));
                NginxRtmp destB = NginxRtmp.start(tmp.resolve("dest-b"));
                RunningServer server = RunningServer.start(
                        tmp.resolve("relay"),
                        """
                     server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                     channels:
                       - name: show
                         inputs:
                           - { name: primary, key: "chain-primary-key" }
                           - { name: backup-1, key: "chain-backup-1-key" }
                           - { name: backup-2, key: "chain-backup-2-key" }
                         failover: { inputLossMs: 500, failback: auto, clearMs: 1500 }
                         destinations:
                           - { name: a, url: "%s" }
                           - { name: b, url: "%s" }
                     """.formatted(destA.rtmpUrl("live", "out"), destB.rtmpUrl("live", "out")),
                        null)) {
            server.awaitDestinationsLive("show", Duration.ofSeconds(20));
            // connected, nothing to send yet: the destinations are idle, not on air
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.destination("show", "a").idle()
                            && server.destination("show", "b").idle());
            FfmpegPublisher primary = FfmpegPublisher.start(media("600k"), server.ingestUrl("chain-primary-key"));
            FfmpegPublisher backup1 = FfmpegPublisher.start(media("500k"), server.ingestUrl("chain-backup-1-key"));
            FfmpegPublisher backup2 = FfmpegPublisher.start(media("400k"), server.ingestUrl("chain-backup-2-key"));
            try {
                awaitActive(server, "primary");
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> state(server, "backup-1") == InputState.STANDBY
                                && state(server, "backup-2") == InputState.STANDBY);
                flowFor(server, 110); // about 1.5 s of media reaches the destinations
                assertThat(server.destination("show", "a").idle())
                        .as("media flows: not idle")
                        .isFalse();

                primary.kill();
                awaitActive(server, "backup-1");
                flowFor(server, 110);
                backup1.kill();
                awaitActive(server, "backup-2");
                flowFor(server, 110);
                primary = FfmpegPublisher.start(media("600k"), server.ingestUrl("chain-primary-key"));
                awaitActive(server, "primary"); // auto: back once healthy for clearMs, at its keyframe
                flowFor(server, 110);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> switches(server).size() >= 4);

                assertThat(switches(server))
                        .extracting(ChannelEvent::to)
                        .containsSubsequence("primary", "backup-1", "backup-2", "primary");
                ChannelEvent back = switches(server).get(switches(server).size() - 1);
                assertThat(back.from()).isEqualTo("backup-2");
                assertThat(back.reason()).startsWith("failback to primary");
                assertThat(server.destination("show", "a").reconnects()).isZero();
                assertThat(server.destination("show", "b").reconnects()).isZero();
            } finally {
                primary.close();
                backup1.close();
                backup2.close();
            }
            server.close();
            FailoverRig.checkRecording(destA, GAP_LIMIT_MS);
            FailoverRig.checkRecording(destB, GAP_LIMIT_MS);
        }
    }

    @Test
    void videoThatStopsWhileItsAudioGoesOnFailsOverToTheBackup(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig =
                new FailoverRig(tmp, "{ inputLossMs: 500, failback: sticky }", media("600k"), media("500k"))) {
            // the primary's video stops after 5 s; its audio goes on
            rig.primary = FfmpegPublisher.startVideoStoppingAfter(
                    rig.primaryMedia, Duration.ofSeconds(5), rig.server.ingestUrl(FailoverRig.PRIMARY_KEY));
            rig.awaitActive(FailoverRig.PRIMARY, Duration.ofSeconds(15));
            rig.backup = FfmpegPublisher.start(rig.backupMedia, rig.server.ingestUrl(FailoverRig.BACKUP_KEY));
            rig.awaitStandby(FailoverRig.BACKUP, Duration.ofSeconds(15));

            // the switch event is recorded right after the active input changes: wait for the event itself
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> rig.switches().stream().anyMatch(e -> FailoverRig.BACKUP.equals(e.to())));
            ChannelEvent sw = rig.switches().get(rig.switches().size() - 1);
            assertThat(sw.from()).isEqualTo(FailoverRig.PRIMARY);
            assertThat(sw.reason()).contains("no video for").contains("audio still arriving");
            assertThat(sw.detectionDelayMs()).isBetween(500L, 1000L);
            // the primary is still connected, its audio still arriving, and it counts as down
            assertThat(rig.primary.isAlive()).isTrue();
            assertThat(rig.inputState(FailoverRig.PRIMARY)).isEqualTo(InputState.DOWN);
            rig.flowFor(Duration.ofSeconds(2));
            // the primary's audio went on until the switch, so the recording's video hole is the stall itself:
            // the detection delay and the wait for the backup's keyframe, plus the step of the switch
            rig.finishAndCheckRecordings(sw.detectionDelayMs() + sw.switchMs() + GAP_LIMIT_MS);
        }
    }
}
