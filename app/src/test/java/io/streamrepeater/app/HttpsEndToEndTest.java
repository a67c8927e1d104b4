package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.LocalhostCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator side over HTTPS ({@code server.httpsPort}, with the certificate files of {@code server.tls}): the
 * dashboard, the API and the metrics over TLS with HSTS; plain HTTP beside it ({@code server.http: redirect}, the
 * default) answers only the probes and the metrics, refuses the API and redirects the dashboard; a renewed
 * certificate on disk is served to new connections. Real TLS handshakes from a client that trusts only the test CA.
 */
class HttpsEndToEndTest {
    private static final String TOKEN = "https-test-admin-token";

    private static String config(Path tlsDir, int httpsPort, String http) {
        return """
                server:
                  adminToken: "%s"
                  bind: 127.0.0.1
                  srtPort: 0
                  httpsPort: %d
                  %s
                  tls: { certFile: "%s", keyFile: "%s" }
                channels:
                  - name: show
                    inputs: [ { name: primary, key: "https-primary-key-1" } ]
                """.formatted(
                        TOKEN,
                        httpsPort,
                        http == null ? "" : "http: " + http,
                        tlsDir.resolve("fullchain.pem"),
                        tlsDir.resolve("privkey.pem"));
    }

    private static HttpResponse<String> get(HttpClient client, String url, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (withToken) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApiAndDashboardGoOverHttpsWithHstsAndPlainHttpKeepsOnlyProbesAndMetrics(@TempDir Path tmp)
            throws Exception {
        LocalhostCertificates certificates = LocalhostCertificates.generate(tmp.resolve("ca"));
        Path tlsDir = tmp.resolve("tls");
        TestTls.install(certificates, tlsDir);
        int httpsPort = FreePorts.loopback();
        try (RunningServer running =
                RunningServer.start(tmp.resolve("node"), config(tlsDir, httpsPort, null), null, true)) {
            assertThat(running.server.httpsPort()).isEqualTo(httpsPort);
            String https = "https://127.0.0.1:" + httpsPort;
            String plain = "http://127.0.0.1:" + running.server.httpPort();
            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(TestTls.trusting(certificates.caCertFile()))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

            HttpResponse<String> channels = get(trusting, https + "/api/v1/channels", true);
            assertThat(channels.statusCode()).isEqualTo(200);
            assertThat(channels.body()).contains("\"show\"");
            assertThat(channels.headers().firstValue("Strict-Transport-Security"))
                    .hasValue("max-age=31536000");
            HttpResponse<String> dashboard = get(trusting, https + "/", false);
            assertThat(dashboard.statusCode()).isEqualTo(200);
            assertThat(dashboard.body()).contains("<title>");
            assertThat(dashboard.headers().firstValue("Strict-Transport-Security"))
                    .isPresent();
            assertThat(get(trusting, https + "/metrics", false).body()).contains("streamrepeater_");
            assertThat(get(trusting, https + "/api/v1/channels", false).statusCode())
                    .as("HTTPS does not replace the token")
                    .isEqualTo(401);

            HttpClient client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> apiInClear = get(client, plain + "/api/v1/channels?x=1", true);
            assertThat(apiInClear.statusCode()).isEqualTo(403);
            assertThat(apiInClear.body())
                    .contains("served over HTTPS only")
                    .contains(https + "/api/v1/channels?x=1")
                    .doesNotContain("\"show\"");
            HttpResponse<String> dashboardInClear = get(client, plain + "/", false);
            assertThat(dashboardInClear.statusCode()).isEqualTo(308);
            assertThat(dashboardInClear.headers().firstValue("Location")).hasValue(https + "/");
            assertThat(dashboardInClear.headers().firstValue("Strict-Transport-Security"))
                    .as("HSTS only over HTTPS")
                    .isEmpty();
            assertThat(get(client, plain + "/healthz", false).statusCode()).isEqualTo(200);
            assertThat(get(client, plain + "/readyz", false).statusCode()).isEqualTo(200);
            assertThat(get(client, plain + "/metrics", false).body()).contains("streamrepeater_");

            // the command line, against the HTTPS address, trusting the test CA it is given
            assertThat(Cli.run(
                            "status",
                            "--server",
                            https,
                            "--token",
                            TOKEN,
                            "--cacert",
                            certificates.caCertFile().toString()))
                    .containsPattern("primary +DOWN");
            assertThat(new picocli.CommandLine(new Main())
                            .execute("status", "--server", https, "--token", TOKEN, "--timeout", "5"))
                    .as("without --cacert the JVM's trust store does not know the test CA")
                    .isNotZero();

            HttpClient trustingNothing = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            assertThatThrownBy(() -> get(trustingNothing, https + "/healthz", false))
                    .as("a client that does not trust the test CA refuses the certificate")
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void plainHttpFullServesTheApiBesideHttpsAndARenewedCertificateReachesNewConnections(@TempDir Path tmp)
            throws Exception {
        LocalhostCertificates first = LocalhostCertificates.generate(tmp.resolve("ca"));
        LocalhostCertificates renewed = first.issueServerCertificate("renewed", "ec");
        Path tlsDir = tmp.resolve("tls");
        TestTls.install(first, tlsDir);
        int httpsPort = FreePorts.loopback();
        // RTMPS ingest on the same certificate: one watch of the files serves both listeners
        int rtmpsPort = FreePorts.loopback();
        try (RunningServer running = RunningServer.start(
                tmp.resolve("node"), config(tlsDir, httpsPort, "full\n  rtmpsPort: " + rtmpsPort), null, true)) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(TestTls.trusting(first.caCertFile()))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            assertThat(get(client, "http://127.0.0.1:" + running.server.httpPort() + "/api/v1/channels", true)
                            .statusCode())
                    .as("http: full keeps the API on plain HTTP")
                    .isEqualTo(200);
            assertThat(TestTls.serverCertificate(httpsPort, first.caCertFile()).getSerialNumber())
                    .isEqualTo(TestTls.read(first.serverCertFile()).getSerialNumber());

            TestTls.install(renewed, tlsDir);
            await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .until(() -> TestTls.serverCertificate(httpsPort, first.caCertFile())
                            .getSerialNumber()
                            .equals(TestTls.read(renewed.serverCertFile()).getSerialNumber()));
            assertThat(get(client, "https://127.0.0.1:" + httpsPort + "/api/v1/channels", true)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(TestTls.serverCertificate(rtmpsPort, first.caCertFile()).getSerialNumber())
                    .as("RTMPS ingest took the renewal too")
                    .isEqualTo(TestTls.read(renewed.serverCertFile()).getSerialNumber());
        }
    }
}
