package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.testkit.ExternalProcess;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live preview (issue 20, part 4, the server's half): the channel's output as HTTP-FLV, read by real ffmpeg with a
 * viewer token and checked with ffprobe; a reader that stops reading is dropped once its bounded queue is full, and
 * the destination (real nginx-rtmp) keeps its one session all along.
 */
class PreviewEndToEndTest {
    private static final String ADMIN = "preview-test-admin-token";
    private static final String PRIMARY_KEY = "preview-primary-key-0001";

    private static String yaml(NginxRtmp dest) {
        return """
                server: { adminToken: "%s", srtPort: 0 }
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: "%s" }
                      - { name: backup, key: "preview-backup-key-00002" }
                    destinations:
                      - { name: d1, url: "%s" }
                """.formatted(ADMIN, PRIMARY_KEY, dest.rtmpUrl("live", "d1"));
    }

    @Test
    void aViewerTokenWatchesTheOutputAsHttpFlvThatDecodesClean(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x180", 30, "300k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer running = RunningServer.start(tmp.resolve("node"), yaml(dest), null, true);
                FfmpegPublisher primary =
                        FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + running.rtmpPort + "/live/" + PRIMARY_KEY)) {
            String base = "http://127.0.0.1:" + running.server.httpPort();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> running.destination("show", "d1").state() == DestinationState.LIVE);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens"))
                            .header("Authorization", "Bearer " + ADMIN)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"wall\", \"role\": \"viewer\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String viewer =
                    new ObjectMapper().readTree(created.body()).path("token").asText();
            String preview = base + "/api/v1/channels/show/preview.flv";
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(preview)).build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(401);

            Path recorded = tmp.resolve("preview.flv");
            try (ExternalProcess reader = ExternalProcess.start(
                    "ffmpeg reading the preview",
                    List.of(
                            "ffmpeg",
                            "-hide_banner",
                            "-nostdin",
                            "-headers",
                            "Authorization: Bearer " + viewer + "\r\n",
                            "-i",
                            preview,
                            "-t",
                            "3",
                            "-c",
                            "copy",
                            "-y",
                            recorded.toString()),
                    tmp.resolve("preview-reader.log"))) {
                assertThat(reader.waitFor(Duration.ofSeconds(30)))
                        .as("ffmpeg read 3 s of the preview: %s", reader.log())
                        .hasValue(0);
            }
            MediaReport r = Ffprobe.analyze(recorded);
            assertThat(r.width()).isEqualTo(320);
            assertThat(r.videoPackets()).isGreaterThan(60);
            assertThat(r.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(r.decodeErrorLines()).isEmpty();
            assertThat(r.videoDtsMonotonic()).isTrue();
            assertThat(running.destination("show", "d1").reconnects()).isZero();

            // one input on its own, whether it feeds the channel or not; the feed ends when its encoder leaves
            Path input = tmp.resolve("input.flv");
            try (ExternalProcess reader =
                    readPreview(tmp, base + "/api/v1/channels/show/inputs/primary/preview.flv", viewer, input)) {
                assertThat(reader.waitFor(Duration.ofSeconds(30)))
                        .as("ffmpeg read 3 s of the input's preview: %s", reader.log())
                        .hasValue(0);
            }
            MediaReport i = Ffprobe.analyze(input);
            assertThat(i.width()).isEqualTo(320);
            assertThat(i.videoPackets()).isGreaterThan(60);
            assertThat(i.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(i.decodeErrorLines()).isEmpty();
            assertThat(http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(base + "/api/v1/channels/show/inputs/nope/preview.flv"))
                                            .header("Authorization", "Bearer " + viewer)
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    private static ExternalProcess readPreview(Path tmp, String url, String token, Path into) {
        return ExternalProcess.start(
                "ffmpeg reading a preview",
                List.of(
                        "ffmpeg",
                        "-hide_banner",
                        "-nostdin",
                        "-headers",
                        "Authorization: Bearer " + token + "\r\n",
                        "-i",
                        url,
                        "-t",
                        "3",
                        "-c",
                        "copy",
                        "-y",
                        into.toString()),
                tmp.resolve(into.getFileName() + ".log"));
    }

    @Test
    void aReaderThatStopsReadingIsDroppedAndTheDestinationNeverNotices(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x180", 30, "300k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer running = RunningServer.start(tmp.resolve("node"), yaml(dest), null, true);
                FfmpegPublisher primary =
                        FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + running.rtmpPort + "/live/" + PRIMARY_KEY)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> running.destination("show", "d1").state() == DestinationState.LIVE);
            AtomicInteger readers = new AtomicInteger();
            PreviewReader stalled = PreviewReader.open(running.server.channel("show"), readers, 2);
            PreviewReader second = PreviewReader.open(running.server.channel("show"), readers, 2);
            try {
                assertThat(readers.get()).isEqualTo(2);
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> PreviewReader.open(running.server.channel("show"), readers, 2))
                        .as("bounded: a third reader is refused")
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("all 2 live previews");
                second.close();
                // about 8 s of packets later, the stalled reader is dropped; nobody waited for it
                await().atMost(Duration.ofSeconds(30)).until(() -> stalled.endReason() != null);
                assertThat(stalled.endReason()).contains("did not keep up");
                assertThat(stalled.next(100)).as("the header").isNotNull();
                assertThat(stalled.next(100)).as("then the end of the feed").isNull();
                assertThat(readers.get()).isZero();
            } finally {
                stalled.close();
                second.close();
            }
            assertThat(running.destination("show", "d1").state()).isEqualTo(DestinationState.LIVE);
            assertThat(running.destination("show", "d1").reconnects()).isZero();
            assertThat(dest.publishSessions().stream()
                            .filter(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                            .count())
                    .isEqualTo(1);
        }
    }
}
