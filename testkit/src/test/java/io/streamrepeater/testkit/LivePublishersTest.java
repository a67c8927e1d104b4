package io.streamrepeater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishers that run until stopped, and ffprobe watching nginx-rtmp as a live viewer. */
class LivePublishersTest {

    private static final Duration PUBLISH_STARTED = Duration.ofSeconds(10);

    @TempDir
    Path workDir;

    @Test
    void loopedFfmpegIsSeenLiveAndKillEndsTheSession() {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(2), 30, "320x180", 30, "300k");
        try (NginxRtmp nginx = NginxRtmp.start(workDir);
                FfmpegPublisher ffmpeg = FfmpegPublisher.start(media, nginx.rtmpUrl("live", "looped"))) {
            awaitPublishing(nginx);

            MediaReport viewed = Ffprobe.liveSession(nginx.rtmpUrl("live", "looped"), Duration.ofSeconds(2));

            assertThat(viewed.videoCodec()).isEqualTo("h264");
            assertThat(viewed.audioCodec()).isEqualTo("aac");
            assertThat(viewed.videoPackets()).isGreaterThan(30);
            assertThat(viewed.audioPackets()).isGreaterThan(40);
            assertThat(viewed.videoDtsMonotonic()).isTrue();
            assertThat(ffmpeg.isAlive()).as("looping: still publishing").isTrue();

            ffmpeg.kill();

            assertThat(ffmpeg.isAlive()).isFalse();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> nginx.publishSessions().stream()
                            .anyMatch(event -> event.kind() == PublishEvent.Kind.PUBLISH_DONE));
        }
    }

    @Test
    void pausedFfmpegKeepsItsConnectionAndResumes() {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(2), 30, "320x180", 30, "300k");
        try (NginxRtmp nginx = NginxRtmp.start(workDir);
                FfmpegPublisher ffmpeg = FfmpegPublisher.start(media, nginx.rtmpUrl("live", "frozen"))) {
            awaitPublishing(nginx);

            ffmpeg.pause();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> processState(ffmpeg.pid()).equals("T"));
            assertThat(ffmpeg.isAlive()).isTrue();

            ffmpeg.resume();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !processState(ffmpeg.pid()).equals("T"));
            assertThat(nginx.publishSessions())
                    .extracting(PublishEvent::kind)
                    .containsExactly(PublishEvent.Kind.PUBLISH);
        }
    }

    @Test
    void gstreamerPublishesVideoAndAudioToNginx() {
        try (NginxRtmp nginx = NginxRtmp.start(workDir)) {
            try (GstPublisher gst = GstPublisher.start(nginx.rtmpUrl("live", "gst"), 320, 240, 30, 30)) {
                awaitPublishing(nginx);
                MediaReport viewed = Ffprobe.liveSession(nginx.rtmpUrl("live", "gst"), Duration.ofSeconds(2));
                assertThat(viewed.videoCodec()).as(gst.log()).isEqualTo("h264");
                assertThat(viewed.width()).isEqualTo(320);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> nginx.publishSessions().stream()
                            .anyMatch(event -> event.kind() == PublishEvent.Kind.PUBLISH_DONE));

            assertThat(nginx.recordings()).hasSize(1);
            MediaReport recorded = Ffprobe.analyze(nginx.recordings().get(0));
            assertThat(recorded.videoCodec()).isEqualTo("h264");
            assertThat(recorded.videoPackets()).isGreaterThan(30);
            assertThat(recorded.videoKeyframes()).isGreaterThanOrEqualTo(1);
            assertThat(recorded.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(recorded.audioCodec()).isEqualTo("aac");
            assertThat(recorded.audioPackets()).isPositive();
            assertThat(recorded.decodeErrorLines()).isEmpty();
        }
    }

    private static void awaitPublishing(NginxRtmp nginx) {
        await().atMost(PUBLISH_STARTED).until(() -> !nginx.publishSessions().isEmpty());
    }

    /** The state letter of /proc/PID/stat: T when stopped by SIGSTOP. */
    private static String processState(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }
}
