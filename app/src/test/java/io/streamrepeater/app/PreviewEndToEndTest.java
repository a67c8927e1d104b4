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
import java.nio.file.Files;
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

    @Test
    void aFeedAskedToEndAtAFormatChangeEndsWhereTheSwitchBringsAnotherPictureSize(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x180", 30, "300k");
        Path backupMedia = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "256x144", 30, "250k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer running = RunningServer.start(tmp.resolve("node"), yaml(dest), null, true);
                FfmpegPublisher primary = FfmpegPublisher.start(media, running.ingestUrl(PRIMARY_KEY));
                FfmpegPublisher backup =
                        FfmpegPublisher.start(backupMedia, running.ingestUrl("preview-backup-key-00002"))) {
            String base = "http://127.0.0.1:" + running.server.httpPort();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> running.destination("show", "d1").state() == DestinationState.LIVE
                            && running.channel("show").inputs().stream()
                                    .noneMatch(i -> i.state().name().equals("DOWN")));
            String feeding = running.channel("show").activeInput();
            String other = feeding.equals("primary") ? "backup" : "primary";
            Path ended = tmp.resolve("ended.flv");
            Path continued = tmp.resolve("continued.flv");
            String preview = base + "/api/v1/channels/show/preview.flv";
            // no -t: the first reads until the server ends its feed; the second, without the parameter, 6 s across
            try (ExternalProcess endsAtChange = ExternalProcess.start(
                            "ffmpeg reading the preview until it ends",
                            List.of(
                                    "ffmpeg",
                                    "-hide_banner",
                                    "-nostdin",
                                    "-headers",
                                    "Authorization: Bearer " + ADMIN + "\r\n",
                                    "-i",
                                    preview + "?endOnFormatChange=true",
                                    "-c",
                                    "copy",
                                    "-y",
                                    ended.toString()),
                            tmp.resolve("ended.log"));
                    ExternalProcess goesOn = readPreview(tmp, preview, ADMIN, continued, 6)) {
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> Files.size(ended) > 10_000);
                HttpResponse<String> switched = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(base + "/api/v1/channels/show/switch"))
                                        .header("Authorization", "Bearer " + ADMIN)
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"input\": \"" + other + "\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(switched.statusCode()).as(switched.body()).isEqualTo(200);
                assertThat(endsAtChange.waitFor(Duration.ofSeconds(20)))
                        .as("the feed asked to end at a format change ended: %s", endsAtChange.log())
                        .hasValue(0);
                assertThat(goesOn.waitFor(Duration.ofSeconds(30)))
                        .as("the other feed went on: %s", goesOn.log())
                        .hasValue(0);
            }
            long feedingWidth = feeding.equals("primary") ? 320 : 256;
            MediaReport r = Ffprobe.analyze(ended);
            assertThat(r.width()).isEqualTo(feedingWidth);
            assertThat(r.decodeErrorLines()).isEmpty();
            assertThat(r.videoDtsMonotonic()).isTrue();
            MediaReport c = Ffprobe.analyze(continued);
            assertThat(c.videoPackets()).as("6 s of video across the switch").isGreaterThan(150);
            assertThat(c.decodeErrorLines()).isEmpty();
            assertThat(running.destination("show", "d1").reconnects()).isZero();
        }
    }

    private static ExternalProcess readPreview(Path tmp, String url, String token, Path into) {
        return readPreview(tmp, url, token, into, 3);
    }

    private static ExternalProcess readPreview(Path tmp, String url, String token, Path into, int seconds) {
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
                        Integer.toString(seconds),
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
