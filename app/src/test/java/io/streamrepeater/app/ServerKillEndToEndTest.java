package io.streamrepeater.app;

import io.streamrepeater.status.DestinationState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server process is killed with SIGKILL in the middle of a burst of configuration writes: on
 * restart the store holds, for every channel, the last acknowledged version or the one in flight —
 * never a mix — and the channels come back live.
 */
class ServerKillEndToEndTest {
    private static final String TOKEN = "kill-test-admin-token";
    private static final int CHANNELS = 4;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Process startServer(Path config, Path data, int rtmp, int httpPort, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--config", config.toString(), "--data-dir", data.toString(),
                "--rtmp-port", Integer.toString(rtmp), "--http-port", Integer.toString(httpPort));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("server exited; log:\n" + Files.readString(log));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (java.io.IOException notYet) {
                return false;
            }
        });
        return p;
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String channel(int c, int version) {
        return "{\"name\":\"burst-" + c + "\",\"inputs\":[{\"name\":\"primary\",\"key\":\"burst-" + c + "-v" + version + "-a\"},"
                + "{\"name\":\"backup\",\"key\":\"burst-" + c + "-v" + version + "-b\"}],"
                + "\"failover\":{\"inputLossMs\":" + (100 + version) + "}}";
    }

    @Test
    void killedDuringABurstOfWritesTheStoreIsIntactAndChannelsComeBack(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), 30, "320x180", 30, "300k");
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("server.log");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            Path config = tmp.resolve("show.yaml");
            Files.writeString(config, """
                    server: { rtmpPort: 1935, httpPort: 8080, srtPort: 0, adminToken: "%s" }
                    channels:
                      - name: show
                        inputs: [ { name: primary, key: "kill-primary-key" } ]
                        destinations: [ { name: d, url: "%s" } ]
                    """.formatted(TOKEN, dest.rtmpUrl("live", "out")));
            int rtmp = FreePorts.loopback();
            int httpPort = FreePorts.loopback();
            Process server = startServer(config, data, rtmp, httpPort, log);
            Map<Integer, Integer> acknowledged = new HashMap<>();
            int killAfter = ThreadLocalRandom.current().nextInt(15, 60);
            try {
                int version = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (server.isAlive() && System.nanoTime() < deadline) {
                    version++;
                    int c = version % CHANNELS;
                    if (version == killAfter) {
                        // SIGKILL while this write is on its way
                        new Thread(() -> server.destroyForcibly()).start();
                    }
                    try {
                        HttpResponse<String> r = call(httpPort, "PUT", "/api/v1/channels/burst-" + c, channel(c, version));
                        if (r.statusCode() / 100 == 2) {
                            acknowledged.put(c, version);
                        }
                    } catch (java.io.IOException killed) {
                        break;
                    }
                }
                assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                server.destroyForcibly();
            }
            assertThat(acknowledged).as("some writes were acknowledged before the kill").isNotEmpty();

            int http2 = FreePorts.loopback();
            Process again = startServer(config, data, rtmp, http2, log);
            try {
                String exported = call(http2, "GET", "/api/v1/config?secrets=true", null).body();
                for (int c = 0; c < CHANNELS; c++) {
                    Integer acked = acknowledged.get(c);
                    Matcher a = Pattern.compile("burst-" + c + "-v(\\d+)-a").matcher(exported);
                    Matcher b = Pattern.compile("burst-" + c + "-v(\\d+)-b").matcher(exported);
                    if (acked == null) {
                        continue; // never acknowledged: it may or may not exist, but must be whole if it does
                    }
                    assertThat(a.find()).as("channel burst-%d is in the store:%n%s", c, exported).isTrue();
                    assertThat(b.find()).isTrue();
                    int stored = Integer.parseInt(a.group(1));
                    assertThat(Integer.parseInt(b.group(1))).as("both inputs from one version").isEqualTo(stored);
                    assertThat(stored).as("the acknowledged version or a later one in flight").isGreaterThanOrEqualTo(acked)
                            .isLessThanOrEqualTo(acked + CHANNELS);
                    assertThat(exported).contains("inputLossMs: " + (100 + stored));
                }
                // the channels come back live: the destination reconnects and an encoder publishes again
                await().atMost(Duration.ofSeconds(20)).until(() -> call(http2, "GET", "/api/v1/channels/show", null).body()
                        .contains("\"state\":\"" + DestinationState.LIVE + "\""));
                try (FfmpegPublisher enc = FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + rtmp + "/live/kill-primary-key")) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> call(http2, "GET", "/api/v1/channels/show", null).body()
                            .contains("\"activeInput\":\"primary\""));
                }
                assertThat(List.of(call(http2, "GET", "/api/v1/channels", null).body())).allSatisfy(body ->
                        assertThat(body).contains("burst-"));
            } finally {
                again.destroy();
                again.waitFor(10, TimeUnit.SECONDS);
                again.destroyForcibly();
            }
        }
    }
}
