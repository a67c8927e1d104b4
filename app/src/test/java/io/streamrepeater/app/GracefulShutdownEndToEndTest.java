package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real server process while an ffmpeg encoder publishes and nginx-rtmp receives: the encoder is
 * let go, the destination is unpublished before its connection closes, and the process exits with 0.
 */
class GracefulShutdownEndToEndTest {
    private static final String TOKEN = "graceful-stop-admin-token";

    @Test
    void sigtermUnpublishesTheDestinationLetsTheEncoderGoAndExitsWithZero(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), 30, "320x180", 30, "300k");
        Path log = tmp.resolve("server.log");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            Path config = tmp.resolve("show.yaml");
            Files.writeString(config, """
                    server: { rtmpPort: 1935, httpPort: 8080, srtPort: 0, adminToken: "%s" }
                    channels:
                      - name: show
                        inputs: [ { name: primary, key: "graceful-primary-key" } ]
                        destinations: [ { name: d, url: "%s" } ]
                    """.formatted(TOKEN, dest.rtmpUrl("live", "out")));
            int rtmp = FreePorts.loopback();
            try (ServerProcess server =
                            ServerProcess.start(config, tmp.resolve("data"), rtmp, FreePorts.loopback(), log, TOKEN);
                    FfmpegPublisher enc =
                            FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + rtmp + "/live/graceful-primary-key")) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> publishes(dest) == 1
                                && server.get("/api/v1/channels/show")
                                                .path("destinations")
                                                .get(0)
                                                .path("packetsSent")
                                                .asLong()
                                        > 150);

                server.terminate();

                assertThat(server.waitFor(Duration.ofSeconds(20)))
                        .as("exit status after SIGTERM; log:%n%s", server.log())
                        .contains(0);
                assertThat(enc.waitFor(Duration.ofSeconds(20)))
                        .as("the encoder ends by itself")
                        .isPresent();
            }
            String serverLog = Files.readString(log);
            assertThat(serverLog).contains("event=shutdown-complete").doesNotContain("event=shutdown-pending");
            assertThat(Pattern.compile("event=shutdown-complete elapsedMs=\\d+ pending=0")
                            .matcher(serverLog)
                            .find())
                    .isTrue();
            assertThat(serverLog.indexOf("event=shutdown-started"))
                    .as("in order: stop accepting, tell the encoder, unpublish the destination, complete")
                    .isLessThan(serverLog.indexOf("event=ingest-unpublished-by-server"));
            assertThat(serverLog.indexOf("event=ingest-unpublished-by-server"))
                    .isLessThan(serverLog.indexOf("event=destination-unpublished"));
            assertThat(serverLog.indexOf("event=destination-unpublished"))
                    .isLessThan(serverLog.indexOf("event=shutdown-complete"));
            assertThat(serverLog)
                    .contains("event=destination-unpublished channel=show destination=d")
                    .contains("written=true")
                    .doesNotContain("event=destination-unpublish-timeout");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> dest.publishSessions().stream()
                            .anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE
                                    && s.name().equals("out")));
            assertThat(dest.publishSessions())
                    .extracting(PublishEvent::kind)
                    .containsExactly(PublishEvent.Kind.PUBLISH, PublishEvent.Kind.PUBLISH_DONE);
            assertThat(nginxCommandsOfThePublish(dest.errorLog(), "out"))
                    .as("nginx got deleteStream from us before the connection went (for a dropped socket it logs"
                            + " deleteStream only after disconnect)")
                    .containsSubsequence("publish", "deleteStream", "disconnect");

            assertThat(dest.recordings()).hasSize(1);
            MediaReport got = Ffprobe.analyze(dest.recordings().get(0));
            assertThat(got.decodeErrorLines()).isEmpty();
            assertThat(got.videoPackets()).as("over a second of video").isGreaterThan(30);
        }
    }

    private static long publishes(NginxRtmp dest) {
        return dest.publishSessions().stream()
                .filter(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                .count();
    }

    /**
     * What nginx-rtmp logged, in order, for the connection that published {@code name}: its info lines read
     * {@code *CONNECTION publish: name='NAME' ...}, {@code *CONNECTION deleteStream, ...}, {@code *CONNECTION disconnect, ...}.
     */
    private static List<String> nginxCommandsOfThePublish(String errorLog, String name) {
        Matcher publish = Pattern.compile("\\*(\\d+) publish: name='" + Pattern.quote(name) + "'")
                .matcher(errorLog);
        assertThat(publish.find())
                .as("nginx logged the publish of %s:%n%s", name, errorLog)
                .isTrue();
        String connection = "*" + publish.group(1) + " ";
        return errorLog.lines()
                .filter(line -> line.contains(connection))
                .map(line -> line.substring(line.indexOf(connection) + connection.length()))
                .map(rest -> rest.split("[:,]", 2)[0].trim())
                .toList();
    }
}
