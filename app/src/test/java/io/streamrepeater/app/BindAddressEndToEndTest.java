package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.TestMedia;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.bind} and {@code serve --bind}: every listener listens on that one address (issue 19 runs each node
 * of a cluster test on its own loopback address). Loopback only: 127.0.0.0/8 is all this machine's.
 */
class BindAddressEndToEndTest {
    private static final String KEY = "primary-key-bind-0001";

    @Test
    void anEncoderPublishesOnTheBindAddressAndAnotherAddressIsRefused(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x240", 30, "300k");
        int rtmp = FreePorts.loopback();
        int http = FreePorts.loopback();
        Path config = write(tmp, "127.0.0.2", rtmp, http);
        Server server = Server.start(new ServerOptions(config, tmp.resolve("data"), null, null, null, null));
        try {
            try (FfmpegPublisher encoder = FfmpegPublisher.start(media, "rtmp://127.0.0.2:" + rtmp + "/live/" + KEY)) {
                await().atMost(Duration.ofSeconds(20))
                        .alias("the encoder on 127.0.0.2 is the active input; ffmpeg log in " + encoder.logFile())
                        .until(() -> "primary".equals(activeInput(server)));
            }
            assertThat(server.rtmpPort()).isEqualTo(rtmp);
            assertRefused("127.0.0.3", rtmp);
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + http + "/healthz"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertRefused("127.0.0.3", http);
        } finally {
            server.stop();
        }
    }

    @Test
    void theCommandLineBindOverridesTheFile(@TempDir Path tmp) throws Exception {
        int rtmp = FreePorts.loopback();
        Path config = write(tmp, "127.0.0.2", rtmp, 0);
        Server server = Server.start(
                new ServerOptions(config, tmp.resolve("data"), null, null, null, null).withBind("127.0.0.4"));
        try {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.4", rtmp), 5000);
                assertThat(socket.isConnected()).isTrue();
            }
            assertRefused("127.0.0.2", rtmp);
            assertThat(server.currentConfig().server().bind())
                    .as("what export writes")
                    .isEqualTo("127.0.0.4");
        } finally {
            server.stop();
        }
    }

    @Test
    void aBindAddressOnTheCommandLineThatIsNoIpIsRefusedBeforeAnythingListens(@TempDir Path tmp) throws Exception {
        Path config = write(tmp, "127.0.0.2", FreePorts.loopback(), 0);

        assertThatThrownBy(() -> Server.start(
                        new ServerOptions(config, tmp.resolve("data"), null, null, null, null).withBind("relay.local")))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("--bind: bind 'relay.local' must be an IP address");
    }

    private static String activeInput(Server server) {
        return server.status().stream()
                .filter(c -> c.name().equals("show"))
                .findFirst()
                .orElseThrow()
                .activeInput();
    }

    private static void assertRefused(String host, int port) {
        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(host, port), 5000);
                    }
                })
                .as("TCP connect to %s:%d", host, port)
                .isInstanceOf(ConnectException.class);
    }

    private static Path write(Path dir, String bind, int rtmp, int http) throws IOException {
        Path file = dir.resolve("bind.yaml");
        Files.writeString(file, """
                server:
                  bind: %s
                  rtmpPort: %d
                  httpPort: %d
                  srtPort: 0
                  adminToken: "bind-test-admin-token-0001"
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: %s }
                """.formatted(bind, rtmp, http, KEY));
        return file;
    }
}
