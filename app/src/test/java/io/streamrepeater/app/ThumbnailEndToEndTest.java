package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An input's picture over HTTP: decoded by ffmpeg from the GOP of a live encoder. */
class ThumbnailEndToEndTest {
    private static final String TOKEN = "thumb-admin-token-1";
    private static final String PRIMARY_KEY = "thumb-primary-key-1";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<byte[]> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void liveInputHasA320PixelWideJpeg(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "640x360", 30, "600k");
        try (RunningServer server =
                RunningServer.start(tmp.resolve("relay"), """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: "%s" }
                      - { name: backup, key: "backup-key-unused-1" }
                """.formatted(TOKEN, PRIMARY_KEY), null, true)) {
            String base = "http://127.0.0.1:" + server.server.httpPort() + "/api/v1/channels/show/inputs/";
            assertThat(get(base + "primary/thumbnail.jpg", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "primary/thumbnail.jpg", TOKEN).statusCode())
                    .as("nothing published yet")
                    .isEqualTo(404);

            try (FfmpegPublisher primary = FfmpegPublisher.start(media, server.ingestUrl(PRIMARY_KEY))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> "primary".equals(server.channel("show").activeInput()));
                AtomicReference<HttpResponse<byte[]>> picture = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            picture.set(get(base + "primary/thumbnail.jpg", TOKEN));
                            return picture.get().statusCode() == 200;
                        });
                byte[] jpeg = picture.get().body();
                assertThat(picture.get().headers().firstValue("Content-Type"))
                        .hasValueSatisfying(v -> assertThat(v).startsWith("image/jpeg"));
                assertThat(jpeg.length).isGreaterThan(1000);
                assertThat(new byte[] {jpeg[0], jpeg[1]}).isEqualTo(new byte[] {(byte) 0xFF, (byte) 0xD8});
                assertThat(new byte[] {jpeg[jpeg.length - 2], jpeg[jpeg.length - 1]})
                        .isEqualTo(new byte[] {(byte) 0xFF, (byte) 0xD9});
                Path file = Files.write(tmp.resolve("primary.jpg"), jpeg);
                MediaReport report = Ffprobe.analyze(file);
                assertThat(report.width()).isEqualTo(320);
                assertThat(report.height()).isEqualTo(180);

                assertThat(get(base + "backup/thumbnail.jpg", TOKEN).statusCode())
                        .as("no encoder on the backup")
                        .isEqualTo(404);
                assertThat(get(base + "nope/thumbnail.jpg", TOKEN).statusCode()).isEqualTo(404);
            }
        }
    }
}
