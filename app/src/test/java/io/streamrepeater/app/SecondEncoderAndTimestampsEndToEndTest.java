package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.GstPublisher;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Other publishers than ffmpeg's defaults: GStreamer's rtmp2sink, and timestamps past 0xFFFFFF ms. */
class SecondEncoderAndTimestampsEndToEndTest {

    private static String oneDestination(NginxRtmp dest) {
        return """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: "k-primary-0001" }
                    destinations:
                      - { name: d, url: "%s" }
                """.formatted(dest.rtmpUrl("live", "out"));
    }

    @Test
    void gstreamerRtmp2sinkPublishesThroughTheRelay(@TempDir Path tmp) throws Exception {
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer server = RunningServer.start(tmp.resolve("relay"), oneDestination(dest), null)) {
            server.awaitDestinationsLive("show", Duration.ofSeconds(20));
            try (GstPublisher gst = GstPublisher.start(server.ingestUrl("k-primary-0001"))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> "primary".equals(server.channel("show").activeInput()));
                await().atMost(Duration.ofSeconds(20))
                        .until(() ->
                                server.destination("show", "d").packetsSent() > 400); // about 5 s of audio and video
            }
            server.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            dest.publishSessions().stream().anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
            MediaReport got = Ffprobe.analyze(dest.recordings().get(0));
            assertThat(got.videoPackets()).isGreaterThan(60);
            assertThat(got.audioPackets()).isGreaterThan(0);
            assertThat(got.decodeErrorLines()).isEmpty();
            assertThat(got.videoDtsMonotonic()).isTrue();
        }
    }

    @Test
    void ingestTimestampsCrossingTheExtendedTimestampBoundaryKeepFlowing(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(8), 30, "320x180", 30, "300k");
        MediaReport sent = Ffprobe.analyze(media);
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer server = RunningServer.start(tmp.resolve("relay"), oneDestination(dest), null)) {
            server.awaitDestinationsLive("show", Duration.ofSeconds(20));
            // 0xFFFFFF ms = 16777.215 s: start 4 s before it, so the boundary is crossed mid-stream.
            try (FfmpegPublisher encoder = FfmpegPublisher.startOnce(
                    media, server.ingestUrl("k-primary-0001"), "-output_ts_offset", "16773.2")) {
                assertThat(encoder.waitFor(Duration.ofSeconds(60)))
                        .as("ffmpeg log:\n%s", encoder.log())
                        .contains(0);
            }
            server.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            dest.publishSessions().stream().anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
            MediaReport got = Ffprobe.analyze(dest.recordings().get(0));
            assertThat(got.decodeErrorLines()).isEmpty();
            assertThat(got.videoDtsMonotonic()).isTrue();
            assertThat(got.videoPackets()).isBetween(sent.videoPackets() - 30, sent.videoPackets());
            assertThat(got.maxVideoDtsGapMs()).as("no jump at the boundary").isLessThanOrEqualTo(2 * 1000 / 30);
            assertThat(got.lastVideoDtsMs() - got.firstVideoDtsMs()).isBetween(7000L, 8500L);
        }
    }
}
