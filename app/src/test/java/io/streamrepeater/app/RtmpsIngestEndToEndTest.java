package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.control.config.ConfigException;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.testkit.CapturedLogs;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.LocalhostCertificates;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.io.IOException;
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
 * RTMPS ingest with real peers: ffmpeg publishes over {@code rtmps://} to Stream Repeater, which relays
 * to an nginx-rtmp destination; the certificate files are replaced while ffmpeg keeps publishing.
 */
class RtmpsIngestEndToEndTest {
    private static final int GOP = 60;
    private static final int FPS = 30;
    private static final String KEY = "primary-key-rtmps-1";

    @Test
    void ffmpegPublishesOverRtmpsAndTheDestinationGetsEveryFrame(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), GOP, "640x360", FPS, "800k");
        MediaReport sent = Ffprobe.analyze(media);
        LocalhostCertificates certificates = LocalhostCertificates.generate(tmp.resolve("ca"));
        Path relayDir = tmp.resolve("relay");
        TestTls.install(certificates, relayDir.resolve("tls"));
        try (NginxRtmp destination = NginxRtmp.start(tmp.resolve("nginx"))) {
            try (RunningServer server = RunningServer.start(relayDir, yaml(destination), null, true)) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                // The operator's "ingest URL" reveal offers the TLS address too.
                HttpResponse<String> reveal = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.httpPort()
                                                + "/api/v1/channels/show/inputs/primary/ingest"))
                                        .header("Authorization", "Bearer " + TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(reveal.statusCode()).as(reveal.body()).isEqualTo(200);
                assertThat(new ObjectMapper()
                                .readTree(reveal.body())
                                .path("rtmpsUrl")
                                .asText())
                        .isEqualTo(rtmpsUrl(server));
                // ffmpeg checks the certificate against the test CA, for the address it dialled.
                try (FfmpegPublisher encoder = FfmpegPublisher.startOnce(
                        media,
                        rtmpsUrl(server),
                        "-tls_verify",
                        "1",
                        "-ca_file",
                        certificates.caCertFile().toString())) {
                    assertThat(encoder.waitFor(Duration.ofSeconds(60)))
                            .as("ffmpeg finished; log:\n%s", encoder.log())
                            .contains(0);
                }
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> server.channel("show").activeInput() == null);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> destination.publishSessions().stream()
                            .anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
            assertThat(destination.recordings()).hasSize(1);
            MediaReport got = Ffprobe.analyze(destination.recordings().get(0));
            assertThat(got.decodeErrorLines()).as("decode errors").isEmpty();
            assertThat(got.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(got.videoDtsMonotonic()).isTrue();
            assertThat(got.videoPackets()).isBetween(sent.videoPackets() - GOP, sent.videoPackets());
            assertThat(got.width()).isEqualTo(640);
        }
    }

    @Test
    void replacedCertificateServesNewConnectionsWhileThePublishGoesOn(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(4), GOP, "640x360", FPS, "800k");
        LocalhostCertificates first = LocalhostCertificates.generate(tmp.resolve("ca"));
        LocalhostCertificates renewed = first.issueServerCertificate("renewed", "ec");
        Path relayDir = tmp.resolve("relay");
        Path tlsDir = relayDir.resolve("tls");
        TestTls.install(first, tlsDir);
        try (NginxRtmp destination = NginxRtmp.start(tmp.resolve("nginx"));
                CapturedLogs logs = CapturedLogs.of(ReloadingSslContext.class)) {
            try (RunningServer server = RunningServer.start(relayDir, yaml(destination), null)) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                int port = server.server.rtmpsPort();
                assertThat(TestTls.serverCertificate(port, first.caCertFile())
                                .getSubjectX500Principal()
                                .getName())
                        .isEqualTo("CN=localhost");
                try (FfmpegPublisher encoder = FfmpegPublisher.start(media, rtmpsUrl(server))) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> primary(server).state() == InputState.ACTIVE);
                    server.awaitPacketsSent("show", "nginx", 60, Duration.ofSeconds(20));
                    String encoderAddress = primary(server).remoteAddress();

                    TestTls.install(renewed, tlsDir);

                    await().atMost(Duration.ofSeconds(20))
                            .pollInterval(Duration.ofMillis(250))
                            .until(() -> TestTls.serverCertificate(port, first.caCertFile())
                                    .getSerialNumber()
                                    .equals(TestTls.read(renewed.serverCertFile())
                                            .getSerialNumber()));
                    assertThat(logs.linesWith("event=tls-reloaded"))
                            .singleElement()
                            .asString()
                            .contains("CN=renewed");
                    server.awaitPacketsSent("show", "nginx", 60, Duration.ofSeconds(20));
                    assertThat(encoder.isAlive())
                            .as("ffmpeg still publishing; log:\n%s", encoder.log())
                            .isTrue();
                    assertThat(primary(server).remoteAddress())
                            .as("the same TCP connection")
                            .isEqualTo(encoderAddress);
                    assertThat(primary(server).state()).isEqualTo(InputState.ACTIVE);

                    // A broken certificate file: logged, and the renewed certificate is still served.
                    TestTls.replace(tlsDir.resolve("fullchain.pem"), "-----BEGIN CERTIFICATE-----\ntruncated\n");
                    await().atMost(Duration.ofSeconds(20))
                            .until(() ->
                                    !logs.linesWith("event=tls-reload-failed").isEmpty());
                    assertThat(logs.linesWith("event=tls-reload-failed"))
                            .singleElement()
                            .asString()
                            .contains("file=" + tlsDir.resolve("fullchain.pem"));
                    assertThat(TestTls.serverCertificate(port, first.caCertFile())
                                    .getSubjectX500Principal()
                                    .getName())
                            .isEqualTo("CN=renewed");
                    server.awaitPacketsSent("show", "nginx", 30, Duration.ofSeconds(20));
                    assertThat(primary(server).remoteAddress()).isEqualTo(encoderAddress);
                }
                assertThat(server.destination("show", "nginx").reconnects()).isZero();
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> destination.publishSessions().stream()
                            .anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
            assertThat(destination.recordings()).as("one uninterrupted session").hasSize(1);
            MediaReport got = Ffprobe.analyze(destination.recordings().get(0));
            assertThat(got.decodeErrorLines()).as("decode errors").isEmpty();
            assertThat(got.videoDtsMonotonic()).isTrue();
        }
    }

    @Test
    void missingCertificateStopsTheStartNamingTheFile(@TempDir Path tmp) throws IOException {
        Path relayDir = tmp.resolve("relay");
        Files.createDirectories(relayDir);
        String yaml = """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, rtmpsPort: %d,
                          tls: { certFile: tls/fullchain.pem, keyFile: tls/privkey.pem } }
                channels:
                  - name: show
                    inputs: [{ name: primary, key: "%s" }]
                """.formatted(FreePorts.loopback(), KEY);

        assertThatThrownBy(() -> RunningServer.start(relayDir, yaml, null))
                .isInstanceOf(StartupException.class)
                .hasMessage("cannot use the RTMPS certificate: certFile " + relayDir.resolve("tls/fullchain.pem")
                        + ": no such file");
    }

    @Test
    void rtmpsPortWithoutCertificateIsRefusedAtItsLine(@TempDir Path tmp) {
        String yaml = "server:\n  rtmpsPort: 1936\n";

        assertThatThrownBy(() -> RunningServer.start(tmp, yaml, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(":2:14: rtmpsPort 1936 needs a certificate");
    }

    private static final String TOKEN = "rtmps-test-admin-token-1";

    private static String yaml(NginxRtmp destination) {
        return """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, rtmpsPort: %d, adminToken: "%s",
                          tls: { certFile: tls/fullchain.pem, keyFile: tls/privkey.pem } }
                channels:
                  - name: show
                    inputs: [{ name: primary, key: "%s" }]
                    destinations:
                      - { name: nginx, url: "%s" }
                """.formatted(FreePorts.loopback(), TOKEN, KEY, destination.rtmpUrl("live", "relayed"));
    }

    private static String rtmpsUrl(RunningServer server) {
        return "rtmps://127.0.0.1:" + server.server.rtmpsPort() + "/live/" + KEY;
    }

    private static InputStatus primary(RunningServer server) {
        return server.channel("show").inputs().stream()
                .filter(i -> i.name().equals("primary"))
                .findFirst()
                .orElseThrow();
    }
}
