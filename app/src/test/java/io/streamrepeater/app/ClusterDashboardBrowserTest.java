package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.control.store.SecretKeyFile;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;

/**
 * The dashboard of a cluster node in a real browser (the same headless chromium as {@link DashboardBrowserTest}):
 * a one-node cluster on a real PostgreSQL, fed by a real ffmpeg and sending to a real nginx-rtmp. A one-node cluster
 * is a valid cluster: its node takes the lease of every channel with a live input, so the page must show the node
 * up, the channel owned by it, and the channel relayed by "this node" with its destinations connected here.
 */
class ClusterDashboardBrowserTest {
    private static final String TOKEN = "cluster-dashboard-token-7";
    private static final String PRIMARY_KEY = "cluster-dash-primary-1";
    private static final String BACKUP_KEY = "cluster-dash-backup-2";
    private static final String NODE = "solo";

    /** One PostgreSQL for the class; each test has its own database in it. */
    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aClusterNodeShowsItselfUpAndTheChannelItRelays(@TempDir Path tmp) throws Exception {
        Path media = ClusterNodes.primaryMedia();
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            String database = postgres.createDatabase();
            try (RunningServer server =
                            RunningServer.start(tmp.resolve("node"), nodeConfig(NODE, database, dest), null, true);
                    FfmpegPublisher primary = FfmpegPublisher.start(media, server.ingestUrl(PRIMARY_KEY))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> NODE.equals(server.channel("show").owner())
                                && server.destination("show", "main").state() == DestinationState.LIVE);
                String base = "http://127.0.0.1:" + server.server.httpPort();
                JsonNode cluster = get(base + "/api/v1/cluster");
                String version = cluster.path("nodes").get(0).path("version").asText();
                assertThat(version).isEqualTo(Server.version());

                WebDriver browser = DashboardBrowserTest.startBrowser(tmp.resolve("chromium-profile"));
                try {
                    DashboardPage.signIn(browser, base, TOKEN);
                    clusterCard(browser, version);
                    DashboardPage.screenshot(browser, "dashboard-cluster.png");
                    channelPage(browser);
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /**
     * Two nodes in this JVM on one PostgreSQL: the primary's encoder on node a (which takes the channel), the
     * backup's on node b (forwarded to a). Node b's page names node a as the relay and as the node that connects
     * the destinations; node a's page shows the backup as connected on node b.
     */
    @Test
    void aNodeThatDoesNotRelayTheChannelNamesTheNodeThatDoes(@TempDir Path tmp) throws Exception {
        Path media = ClusterNodes.primaryMedia();
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            String database = postgres.createDatabase();
            try (RunningServer a = RunningServer.start(tmp.resolve("a"), nodeConfig("a", database, dest), null, true);
                    FfmpegPublisher primary = FfmpegPublisher.start(media, a.ingestUrl(PRIMARY_KEY))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> "a".equals(a.channel("show").owner())
                                && a.destination("show", "main").state() == DestinationState.LIVE);
                // every node of a cluster has the same secret key file (the cluster link is signed with it)
                Path bData = Files.createDirectories(tmp.resolve("b").resolve("data"));
                Files.copy(
                        tmp.resolve("a").resolve("data").resolve(SecretKeyFile.FILE_NAME),
                        bData.resolve(SecretKeyFile.FILE_NAME));
                try (RunningServer b =
                                RunningServer.start(tmp.resolve("b"), nodeConfig("b", database, dest), null, true);
                        FfmpegPublisher backup = FfmpegPublisher.start(media, b.ingestUrl(BACKUP_KEY))) {
                    await().atMost(Duration.ofSeconds(30))
                            .until(() ->
                                    "b".equals(a.channel("show").inputs().get(1).node())
                                            && "a".equals(b.channel("show").owner()));
                    WebDriver browser = DashboardBrowserTest.startBrowser(tmp.resolve("chromium-profile"));
                    try {
                        DashboardPage.signIn(browser, "http://127.0.0.1:" + b.server.httpPort(), TOKEN);
                        await().atMost(Duration.ofSeconds(10))
                                .ignoreExceptions()
                                .until(() ->
                                        "up".equals(DashboardPage.text(browser, "tr[data-node=a] [data-field=state]"))
                                                && "up"
                                                        .equals(DashboardPage.text(
                                                                browser, "tr[data-node=b] [data-field=state]"))
                                                && "a"
                                                        .equals(DashboardPage.text(
                                                                browser, "tr[data-lease=show] [data-field=owner]")));
                        assertThat(DashboardPage.js(
                                        browser, "return document.querySelector('tr[data-node=a] [data-field=self]')"))
                                .isNull();
                        assertThat(DashboardPage.text(browser, "tr[data-node=b] [data-field=self]"))
                                .isEqualTo("this node");
                        DashboardPage.openChannel(browser);
                        await().atMost(Duration.ofSeconds(10))
                                .ignoreExceptions()
                                .until(() -> "relayed by node a"
                                        .equals(DashboardPage.js(
                                                browser, "return document.getElementById('owner').textContent")));
                        assertThat(DashboardPage.text(browser, "#destinations [data-hint=elsewhere]"))
                                .as("node b lists no destinations: it says who connects them")
                                .contains("connected by node a");
                        assertThat(DashboardPage.js(
                                        browser, "return document.querySelectorAll('[data-destination]').length"))
                                .isEqualTo(0L);
                        // b sees only its own encoder, which it forwards; it does not claim to feed anything
                        await().atMost(Duration.ofSeconds(10))
                                .ignoreExceptions()
                                .until(() -> DashboardPage.text(browser, "[data-input=backup] [data-field=forwarded]")
                                        .contains("forwarded to node a"));
                        assertThat(
                                        DashboardPage.js(
                                                browser,
                                                "return document.querySelectorAll('[data-field=feeds], [data-action=switch]').length"))
                                .isEqualTo(0L);
                        assertThat(DashboardPage.text(browser, "[data-input=primary] [data-field=elsewhere]"))
                                .contains("not connected to this node");
                        DashboardPage.screenshot(browser, "dashboard-cluster-follower.png");

                        DashboardPage.signIn(browser, "http://127.0.0.1:" + a.server.httpPort(), TOKEN);
                        DashboardPage.openChannel(browser);
                        await().atMost(Duration.ofSeconds(10))
                                .ignoreExceptions()
                                .until(() -> DashboardPage.text(browser, "[data-input=backup] [data-field=node]")
                                        .startsWith("on node b"));
                        assertThat(DashboardPage.js(
                                        browser,
                                        "return document.querySelector('[data-input=primary] [data-field=node]')"))
                                .as("the primary's encoder is connected to node a itself")
                                .isNull();
                        assertThat(DashboardPage.js(browser, "return document.getElementById('owner').textContent"))
                                .isEqualTo("relayed by this node");
                    } finally {
                        browser.quit();
                    }
                }
            }
        }
    }

    /** A node's configuration: the shared channel (primary, backup, one destination) and its own cluster block. */
    private static String nodeConfig(String node, String database, NginxRtmp dest) {
        return """
                server:
                  adminToken: "%s"
                  srtPort: 0
                  bind: 127.0.0.1
                  database: "%s"
                  cluster: { node: %s, address: 127.0.0.1, clusterPort: %d, leaseMs: 2000 }
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: "%s" }
                      - { name: backup, key: "%s" }
                    destinations:
                      - { name: main, url: "%s" }
                """.formatted(
                TOKEN, database, node, FreePorts.loopback(), PRIMARY_KEY, BACKUP_KEY, dest.rtmpUrl("live", "main-key"));
    }

    /** The channels list has the Cluster card: the node up, marked as this node, with its version and lease. */
    private static void clusterCard(WebDriver browser, String version) {
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> Boolean.FALSE.equals(
                                DashboardPage.js(browser, "return document.getElementById('cluster-card').hidden"))
                        && "up".equals(DashboardPage.text(browser, "tr[data-node=solo] [data-field=state]"))
                        && "solo (this node)"
                                .equals(DashboardPage.text(browser, "tr[data-lease=show] [data-field=owner]")));
        assertThat(DashboardPage.text(browser, "tr[data-node=solo] [data-field=name]"))
                .isEqualTo(NODE);
        assertThat(DashboardPage.text(browser, "tr[data-node=solo] [data-field=self]"))
                .isEqualTo("this node");
        assertThat(DashboardPage.text(browser, "tr[data-node=solo] [data-field=address]"))
                .isEqualTo("127.0.0.1");
        assertThat(DashboardPage.text(browser, "tr[data-node=solo] [data-field=version]"))
                .isEqualTo(version);
        assertThat(DashboardPage.text(browser, "tr[data-node=solo] [data-field=heartbeat]"))
                .endsWith(" ago");
        assertThat(DashboardPage.js(
                        browser, "return document.querySelector('tr[data-node=solo] [data-field=state]').className"))
                .asString()
                .contains("live");
        assertThat(DashboardPage.text(browser, "tr[data-lease=show] [data-field=epoch]"))
                .isEqualTo("1");
        assertThat(DashboardPage.text(browser, "tr[data-lease=show] [data-field=backup-ingests]"))
                .as("no backup ingest configured: nobody pushes one")
                .isEqualTo("—");
        assertThat(DashboardPage.js(browser, "return document.getElementById('cluster-error').hidden"))
                .isEqualTo(true);
    }

    /** The channel page names the owner ("this node" here) and shows the destinations this node connects. */
    private static void channelPage(WebDriver browser) {
        DashboardPage.openChannel(browser);
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> "relayed by this node"
                                .equals(DashboardPage.js(
                                        browser, "return document.getElementById('owner').textContent"))
                        && Boolean.FALSE.equals(
                                DashboardPage.js(browser, "return document.getElementById('owner').hidden"))
                        && "LIVE"
                                .equals(DashboardPage.js(
                                        browser,
                                        "return document.querySelector('[data-destination=main]').dataset.state")));
        assertThat(DashboardPage.js(browser, "return document.querySelector('[data-hint=elsewhere]') === null"))
                .as("the owner lists its destinations, it does not send the operator elsewhere")
                .isEqualTo(true);
        assertThat(DashboardPage.js(
                        browser, "return document.querySelector('[data-input=primary] [data-field=node]') === null"))
                .as("the encoder is connected to this node: no 'on node' line")
                .isEqualTo(true);
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
