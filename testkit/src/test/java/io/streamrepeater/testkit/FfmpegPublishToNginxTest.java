package io.streamrepeater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness against itself: ffmpeg publishes straight to nginx-rtmp, and the recording is what was sent. */
class FfmpegPublishToNginxTest {

    private static final int GOP_FRAMES = 30;
    private static final int FPS = 30;
    /** AAC at 44.1 kHz: 1024 samples per packet, about 43 packets per second (one GOP). */
    private static final int AUDIO_PACKETS_PER_GOP = 44;

    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(20);

    private static Path media;
    private static MediaReport sent;

    @TempDir
    Path workDir;

    @BeforeAll
    static void encodeOnce() {
        media = TestMedia.h264Aac(Duration.ofSeconds(4), GOP_FRAMES, "320x180", FPS, "300k");
        sent = Ffprobe.analyze(media);
    }

    @Test
    void plainRtmpRecordingMatchesWhatWasSent() {
        try (NginxRtmp nginx = NginxRtmp.start(workDir);
                FfmpegPublisher ffmpeg = FfmpegPublisher.startOnce(media, nginx.rtmpUrl("live", "plain"))) {

            assertThat(ffmpeg.waitFor(PUBLISH_TIMEOUT)).as(ffmpeg.log()).contains(0);
            awaitSessionEnd(nginx, "plain");

            assertRecordingMatchesSent(nginx);
        }
    }

    @Test
    void rtmpsThroughTheTlsFrontVerifiesTheTestCa() {
        try (NginxRtmp nginx = NginxRtmp.builder(workDir).withTls().start();
                FfmpegPublisher ffmpeg = FfmpegPublisher.startOnce(
                        media,
                        nginx.rtmpsUrl("live", "secure"),
                        "-tls_verify",
                        "1",
                        "-ca_file",
                        nginx.caCertFile().toString())) {

            assertThat(ffmpeg.waitFor(PUBLISH_TIMEOUT)).as(ffmpeg.log()).contains(0);
            awaitSessionEnd(nginx, "secure");

            assertRecordingMatchesSent(nginx);
        }
    }

    @Test
    void rtmpsWithAnotherCaIsRefused() {
        LocalhostCertificates stranger = LocalhostCertificates.generate(workDir.resolve("stranger"));
        try (NginxRtmp nginx =
                        NginxRtmp.builder(workDir.resolve("nginx")).withTls().start();
                FfmpegPublisher ffmpeg = FfmpegPublisher.startOnce(
                        media,
                        nginx.rtmpsUrl("live", "refused"),
                        "-tls_verify",
                        "1",
                        "-ca_file",
                        stranger.caCertFile().toString())) {

            Optional<Integer> exit = ffmpeg.waitFor(PUBLISH_TIMEOUT);

            assertThat(exit).isPresent().get().isNotEqualTo(0);
            assertThat(ffmpeg.log()).contains("certificate");
            assertThat(nginx.publishSessions()).isEmpty();
        }
    }

    private static void awaitSessionEnd(NginxRtmp nginx, String name) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> nginx.publishSessions().stream()
                        .anyMatch(event -> event.kind() == PublishEvent.Kind.PUBLISH_DONE));
        List<PublishEvent> events = nginx.publishSessions();
        assertThat(events)
                .extracting(PublishEvent::kind)
                .containsExactly(PublishEvent.Kind.PUBLISH, PublishEvent.Kind.PUBLISH_DONE);
        assertThat(events).extracting(PublishEvent::name).containsOnly(name);
        assertThat(events.get(1).epochNanos()).isGreaterThan(events.get(0).epochNanos());
    }

    private static void assertRecordingMatchesSent(NginxRtmp nginx) {
        assertThat(nginx.recordings()).hasSize(1);
        MediaReport recorded = Ffprobe.analyze(nginx.recordings().get(0));

        assertThat(recorded.videoPackets()).isBetween(sent.videoPackets() - GOP_FRAMES, sent.videoPackets());
        assertThat(recorded.audioPackets()).isBetween(sent.audioPackets() - AUDIO_PACKETS_PER_GOP, sent.audioPackets());
        assertThat(recorded.firstVideoPacketIsKeyframe()).isTrue();
        assertThat(recorded.videoDtsMonotonic()).isTrue();
        assertThat(recorded.audioDtsMonotonic()).isTrue();
        assertThat(recorded.maxVideoDtsGapMs()).isLessThanOrEqualTo(sent.maxVideoDtsGapMs() + 1);
        assertThat(recorded.decodeErrorLines()).isEmpty();
        assertThat(recorded.videoCodec()).isEqualTo("h264");
        assertThat(recorded.width()).isEqualTo(320);
        assertThat(recorded.height()).isEqualTo(180);
        assertThat(recorded.audioCodec()).isEqualTo("aac");
        assertThat(recorded.sampleRate()).isEqualTo(44100);
    }
}
