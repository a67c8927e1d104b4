package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import io.streamrepeater.app.CapturingRtmpServer.CapturedPacket;
import io.streamrepeater.app.CapturingRtmpServer.CapturedSession;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.FlvFileReader;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.InputState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the relay itself sends to a destination, read by a destination of ours ({@link CapturingRtmpServer}) rather
 * than from an nginx-rtmp recording, which always looks clean (DESIGN.md §7, "What a recording hides"): every publish
 * session starts with the metadata and both sequence headers, then a video keyframe, with no audio before it and no
 * timestamp going back, at the first connect, after the destination drops the connection, and across a failover.
 */
class DestinationSessionStartEndToEndTest {
    private static final int FPS = 30;
    private static final long TWO_FRAMES = 2 * 1000 / FPS + 1;
    private static final String PRIMARY_KEY = "primary-key-aaaa";
    private static final String BACKUP_KEY = "backup-key-bbbb";
    /** Coded frames (audio and video) in about two seconds of the test media. */
    private static final int TWO_SECONDS_OF_FRAMES = 2 * (FPS + 43);

    @Test
    void sessionStartsWithHeadersThenKeyframeAtFirstConnectAndAgainAfterTheDestinationDropsIt(@TempDir Path tmp)
            throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), FPS, "640x360", FPS, "600k");
        try (CapturingRtmpServer capture = CapturingRtmpServer.start();
                RunningServer server = RunningServer.start(
                        tmp.resolve("relay"), """
                     server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                     channels:
                       - name: show
                         inputs: [{ name: primary, key: "%s" }]
                         destinations: [{ name: capture, url: "%s" }]
                     """.formatted(PRIMARY_KEY, capture.rtmpUrl("live", "out")), null)) {
            server.awaitDestinationLive("show", "capture", Duration.ofSeconds(20));
            try (FfmpegPublisher encoder = FfmpegPublisher.start(media, server.ingestUrl(PRIMARY_KEY))) {
                CapturedSession first = awaitFrames(capture, 0, TWO_SECONDS_OF_FRAMES);
                assertStartsWithHeadersThenKeyframe(first.packets(), "session at first connect");
                assertDtsMonotonicPerKind(first.packets(), "session at first connect");

                first.dropConnection();
                CapturedSession second = awaitFrames(capture, 1, TWO_SECONDS_OF_FRAMES);
                assertThat(server.destination("show", "capture").reconnects()).isGreaterThanOrEqualTo(1);
                assertStartsWithHeadersThenKeyframe(
                        second.packets(), "session after the destination dropped the first");
                assertDtsMonotonicPerKind(second.packets(), "session after the destination dropped the first");
                assertThat(first.ended())
                        .as("the dropped session ended at the capturing server")
                        .isTrue();
            }
        }
    }

    @Test
    void failoverContinuesOnTheBackupsKeyframeWithoutTimestampStepBackAndViewerDecodesCleanly(@TempDir Path tmp)
            throws Exception {
        // Same format, different bitrates: same codec headers (none re-sent at the switch, as with twin encoders),
        // but no video frame is byte-identical, so every captured frame tells which encoder it came from.
        Path primaryMedia = TestMedia.h264Aac(Duration.ofSeconds(10), FPS, "640x360", FPS, "600k");
        Path backupMedia = TestMedia.h264Aac(Duration.ofSeconds(10), FPS, "640x360", FPS, "500k");
        Set<Long> primaryFrames = videoFrameFingerprints(primaryMedia);
        Set<Long> backupFrames = videoFrameFingerprints(backupMedia);
        try (CapturingRtmpServer capture = CapturingRtmpServer.start();
                NginxRtmp viewerDestination = NginxRtmp.start(tmp.resolve("nginx"));
                RunningServer server = RunningServer.start(
                        tmp.resolve("relay"),
                        """
                     server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                     channels:
                       - name: show
                         inputs:
                           - { name: primary, key: "%s" }
                           - { name: backup, key: "%s" }
                         failover: { inputLossMs: 500, failback: sticky }
                         destinations:
                           - { name: capture, url: "%s" }
                           - { name: nginx, url: "%s" }
                     """.formatted(
                                        PRIMARY_KEY,
                                        BACKUP_KEY,
                                        capture.rtmpUrl("live", "out"),
                                        viewerDestination.rtmpUrl("live", "out")),
                        null)) {
            server.awaitDestinationsLive("show", Duration.ofSeconds(20));
            try (FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, server.ingestUrl(PRIMARY_KEY))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> "primary".equals(server.channel("show").activeInput()));
                try (FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, server.ingestUrl(BACKUP_KEY))) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> server.channel("show").inputs().get(1).state() == InputState.STANDBY);
                    awaitFrames(capture, 0, TWO_SECONDS_OF_FRAMES);

                    // A viewer of the nginx destination that plays across the switch.
                    CompletableFuture<MediaReport> viewer = CompletableFuture.supplyAsync(
                            () -> Ffprobe.liveSession(viewerDestination.rtmpUrl("live", "out"), Duration.ofSeconds(6)));
                    awaitMoreFrames(capture.sessions().get(0), TWO_SECONDS_OF_FRAMES);
                    primary.kill();
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> "backup".equals(server.channel("show").activeInput()));
                    awaitMoreFrames(capture.sessions().get(0), TWO_SECONDS_OF_FRAMES);

                    assertThat(capture.sessions())
                            .as("one publish session: the switch is not a reconnect")
                            .hasSize(1);
                    List<CapturedPacket> packets = capture.sessions().get(0).packets();
                    assertStartsWithHeadersThenKeyframe(packets, "session across the switch");
                    assertDtsMonotonicPerKind(packets, "session across the switch");
                    assertSwitchStartsOnABackupKeyframe(packets, primaryFrames, backupFrames);

                    MediaReport seen = viewer.get(40, TimeUnit.SECONDS);
                    assertThat(seen.decodeErrorLines())
                            .as("live viewer's decode errors across the switch")
                            .isEmpty();
                    assertThat(seen.videoDtsMonotonic()).isTrue();
                    assertThat(seen.videoPackets()).as("about 6 s of video").isGreaterThan(4 * FPS);
                }
            }
        }
    }

    /**
     * In arrival order, video frames must be the primary's up to the switch, then the backup's from one of its
     * keyframes on, one or two frames of output time after the primary's last frame.
     */
    private static void assertSwitchStartsOnABackupKeyframe(
            List<CapturedPacket> packets, Set<Long> primaryFrames, Set<Long> backupFrames) {
        List<CapturedPacket> video = packets.stream()
                .filter(p -> p.kind() == MediaKind.VIDEO && p.codedFrame())
                .toList();
        assertThat(video)
                .as("every relayed video frame comes from exactly one of the two encoders' files")
                .allMatch(p -> primaryFrames.contains(p.payloadFingerprint())
                        != backupFrames.contains(p.payloadFingerprint()));
        int firstBackup = indexOf(video, p -> backupFrames.contains(p.payloadFingerprint()));
        assertThat(firstBackup).as("the backup's frames reach the destination").isPositive();
        assertThat(video.subList(0, firstBackup))
                .as("before the switch")
                .allMatch(p -> primaryFrames.contains(p.payloadFingerprint()));
        assertThat(video.subList(firstBackup, video.size()))
                .as("after the switch (sticky)")
                .allMatch(p -> backupFrames.contains(p.payloadFingerprint()));
        CapturedPacket lastPrimary = video.get(firstBackup - 1);
        CapturedPacket switched = video.get(firstBackup);
        assertThat(switched.videoKeyframe())
                .as("first backup frame %s after primary's %s", switched, lastPrimary)
                .isTrue();
        assertThat(switched.dts() - lastPrimary.dts())
                .as("output DTS step at the switch (continuous timeline)")
                .isBetween(1L, TWO_FRAMES);
    }

    /** The first packets are the metadata and both sequence headers, in any order; the first frame is a video keyframe. */
    private static void assertStartsWithHeadersThenKeyframe(List<CapturedPacket> packets, String session) {
        int firstFrame = indexOf(packets, CapturedPacket::codedFrame);
        assertThat(firstFrame).as("%s has frames: %s", session, packets).isNotNegative();
        List<CapturedPacket> before = packets.subList(0, firstFrame);
        assertThat(before)
                .as("%s: before the first frame", session)
                .anyMatch(CapturedPacket::metadata)
                .anyMatch(p -> p.sequenceHeader() && p.kind() == MediaKind.VIDEO)
                .anyMatch(p -> p.sequenceHeader() && p.kind() == MediaKind.AUDIO);
        CapturedPacket first = packets.get(firstFrame);
        assertThat(first.kind())
                .as("%s: first frame %s (no audio before the first keyframe)", session, first)
                .isEqualTo(MediaKind.VIDEO);
        assertThat(first.videoKeyframe())
                .as("%s: first video frame %s", session, first)
                .isTrue();
    }

    /** Audio and video DTS (headers included) never go back within one publish session. */
    private static void assertDtsMonotonicPerKind(List<CapturedPacket> packets, String session) {
        for (MediaKind kind : List.of(MediaKind.VIDEO, MediaKind.AUDIO)) {
            List<CapturedPacket> ofKind =
                    packets.stream().filter(p -> p.kind() == kind).toList();
            for (int i = 1; i < ofKind.size(); i++) {
                CapturedPacket previous = ofKind.get(i - 1);
                CapturedPacket next = ofKind.get(i);
                assertThat(next.dts())
                        .as("%s: %s DTS after %s", session, next, previous)
                        .isGreaterThanOrEqualTo(previous.dts());
            }
        }
    }

    private static CapturedSession awaitFrames(CapturingRtmpServer capture, int sessionIndex, int frames) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> capture.sessions().size() > sessionIndex
                        && frameCount(capture.sessions().get(sessionIndex)) >= frames);
        return capture.sessions().get(sessionIndex);
    }

    private static void awaitMoreFrames(CapturedSession session, int frames) {
        long target = frameCount(session) + frames;
        await().atMost(Duration.ofSeconds(30)).until(() -> frameCount(session) >= target);
    }

    private static long frameCount(CapturedSession session) {
        return session.packets().stream().filter(CapturedPacket::codedFrame).count();
    }

    private static <T> int indexOf(List<T> list, Predicate<T> condition) {
        for (int i = 0; i < list.size(); i++) {
            if (condition.test(list.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Fingerprints of every coded video frame of an FLV file, as the relay would copy them. */
    private static Set<Long> videoFrameFingerprints(Path flv) {
        Set<Long> prints = new HashSet<>();
        try (FlvFile file = FlvFileReader.read(flv, PooledByteBufAllocator.DEFAULT, 64L << 20)) {
            for (MediaPacket p : file.packets()) {
                if (p.kind() == MediaKind.VIDEO && !p.sequenceHeader()) {
                    prints.add(CapturedPacket.fingerprint(p));
                }
            }
        }
        return prints;
    }
}
