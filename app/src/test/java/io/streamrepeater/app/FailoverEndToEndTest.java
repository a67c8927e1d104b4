package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.RehearsalReport;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup ingest failover with real peers: the destinations keep one publish session each, decode
 * with no errors, and see no timestamp step beyond what the timeline setting asks for.
 */
class FailoverEndToEndTest {
    private static final long TWO_FRAMES = 2 * 1000 / FailoverRig.FPS + 1;

    @Test
    void killedPrimaryFailsOverToTheBackupWithoutTheDestinationsNoticing(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig = new FailoverRig(tmp, "{ inputLossMs: 500, failback: sticky }")) {
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(2));
            rig.primary.kill();
            rig.awaitActive("backup", Duration.ofSeconds(5));
            rig.flowFor(Duration.ofSeconds(3));
            ChannelEvent sw = rig.switches().get(rig.switches().size() - 1);
            assertThat(sw.from()).isEqualTo("primary");
            assertThat(sw.to()).isEqualTo("backup");
            assertThat(sw.gapMs()).isBetween(1L, TWO_FRAMES);
            rig.finishAndCheckRecordings(TWO_FRAMES);
        }
    }

    @Test
    void frozenPrimaryIsDetectedByInputLossThenStaysOnBackupWhenSticky(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig = new FailoverRig(tmp, "{ inputLossMs: 500, failback: sticky, clearMs: 1000 }")) {
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(2));
            rig.primary.pause(); // SIGSTOP: the TCP connection stays open, media stops
            rig.awaitActive("backup", Duration.ofSeconds(5));
            ChannelEvent sw = rig.switches().get(rig.switches().size() - 1);
            assertThat(sw.reason()).contains("no media for");
            assertThat(sw.detectionDelayMs()).isBetween(500L, 900L);
            rig.flowFor(Duration.ofSeconds(1));
            rig.primary.resume();
            rig.flowFor(Duration.ofSeconds(3));
            assertThat(rig.server.channel("show").activeInput()).as("sticky").isEqualTo("backup");
            rig.finishAndCheckRecordings(TWO_FRAMES);
        }
    }

    @Test
    void stickyStaysOnTheBackupWhenTheKilledPrimaryIsRestarted(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig = new FailoverRig(tmp, "{ inputLossMs: 500, failback: sticky, clearMs: 1000 }")) {
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(2));
            rig.primary.kill();
            rig.awaitActive("backup", Duration.ofSeconds(5));
            rig.restartPrimary();
            rig.awaitStandby("primary", Duration.ofSeconds(15));
            rig.flowFor(Duration.ofSeconds(3)); // well past clearMs: the primary is healthy, and stays standby
            assertThat(rig.server.channel("show").activeInput()).isEqualTo("backup");
            assertThat(rig.switches()).extracting(ChannelEvent::to).last().isEqualTo("backup");
            rig.finishAndCheckRecordings(TWO_FRAMES);
        }
    }

    @Test
    void autoFailbackReturnsToTheRestartedPrimaryAfterClearMs(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig = new FailoverRig(tmp, "{ inputLossMs: 500, failback: auto, clearMs: 2000 }")) {
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(2));
            rig.primary.kill();
            rig.awaitActive("backup", Duration.ofSeconds(5));
            rig.restartPrimary();
            rig.awaitActive("primary", Duration.ofSeconds(15));
            rig.flowFor(Duration.ofSeconds(2));
            assertThat(rig.switches()).extracting(ChannelEvent::to).containsSubsequence("backup", "primary");
            assertThat(rig.switches().get(rig.switches().size() - 1).reason()).startsWith("failback to primary");
            rig.finishAndCheckRecordings(TWO_FRAMES);
        }
    }

    @Test
    void manualFailbackWaitsForTheOperatorSwitch(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig = new FailoverRig(tmp, "{ inputLossMs: 500, failback: manual, clearMs: 1000 }")) {
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(2));
            rig.primary.kill();
            rig.awaitActive("backup", Duration.ofSeconds(5));
            rig.restartPrimary();
            rig.flowFor(Duration.ofSeconds(3));
            assertThat(rig.server.channel("show").activeInput()).isEqualTo("backup");
            rig.server.server.channel("show").switchTo("primary").get(5, TimeUnit.SECONDS);
            rig.awaitActive("primary", Duration.ofSeconds(5));
            rig.flowFor(Duration.ofSeconds(2));
            rig.finishAndCheckRecordings(TWO_FRAMES);
        }
    }

    @Test
    void backupWithAnotherResolutionGetsItsHeadersSentAndDecodesCleanly(@TempDir Path tmp) throws Exception {
        Path smaller = TestMedia.h264Aac(Duration.ofSeconds(10), FailoverRig.GOP, "320x180", FailoverRig.FPS, "300k");
        try (FailoverRig rig = new FailoverRig(tmp, "{ inputLossMs: 500 }", smaller)) {
            rig.startEncoders();
            assertThat(rig.server.channel("show").compatibility().mismatches())
                    .contains("resolution: primary 640x360, backup 320x180");
            rig.flowFor(Duration.ofSeconds(2));
            rig.primary.kill();
            rig.awaitActive("backup", Duration.ofSeconds(5));
            rig.flowFor(Duration.ofSeconds(3));
            rig.finishAndCheckRecordings(TWO_FRAMES);
        }
    }

    @Test
    void realtimeTimelineAdvancesByTheOutage(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig = new FailoverRig(tmp, "{ inputLossMs: 1000, timeline: realtime }")) {
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(2));
            rig.primary.pause();
            rig.awaitActive("backup", Duration.ofSeconds(5));
            rig.flowFor(Duration.ofSeconds(2));
            ChannelEvent sw = rig.switches().get(rig.switches().size() - 1);
            // the output timeline steps by the outage: detection (about 1 s) plus the wait for the keyframe
            assertThat(sw.gapMs()).isGreaterThanOrEqualTo(sw.detectionDelayMs() - TWO_FRAMES);
            rig.primary.resume();
            rig.finishAndCheckRecordings(sw.gapMs() + TWO_FRAMES);
        }
    }

    @Test
    void rehearsalSwitchesForRealAndReportsWhatTheDestinationsGot(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig = new FailoverRig(tmp, "{ inputLossMs: 500, failback: auto, clearMs: 1000 }")) {
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(3));
            RehearsalReport report =
                    rig.server.server.rehearse("show", Duration.ofSeconds(3)).get(20, TimeUnit.SECONDS);
            assertThat(report.failedInput()).isEqualTo("primary");
            assertThat(report.switchedTo()).isEqualTo("backup");
            assertThat(report.gapMs()).isBetween(1L, TWO_FRAMES);
            assertThat(report.destinationReconnects())
                    .containsOnlyKeys("a", "b")
                    .allSatisfy((d, n) -> assertThat(n).isZero());
            assertThat(report.passed()).isTrue();
            rig.awaitActive("primary", Duration.ofSeconds(10)); // auto failback once the drill ends
            rig.flowFor(Duration.ofSeconds(1));
            rig.finishAndCheckRecordings(TWO_FRAMES);
        }
    }

    @Test
    void bothInputsGoneThenSlateThenAnInputReturns(
            @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.NEVER) Path tmp) throws Exception {
        Path slate = TestMedia.h264Aac(Duration.ofSeconds(3), FailoverRig.GOP, "640x360", FailoverRig.FPS, "300k");
        Path backupMedia =
                TestMedia.h264Aac(Duration.ofSeconds(10), FailoverRig.GOP, "640x360", FailoverRig.FPS, "600k");
        try (FailoverRig rig =
                new FailoverRig(tmp, "{ inputLossMs: 500, failback: sticky }", backupMedia, "slate: " + slate)) {
            rig.awaitActive("slate", Duration.ofSeconds(10)); // nothing published yet: the slate plays
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(2));
            rig.primary.kill();
            rig.awaitActive("backup", Duration.ofSeconds(5));
            rig.backup.kill();
            rig.awaitActive("slate", Duration.ofSeconds(5));
            rig.flowFor(Duration.ofSeconds(2));
            rig.restartPrimary();
            rig.awaitActive("primary", Duration.ofSeconds(10));
            rig.flowFor(Duration.ofSeconds(2));
            assertThat(rig.switches())
                    .extracting(ChannelEvent::to)
                    .containsSubsequence("slate", "primary", "backup", "slate", "primary");
            rig.finishAndCheckRecordings(TWO_FRAMES);
        }
    }
}
