package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.LocalhostCertificates;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The dashboard over HTTPS in headless chromium, which trusts the server's test certificate by its key (nothing
 * else is trusted): a viewer token sees the channel with its inputs live but no switch, no key and no rehearsal; an
 * operator token switches from the page; the certificate renewed while the page is open; the preview plays and
 * follows a failover. Real ffmpeg encoders on both inputs.
 */
class DashboardRolesBrowserTest {
    private static final String ADMIN = "roles-browser-admin-token";
    private static final String PRIMARY_KEY = "roles-browser-primary-1";
    private static final String BACKUP_KEY = "roles-browser-backup-2";

    @Test
    void aViewerSeesTheChannelWithoutControlsOrKeysAndAnOperatorSwitches(@TempDir Path tmp) throws Exception {
        LocalhostCertificates certificates = LocalhostCertificates.generate(tmp.resolve("ca"));
        LocalhostCertificates renewed = certificates.issueServerCertificate("renewed", "ec");
        Path tlsDir = tmp.resolve("tls");
        TestTls.install(certificates, tlsDir);
        int httpsPort = FreePorts.loopback();
        Path media = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x180", 30, "300k");
        Path backupMedia = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "256x144", 30, "250k");
        String yaml = """
                server:
                  adminToken: "%s"
                  srtPort: 0
                  httpsPort: %d
                  tls: { certFile: "%s", keyFile: "%s" }
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: "%s" }
                      - { name: backup, key: "%s" }
                """.formatted(
                        ADMIN,
                        httpsPort,
                        tlsDir.resolve("fullchain.pem"),
                        tlsDir.resolve("privkey.pem"),
                        PRIMARY_KEY,
                        BACKUP_KEY);
        try (RunningServer running = RunningServer.start(tmp.resolve("node"), yaml, null, true);
                FfmpegPublisher primary =
                        FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + running.rtmpPort + "/live/" + PRIMARY_KEY);
                FfmpegPublisher backup = FfmpegPublisher.start(
                        backupMedia, "rtmp://127.0.0.1:" + running.rtmpPort + "/live/" + BACKUP_KEY)) {
            String base = "https://localhost:" + httpsPort;
            HttpClient api = HttpClient.newBuilder()
                    .sslContext(TestTls.trusting(certificates.caCertFile()))
                    .build();
            String operator = createToken(api, base, "director", "operator");
            // chromium trusts the server's first certificate and its renewal by their keys, nothing else
            String pin = pin(certificates.serverCertFile()) + "," + pin(renewed.serverCertFile());

            WebDriver browser = DashboardBrowserTest.startBrowser(
                    tmp.resolve("chromium-profile"), List.of("--ignore-certificate-errors-spki-list=" + pin));
            try {
                // an admin gives out tokens from the page: created (shown once), listed, revoked, audited
                DashboardPage.signIn(browser, base, ADMIN);
                String viewer = createTokenFromThePage(browser, "stage", "viewer");
                String temporary = createTokenFromThePage(browser, "temporary", "operator");
                assertThat(whoami(api, base, temporary)).isEqualTo(200);
                DashboardPage.js(
                        browser,
                        "document.querySelector('tr[data-token=temporary] [data-action=revoke-token]').click()");
                DashboardPage.confirm(browser);
                await().atMost(Duration.ofSeconds(10))
                        .ignoreExceptions()
                        .until(() -> DashboardPage.count(browser, "tr[data-token=temporary]") == 0);
                assertThat(whoami(api, base, temporary))
                        .as("revoked from the page")
                        .isEqualTo(401);
                assertThat(DashboardPage.count(browser, "tr[data-token=stage]")).isEqualTo(1);
                assertThat((String)
                                DashboardPage.js(browser, "return document.getElementById('audit-rows').textContent"))
                        .contains("DELETE /api/v1/tokens/temporary")
                        .contains("POST /api/v1/tokens")
                        .doesNotContain(viewer);
                DashboardPage.js(browser, "document.getElementById('sign-out').click()");

                DashboardPage.signIn(browser, base, viewer);
                DashboardPage.openChannel(browser);
                try {
                    await().atMost(Duration.ofSeconds(20))
                            .ignoreExceptions()
                            .until(() -> DashboardPage.count(browser, "article[data-state=STANDBY]") == 1
                                    && DashboardPage.count(browser, "article[data-state=LIVE]") == 1);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(
                            "page: "
                                    + DashboardPage.js(
                                            browser, "return location.href + '\\n' + document.body.innerText"),
                            e);
                }
                assertThat(DashboardPage.text(browser, "#who")).isEqualTo("stage (viewer)");
                assertThat(DashboardPage.count(browser, "[data-action=switch]"))
                        .as("no switch for a viewer")
                        .isZero();
                assertThat(DashboardPage.count(browser, "[data-action=show-ingest]"))
                        .as("no key for a viewer")
                        .isZero();
                assertThat(DashboardPage.count(browser, "[data-action=rotate-key]"))
                        .isZero();
                assertThat(DashboardPage.js(browser, "return document.getElementById('rehearse').hidden"))
                        .isEqualTo(true);
                assertThat(DashboardPage.js(browser, "return document.getElementById('add-destination').hidden"))
                        .isEqualTo(true);
                assertThat((String) DashboardPage.js(browser, "return document.body.innerText"))
                        .doesNotContain(PRIMARY_KEY)
                        .doesNotContain(BACKUP_KEY);

                // a viewer may watch the output: the vendored player plays the HTTP-FLV preview in the <video>
                DashboardPage.js(browser, "document.getElementById('preview-toggle').click()");
                PreviewPlayer.awaitPlaying(browser);
                // and each input on its own: the backup's picture, whichever input feeds the channel
                DashboardPage.js(
                        browser, "document.querySelector('[data-input=backup] [data-action=preview-input]').click()");
                await().atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .until(() -> PreviewPlayer.videoWidth(browser) == 256);
                assertThat(DashboardPage.text(browser, "#preview-title")).isEqualTo("Live preview of input backup");
                PreviewPlayer.awaitPlaying(browser);

                // the API reference page, drawn from the server's openapi.json
                DashboardPage.js(browser, "document.getElementById('api-link').click()");
                await().atMost(Duration.ofSeconds(10))
                        .ignoreExceptions()
                        .until(() -> DashboardPage.count(browser, "#api-operations tr") > 20);
                assertThat(DashboardPage.count(
                                browser,
                                "#api-operations tr[data-operation=\"POST /api/v1/channels/{channel}/switch\"]"))
                        .isEqualTo(1);
                assertThat(DashboardPage.count(browser, "#api-operations tr[data-operation=\"GET /api/v1/tokens\"]"))
                        .isEqualTo(1);

                DashboardPage.js(browser, "document.getElementById('sign-out').click()");
                DashboardPage.signIn(browser, base, operator);
                DashboardPage.openChannel(browser);
                await().atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .until(() ->
                                DashboardPage.count(browser, "article[data-state=STANDBY] [data-action=switch]") == 1);
                String standby = (String) DashboardPage.js(
                        browser, "return document.querySelector('article[data-state=STANDBY]').dataset.input");
                assertThat(DashboardPage.text(browser, "#who")).isEqualTo("director (operator)");
                assertThat(DashboardPage.count(browser, "[data-action=show-ingest]"))
                        .as("keys stay the admin's")
                        .isZero();
                DashboardPage.js(
                        browser, "document.querySelector('article[data-state=STANDBY] [data-action=switch]').click()");
                DashboardPage.confirm(browser);
                await().atMost(Duration.ofSeconds(10))
                        .until(() ->
                                standby.equals(running.server.status().get(0).activeInput()));

                // the certificate renewed while the page is open: new handshakes get it, and the page goes on
                // (the preview below opens its feed after the renewal, and the page follows the failover)
                TestTls.install(renewed, tlsDir);
                await().atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .until(() -> TestTls.serverCertificate(httpsPort, certificates.caCertFile())
                                .getSerialNumber()
                                .equals(TestTls.read(renewed.serverCertFile()).getSerialNumber()));

                // the preview follows a failover: kill the encoder that feeds the channel now
                DashboardPage.js(browser, "document.getElementById('preview-toggle').click()");
                PreviewPlayer.awaitPlaying(browser);
                long feedingWidth = standby.equals("primary") ? 320 : 256;
                long otherWidth = standby.equals("primary") ? 256 : 320;
                await().atMost(Duration.ofSeconds(10)).until(() -> PreviewPlayer.videoWidth(browser) == feedingWidth);
                DashboardPage.js(browser, "document.getElementById('preview-card').scrollIntoView()");
                DashboardPage.screenshot(browser, "dashboard-preview.png");
                long killedAt = System.nanoTime();
                (standby.equals("primary") ? primary : backup).kill();
                await().atMost(Duration.ofSeconds(15)).until(() -> PreviewPlayer.videoWidth(browser) == otherWidth);
                System.out.printf(
                        "preview: the other encoder's picture %d ms after the feeding one was killed%n",
                        Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
                String killed = standby; // it fed the channel since the operator's switch
                await().atMost(Duration.ofSeconds(10))
                        .ignoreExceptions()
                        .until(() -> DashboardPage.count(browser, "article[data-input=" + killed + "][data-state=DOWN]")
                                == 1);
            } finally {
                browser.quit();
            }
        }
    }

    /** Creates a token on the Access page and returns it, read from the dialog that shows it once. */
    private static String createTokenFromThePage(WebDriver browser, String name, String role) {
        DashboardPage.js(browser, "location.hash = '#/access'");
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("token-form")).isDisplayed());
        browser.findElement(By.id("token-name")).sendKeys(name);
        DashboardPage.js(browser, "document.getElementById('token-role').value = '" + role + "'");
        browser.findElement(By.id("token-create")).click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("token-dialog")).isDisplayed());
        String token = DashboardPage.text(browser, "#token-value");
        assertThat(token).startsWith(name + ".");
        browser.findElement(By.id("token-close")).click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> DashboardPage.count(browser, "tr[data-token=" + name + "]") == 1);
        assertThat(DashboardPage.text(browser, "#token-value")).as("shown once").isEmpty();
        return token;
    }

    private static int whoami(HttpClient api, String base, String token) throws Exception {
        return api.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/whoami"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** The base64 SHA-256 of a certificate's public key, as chromium's --ignore-certificate-errors-spki-list wants. */
    private static String pin(Path certificate) throws Exception {
        byte[] spki = TestTls.read(certificate).getPublicKey().getEncoded();
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    }

    private static String createToken(HttpClient api, String base, String name, String role) throws Exception {
        HttpResponse<String> r = api.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens"))
                        .header("Authorization", "Bearer " + ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new ObjectMapper().readTree(r.body()).path("token").asText();
    }
}
