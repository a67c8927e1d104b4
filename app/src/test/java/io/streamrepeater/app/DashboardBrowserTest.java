package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.InputState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser: Debian's headless chromium driven through the system chromedriver
 * (nothing downloaded), against a relay fed by two ffmpeg encoders and sending to nginx-rtmp.
 *
 * <p>Screenshots of the channel page go to {@code target/dashboard-screenshots}, or to the folder named
 * by the system property {@code dashboard.screenshots} ({@code -Ddashboard.screenshots=../docs}
 * refreshes the ones in the README).
 */
class DashboardBrowserTest {
    private static final String TOKEN = "dashboard-admin-token-42";
    private static final String PRIMARY_KEY = "dash-primary-key-1";
    private static final String BACKUP_KEY = "dash-backup-key-2";
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private WebDriver browser;

    @Test
    void operatorSignsInWatchesAFailoverRehearsesAndAddsADestination(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "640x360", 30, "600k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                NginxRtmp extra = NginxRtmp.start(tmp.resolve("extra"));
                RunningServer server = RunningServer.start(
                        tmp.resolve("relay"),
                        """
                     server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                     channels:
                       - name: show
                         inputs:
                           - { name: primary, key: "%s" }
                           - { name: backup, key: "%s" }
                         failover: { inputLossMs: 500, failback: manual }
                         destinations:
                           - { name: main, url: "%s", platform: youtube }
                     """.formatted(TOKEN, PRIMARY_KEY, BACKUP_KEY, dest.rtmpUrl("live", "main-key")),
                        null,
                        true,
                        null,
                        true);
                FfmpegPublisher primary = FfmpegPublisher.start(media, server.ingestUrl(PRIMARY_KEY))) {
            String base = "http://127.0.0.1:" + server.server.httpPort();
            assertDashboardServedWithoutTokenButApiGuarded(base);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> "primary".equals(server.channel("show").activeInput()));
            // the backup encoder publishes over SRT, as a bonded-cellular unit would
            try (FfmpegPublisher backup = FfmpegPublisher.startSrt(media, server.srtUrl(BACKUP_KEY))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> server.channel("show").inputs().get(1).state() == InputState.STANDBY);
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                browser = startBrowser(tmp.resolve("chromium-profile"));
                try {
                    signIn(base);
                    healthyChannel();
                    addDestinationFromThePage(server, extra.rtmpUrl("live", "extra-key"));
                    eventsNameDestinationsCollapseRetriesAndFilter(server, base);
                    rehearsalFromThePage();
                    switchBackToPrimaryFromThePage(server);
                    primaryKilled(server, primary);
                    keyAndDestinationActions(server);
                    serverRestarted(server, tmp.resolve("relay"), media);
                } finally {
                    browser.quit();
                }
            }
        }
    }

    private static void assertDashboardServedWithoutTokenButApiGuarded(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page =
                http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Stream Repeater</title>");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
        HttpResponse<String> api = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/channels")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);
    }

    private void signIn(String base) {
        browser.get(base + "/");
        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.id("sign-in")).click();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> browser.findElement(By.id("sign-in-error")).isDisplayed());
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("refused");

        browser.findElement(By.id("token")).clear();
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("sign-in")).click();
        // the channels list: active input, health at a glance, destinations live out of total
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(
                        () -> "primary"
                                        .equals(
                                                js(
                                                        "return document.querySelector('tr[data-channel=show] [data-field=active]').textContent"))
                                && "1 / 1"
                                        .equals(
                                                js(
                                                        "return document.querySelector('tr[data-channel=show] [data-field=destinations]').textContent"))
                                && "green"
                                        .equals(
                                                js(
                                                        "return document.querySelector('tr[data-channel=show] [data-health]').dataset.health")));
        assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN);
        assertThat(js("return sessionStorage.getItem('streamRepeater.adminToken')"))
                .isEqualTo(TOKEN);
        // a server that runs alone: the list was drawn after the cluster's 404, which hides the card and is no error
        assertThat(js("return document.getElementById('cluster-card').hidden")).isEqualTo(true);
        assertThat(js("return document.getElementById('toast').hidden")).isEqualTo(true);
        assertThat(js("return document.getElementById('connection').hidden")).isEqualTo(true);
        // the list is drawn again on every refresh: a row found just before one is gone, so look it up again
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            browser.findElement(By.cssSelector("tr[data-channel=show] a")).click();
            return browser.getCurrentUrl().contains("#/channels/show");
        });
    }

    private void healthyChannel() throws Exception {
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> "LIVE".equals(inputState("primary"))
                        && "STANDBY".equals(inputState("backup"))
                        && "LIVE".equals(destinationState("main"))
                        && "primary".equals(js("return document.getElementById('switch').dataset.active")));
        assertThat(js("return document.querySelector('[data-input=primary] [data-field=feeds]') !== null"))
                .isEqualTo(true);
        assertThat(js("return document.querySelector('[data-input=backup] [data-field=feeds]') === null"))
                .isEqualTo(true);
        // alone, nothing is said about nodes: no owner line, no input "on node"
        assertThat(js("return document.getElementById('owner').hidden")).isEqualTo(true);
        assertThat(js("return document.querySelectorAll('[data-input] [data-field=node]').length"))
                .isEqualTo(0L);
        assertThat(js("return document.querySelector('[data-input=primary] [data-field=format]').textContent"))
                .asString()
                .startsWith("AVC 640x360");
        // the destination's platform judges the inputs: YouTube recommends 3-8 Mb/s at 360p, the encoders send 600k
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> "warning"
                        .equals(js("return document.querySelector('[data-destination=main] [data-field=preflight]')"
                                + ".dataset.verdict")));
        assertThat(String.valueOf(js(
                        "return document.querySelector('[data-destination=main] [data-field=preflight]').textContent")))
                .startsWith("youtube warning")
                .contains("primary: bitrate 3000-8000 kbps recommended");
        // the meters have settled
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> String.valueOf(
                                        js(
                                                "return document.querySelector('[data-input=backup] [data-stat=bitrate]').textContent"))
                                .endsWith("kb/s")
                        && !String.valueOf(
                                        js(
                                                "return document.querySelector('[data-input=primary] [data-stat=bitrate]').textContent"))
                                .startsWith("0 ")
                        && String.valueOf(
                                        js(
                                                "return document.querySelector('[data-destination=main] [data-stat=bitrate]').textContent"))
                                .endsWith("kb/s"));
        // how each encoder publishes, and SRT's own view of the backup's link
        assertThat(js("return document.querySelector('[data-input=primary] [data-stat=transport]').textContent"))
                .isEqualTo("RTMP");
        assertThat(js("return document.querySelector('[data-input=primary] [data-field=srt]') === null"))
                .isEqualTo(true);
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> "SRT"
                                .equals(
                                        js(
                                                "return document.querySelector('[data-input=backup] [data-stat=transport]').textContent"))
                        && String.valueOf(
                                        js(
                                                "return document.querySelector('[data-input=backup] [data-stat=srt-rtt]').textContent"))
                                .endsWith(" ms")
                        && String.valueOf(
                                        js(
                                                "return document.querySelector('[data-input=backup] [data-stat=srt-latency]').textContent"))
                                .matches("\\d+ ms"));
        // ffmpeg is on the PATH: the live primary shows its picture, 320 pixels wide
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() -> ((Number) js(
                                        "const img = document.querySelector('[data-input=primary] img[data-field=thumbnail]');"
                                                + " return img && img.complete ? img.naturalWidth : 0"))
                                .intValue()
                        == 320);
    }

    private void addDestinationFromThePage(RunningServer server, String extraUrl) {
        browser.findElement(By.id("add-destination")).click();
        new Select(browser.findElement(By.id("destination-preset"))).selectByValue("twitch");
        assertThat(browser.findElement(By.id("destination-server")).getAttribute("value"))
                .isEqualTo("rtmp://live.twitch.tv/app/");
        new Select(browser.findElement(By.id("destination-preset"))).selectByValue("custom");
        browser.findElement(By.id("destination-name")).clear();
        browser.findElement(By.id("destination-name")).sendKeys("extra");
        browser.findElement(By.id("destination-server")).sendKeys(extraUrl);
        browser.findElement(By.id("destination-save")).click();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "LIVE".equals(destinationState("extra")));
        assertThat(server.destination("show", "extra").state()).isEqualTo(DestinationState.LIVE);
        assertThat(server.destination("show", "main").reconnects()).isZero();
    }

    /**
     * The event list names destinations (never their URL), shows a destination that keeps failing as one row with
     * a count instead of a row per attempt, and filters by kind.
     */
    private void eventsNameDestinationsCollapseRetriesAndFilter(RunningServer server, String base) throws Exception {
        int closed = io.streamrepeater.testkit.FreePorts.loopback();
        HttpResponse<String> added = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/channels/show/destinations"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"dead\",\"url\":\"rtmp://127.0.0.1:" + closed
                                                + "/live/dead-key\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).isEqualTo(201);
        // nothing listens there: connect, retry, connect, retry… (first retries within 1 and 2 s)
        await().atMost(Duration.ofSeconds(15))
                .until(() -> server.server.channel("show").events().since(0).stream()
                                .filter(e -> "dead".equals(e.destination()))
                                .count()
                        >= 4);
        await().atMost(Duration.ofSeconds(5))
                .ignoreExceptions()
                .until(() -> ((String)
                                js("return [...document.querySelectorAll('#timeline [data-type=DESTINATION_STATE]')]"
                                        + ".map(li => li.textContent).filter(t => t.includes('dead:')).join('\\n')"))
                        .contains("attempts"));
        String deadRows = (String) js("return [...document.querySelectorAll('#timeline [data-type=DESTINATION_STATE]')]"
                + ".map(li => li.textContent).filter(t => t.includes('dead:')).join('\\n')");
        assertThat(deadRows.lines()
                        .filter(l -> l.contains("retrying") || l.contains("connecting"))
                        .count())
                .as("the retries of one destination are one row: %s", deadRows)
                .isEqualTo(1);
        assertThat((String) js("return document.getElementById('timeline').textContent"))
                .as("destinations are named, never by their URL")
                .doesNotContain("rtmp://")
                .doesNotContain("dead-key");
        // filter: switches only
        js(
                "const f = document.getElementById('timeline-filter'); f.value = 'switch'; f.dispatchEvent(new Event('change'));");
        assertThat((Long) js("return document.querySelectorAll('#timeline li:not([data-type=SWITCH])').length"))
                .isZero();
        js(
                "const f = document.getElementById('timeline-filter'); f.value = 'all'; f.dispatchEvent(new Event('change'));");
        HttpResponse<String> removed = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/channels/show/destinations/dead"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(removed.statusCode()).isEqualTo(204);
    }

    private void rehearsalFromThePage() {
        browser.findElement(By.id("rehearse")).click();
        browser.findElement(By.id("rehearse-seconds")).clear();
        browser.findElement(By.id("rehearse-seconds")).sendKeys("2");
        browser.findElement(By.id("rehearse-start")).click();
        await().atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(() ->
                        !"running".equals(js("return document.getElementById('rehearsal-report').dataset.status")));
        assertThat(js("return document.getElementById('rehearsal-report').dataset.status"))
                .isEqualTo("passed");
        assertThat(field("failed-input")).isEqualTo("primary");
        assertThat(field("switched-to")).isEqualTo("backup");
        assertThat(field("destination-reconnects")).contains("main: 0").contains("extra: 0");
        assertThat(field("destinations-got")).contains("main: decodable").contains("extra: decodable");
        // the drill is on the timeline, from the event stream
        await().atMost(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(() -> Boolean.TRUE.equals(
                        js("return document.querySelector('#timeline [data-type=REHEARSAL_ENDED]') !== null")));
    }

    private void switchBackToPrimaryFromThePage(RunningServer server) throws Exception {
        // manual failback: the backup stays on air after the drill until the operator switches
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> "LIVE".equals(inputState("backup")));
        clickInTile("[data-input=primary] [data-action=switch]");
        browser.findElement(By.id("confirm-cancel")).click();
        // the dialog's close event (which would run the action) comes as a task after the click: hold a moment
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(server.channel("show").activeInput())
                        .as("cancelled: nothing switched")
                        .isEqualTo("backup"));

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "STANDBY".equals(inputState("primary")));
        clickInTile("[data-input=primary] [data-action=switch]");
        assertThat(browser.findElement(By.id("confirm-text")).getText())
                .contains("Switch channel show to input primary");
        browser.findElement(By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> "LIVE".equals(inputState("primary")) && "STANDBY".equals(inputState("backup")));
        assertThat(server.channel("show").activeInput()).isEqualTo("primary");
        // healthy again, with a drill and some bitrate history on the page
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> "green".equals(js("return document.getElementById('channel-health').dataset.health")));
        screenshot("dashboard-healthy.png");
    }

    private void primaryKilled(RunningServer server, FfmpegPublisher primary) throws Exception {
        primary.kill();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.channel("show").inputs().get(0).state() == InputState.DOWN
                        && "backup".equals(server.channel("show").activeInput()));
        // from the moment the server knows, the page shows it within 2 s (event stream, then a refresh)
        await().atMost(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(() -> "DOWN".equals(inputState("primary"))
                        && "LIVE".equals(inputState("backup"))
                        && "backup".equals(js("return document.getElementById('switch').dataset.active")));
        assertThat(js("return document.querySelector('[data-input=primary] [data-field=reason]').textContent"))
                .asString()
                .isNotBlank();
        await().atMost(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(() -> String.valueOf(
                                js(
                                        "return [...document.querySelectorAll('#timeline [data-type=SWITCH]')].map(e => e.textContent).join('|')"))
                        .contains("primary ➜ backup: input primary"));
        assertThat(js("return document.getElementById('channel-health').dataset.health"))
                .isEqualTo("amber");
        // a down input cannot take over: its switch is not offered (greyed out), not refused after a confirmation
        assertThat(js("return document.querySelector('[data-input=primary] [data-action=switch]').disabled"))
                .isEqualTo(true);
        screenshot("dashboard-failover.png");
    }

    /** Rotates the backup's key from the page (the new key is shown once), then disables and removes a destination. */
    private void keyAndDestinationActions(RunningServer server) {
        // the ingest URL and key are revealed only on click, and cleared when the dialog closes
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            browser.findElement(By.cssSelector("[data-input=primary] [data-action=show-ingest]"))
                    .click();
            return browser.findElement(By.id("ingest-dialog")).isDisplayed();
        });
        assertThat(browser.findElement(By.id("ingest-key")).getText()).isEqualTo(PRIMARY_KEY);
        assertThat(browser.findElement(By.id("ingest-url")).getText())
                .endsWith(":" + server.rtmpPort + "/live/" + PRIMARY_KEY);
        browser.findElement(By.id("ingest-close")).click();
        // a dialog's close event is dispatched as a task after the click: wait for it, then the key is gone
        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(js("return document.getElementById('ingest-key').textContent"))
                        .isEqualTo(""));

        clickInTile("[data-input=backup] [data-action=rotate-key]");
        assertThat(browser.findElement(By.id("confirm-text")).getText()).contains("new stream key");
        browser.findElement(By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(5))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("key-dialog")).isDisplayed());
        String key = browser.findElement(By.id("key-value")).getText();
        assertThat(key).isNotBlank().isNotEqualTo(BACKUP_KEY);
        browser.findElement(By.id("key-close")).click();
        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(js("return document.getElementById('key-value').textContent"))
                        .as("shown once")
                        .isEqualTo(""));
        assertThat(server.channel("show").activeInput())
                .as("the live encoder stays")
                .isEqualTo("backup");

        clickInTile("[data-destination=extra] [data-action=disable]");
        browser.findElement(By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(5))
                .ignoreExceptions()
                .until(() -> "DISABLED".equals(destinationState("extra")));
        clickInTile("[data-destination=extra] [data-action=remove]");
        browser.findElement(By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(5))
                .ignoreExceptions()
                .until(() ->
                        Boolean.TRUE.equals(js("return document.querySelector('[data-destination=extra]') === null")));
        assertThat(server.channel("show").destinations())
                .extracting(d -> d.name())
                .containsExactly("main");
    }

    /**
     * The server goes away and comes back on the same ports: the page says it lost the server, then
     * picks up both the state (polling) and the event stream (a new encoder's events on the timeline)
     * without a reload.
     */
    private void serverRestarted(RunningServer server, Path relayDir, Path media) throws Exception {
        int http = server.server.httpPort();
        int rtmp = server.rtmpPort;
        long inputUpsBefore = (Long) js("return document.querySelectorAll('#timeline [data-type=INPUT_UP]').length");
        server.close();
        await().atMost(Duration.ofSeconds(6))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("connection")).isDisplayed());
        // nothing on the page stays green while the server is down: every tile is shown stale, with the age
        assertThat((Long) js("return document.querySelectorAll('.tile').length"))
                .isPositive();
        assertThat((Long) js("return document.querySelectorAll('.tile:not(.stale)').length"))
                .as("tiles still live")
                .isZero();
        assertThat(browser.findElement(By.id("connection")).getText()).contains("s ago");
        Server again = Server.start(new ServerOptions(
                relayDir.resolve("stream-repeater.yaml"), relayDir.resolve("data"), rtmp, http, null));
        try (FfmpegPublisher encoder =
                FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + rtmp + "/live/" + PRIMARY_KEY)) {
            await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .until(() -> !browser.findElement(By.id("connection")).isDisplayed()
                            && "LIVE".equals(inputState("primary"))
                            && (Long) js("return document.querySelectorAll('#timeline [data-type=INPUT_UP]').length")
                                    > inputUpsBefore);
            assertThat(js("return sessionStorage.getItem('streamRepeater.adminToken')"))
                    .as("still signed in")
                    .isEqualTo(TOKEN);
            assertThat((Long) js("return document.querySelectorAll('.stale').length"))
                    .as("nothing stale once back")
                    .isZero();
        } finally {
            again.stop();
        }
    }

    /** Clicks a button inside a tile; tiles are redrawn on every refresh, so a stale one is looked up again. */
    private void clickInTile(String css) {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            browser.findElement(By.cssSelector(css)).click();
            return browser.findElement(By.id("confirm-dialog")).isDisplayed();
        });
    }

    private String inputState(String input) {
        return (String) js("return document.querySelector('[data-input=\"" + input + "\"]').dataset.state");
    }

    private String destinationState(String destination) {
        return (String) js("return document.querySelector('[data-destination=\"" + destination + "\"]').dataset.state");
    }

    private String field(String name) {
        return (String)
                js("return document.querySelector('#rehearsal-report [data-field=\"" + name + "\"]').textContent");
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void screenshot(String name) throws Exception {
        Path dir = Path.of(System.getProperty("dashboard.screenshots", "target/dashboard-screenshots"));
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * Debian's chromium through the system chromedriver. Both paths are given explicitly, so Selenium
     * Manager has nothing to look up or download.
     */
    static WebDriver startBrowser(Path profile) throws Exception {
        return startBrowser(profile, java.util.List.of());
    }

    /** As above, with more command-line switches for chromium (e.g. the key of a test certificate to trust). */
    static WebDriver startBrowser(Path profile, java.util.List<String> moreArguments) throws Exception {
        assertThat(CHROMEDRIVER)
                .as("chromedriver (Debian package chromium-driver; scripts/install-test-deps.sh)")
                .isExecutable();
        assertThat(CHROMIUM)
                .as("chromium (Debian package chromium; scripts/install-test-deps.sh)")
                .isExecutable();
        Files.createDirectories(profile);
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--window-size=1400,1500");
        options.addArguments(moreArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(5));
        return driver;
    }
}
