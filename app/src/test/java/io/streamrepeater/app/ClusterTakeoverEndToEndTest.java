package io.streamrepeater.app;

import static io.streamrepeater.app.ClusterNodes.awaitOrShowLogs;
import static io.streamrepeater.app.ClusterNodes.awaitSessionsEnded;
import static io.streamrepeater.app.ClusterNodes.ingest;
import static io.streamrepeater.app.ClusterNodes.input;
import static io.streamrepeater.app.ClusterNodes.inputState;
import static io.streamrepeater.app.ClusterNodes.names;
import static io.streamrepeater.app.ClusterNodes.owner;
import static io.streamrepeater.app.ClusterNodes.recordings;
import static io.streamrepeater.app.ClusterNodes.secretKey;
import static io.streamrepeater.app.ClusterNodes.sentByEach;
import static io.streamrepeater.app.ClusterNodes.sessions;
import static io.streamrepeater.app.ClusterNodes.sizeOf;
import static io.streamrepeater.app.ClusterNodes.startBoth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.app.ClusterNodes.Node;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PostgresServer;
import io.streamrepeater.testkit.PublishEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes, each its own JVM on its own loopback address, on one real PostgreSQL; a real ffmpeg primary encoder on
 * node a, a real ffmpeg backup encoder on node b, two real nginx-rtmp destinations. Every check reads what the
 * destinations recorded (nginx's publish hooks and ffprobe), never only what the relay says about itself.
 */
class ClusterTakeoverEndToEndTest {
    private static final long LEASE_MS = 2_000;
    private static final String[] DESTINATIONS = {"d1", "d2"};

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

    private static Node node(Path tmp, String name, String host, String database, NginxRtmp dest, Path secretKey)
            throws Exception {
        return ClusterNodes.node(tmp, name, host, database, dest, secretKey, LEASE_MS);
    }

    @Test
    void theOwnerKilledTheNodeWithTheBackupTakesEveryDestinationOverWithOneReconnect(@TempDir Path tmp)
            throws Exception {
        Path primaryMedia = ClusterNodes.primaryMedia();
        Path backupMedia = ClusterNodes.backupMedia();
        String database = postgres.createDatabase();
        Path key = secretKey(tmp);
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            Node a = node(tmp, "a", "127.0.0.11", database, dest, key);
            Node b = node(tmp, "b", "127.0.0.12", database, dest, key);
            ServerProcess[] started = startBoth(a, b);
            ServerProcess nodeA = started[0];
            ServerProcess nodeB = started[1];
            try (nodeA;
                    nodeB;
                    FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, ingest(a, "cluster-primary-key"))) {
                // the primary's node takes the channel before the backup's node may ask (one lease later)
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> "a".equals(owner(nodeA)) && allLive(nodeA) && sentByEach(nodeA) > 100);
                try (FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, ingest(b, "cluster-backup-key"))) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> inputState(nodeB, "backup").equals("STANDBY")
                                    || inputState(nodeB, "backup").equals("ACTIVE"));
                    // the backup's encoder is on b: b forwards it to the owner over the cluster link
                    awaitOrShowLogs(() -> inputState(nodeA, "backup").equals("STANDBY"), nodeA, nodeB);
                    assertThat(input(nodeA, "backup").path("node").asText()).isEqualTo("b");
                    assertThat(input(nodeA, "primary").path("node").isNull()).isTrue();
                    assertThat(input(nodeB, "backup").path("node").isNull()).isTrue();
                    JsonNode cluster = nodeB.get("/api/v1/cluster");
                    // the cluster's answer has the fields openapi.json documents (OpenApiResponsesEndToEndTest
                    // walks every other answer; this one needs two nodes)
                    OpenApiSchemaWalk walk = new OpenApiSchemaWalk(OpenApiSchemaWalk.serversDocument());
                    walk.checkAnswer("GET", "/api/v1/cluster", 200, cluster);
                    assertThat(walk.problems()).isEmpty();
                    assertThat(cluster.path("node").asText()).isEqualTo("b");
                    assertThat(names(cluster.path("nodes"))).containsExactly("a", "b");
                    cluster.path("nodes")
                            .forEach(n -> assertThat(n.path("state").asText()).isEqualTo("up"));
                    JsonNode lease = cluster.path("channels").get(0);
                    assertThat(lease.path("name").asText()).isEqualTo("show");
                    assertThat(lease.path("owner").asText()).isEqualTo("a");
                    assertThat(lease.path("epoch").asLong()).isEqualTo(1);
                    assertThat(nodeB.get("/api/v1/channels/show").path("destinations"))
                            .as("a node that does not hold the channel connects no destination")
                            .isEmpty();
                    assertThat(owner(nodeB)).isEqualTo("a");
                    for (String d : DESTINATIONS) {
                        assertThat(sessions(dest, PublishEvent.Kind.PUBLISH, d)).isEqualTo(1);
                    }

                    nodeA.kill();
                    assertThat(nodeA.waitFor(Duration.ofSeconds(10))).isPresent();

                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> "b".equals(owner(nodeB)) && allLive(nodeB) && sentByEach(nodeB) > 150);
                    assertThat(nodeB.get("/api/v1/cluster")
                                    .path("channels")
                                    .get(0)
                                    .path("epoch")
                                    .asLong())
                            .as("a new tenure")
                            .isEqualTo(2);
                    JsonNode nodes = nodeB.get("/api/v1/cluster").path("nodes");
                    assertThat(nodes.get(0).path("state").asText()).isEqualTo("down");
                    String metrics = nodeB.call("GET", "/metrics", null).body();
                    assertThat(metrics)
                            .contains("streamrepeater_cluster_lease_changes_total{reason=\"acquired\"} 1.0")
                            .contains("streamrepeater_cluster_channels_relayed 1.0")
                            .contains("streamrepeater_cluster_node_up{node=\"a\"} 0.0")
                            .contains("streamrepeater_cluster_node_up{node=\"b\"} 1.0");
                    assertThat(metrics).contains("streamrepeater_cluster_lease_renew_latency_seconds_count");
                    assertThat(nodeB.log())
                            .contains("event=lease-acquired channel=show node=b epoch=2")
                            .contains("event=relay-owner channel=show destinations=2");
                    // the cluster's events join the channel's stream (SSE, webhooks): a's death, b's new tenure
                    assertThat(nodeB.events())
                            .filteredOn(e -> e.path("channel").asText().equals("show"))
                            .extracting(e ->
                                    e.path("type").asText() + " " + e.path("to").asText())
                            .contains("NODE_DOWN a", "LEASE_ACQUIRED b");
                }
                nodeB.terminate();
                assertThat(nodeB.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            for (String d : DESTINATIONS) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> sessions(dest, PublishEvent.Kind.PUBLISH_DONE, d) == 2);
                ClusterNodes.assertSessions(dest, d, 2, nodeA, nodeB);
                List<Path> recordings = recordings(dest, d);
                assertThat(recordings).as("one recording per session of %s", d).hasSize(2);
                MediaReport first = Ffprobe.analyze(recordings.get(0));
                MediaReport second = Ffprobe.analyze(recordings.get(1));
                assertThat(first.width()).as("node a relayed the primary").isEqualTo(320);
                assertThat(second.width()).as("node b relayed the backup").isEqualTo(256);
                for (MediaReport r : List.of(first, second)) {
                    assertThat(r.decodeErrorLines()).isEmpty();
                    assertThat(r.firstVideoPacketIsKeyframe()).isTrue();
                    assertThat(r.videoDtsMonotonic()).isTrue();
                    assertThat(r.videoPackets()).isGreaterThan(30);
                }
            }
        }
    }

    /**
     * The owner frozen (SIGSTOP) for twice the lease, as a long GC pause or a frozen VM would: the other node takes
     * the channel, and the owner, resumed, writes nothing more to any destination (its late bytes would show as a
     * third session or as interleaved packets in the second). The destinations drop an idle publisher after 3 s
     * ({@code drop_idle_publisher}), as platforms do; until then they refuse the new owner's publish as a name in
     * use, which the new owner retries at once rather than after the long pause for a rejected key.
     */
    @Test
    void aFrozenOwnerResumedAfterItsLeaseWasTakenWritesNothingMore(@TempDir Path tmp) throws Exception {
        Path primaryMedia = ClusterNodes.primaryMedia();
        Path backupMedia = ClusterNodes.backupMedia();
        String database = postgres.createDatabase();
        Path key = secretKey(tmp);
        try (NginxRtmp dest = NginxRtmp.builder(tmp.resolve("dest"))
                .withIdlePublisherTimeout(Duration.ofSeconds(3))
                .start()) {
            Node a = node(tmp, "a", "127.0.0.21", database, dest, key);
            Node b = node(tmp, "b", "127.0.0.22", database, dest, key);
            ServerProcess[] started = startBoth(a, b);
            ServerProcess nodeA = started[0];
            ServerProcess nodeB = started[1];
            try (nodeA;
                    nodeB;
                    FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, ingest(a, "cluster-primary-key"));
                    FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, ingest(b, "cluster-backup-key"))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> "a".equals(owner(nodeA)) && allLive(nodeA) && sentByEach(nodeA) > 100);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> !inputState(nodeB, "backup").equals("DOWN"));

                nodeA.pause();
                try {
                    awaitOrShowLogs(() -> "b".equals(owner(nodeB)) && allLive(nodeB) && sentByEach(nodeB) > 30, nodeB);
                    // frozen for at least twice the lease in all, b holding the channel throughout
                    await().during(Duration.ofMillis(2 * LEASE_MS))
                            .atMost(Duration.ofMillis(2 * LEASE_MS + 5_000))
                            .until(() -> "b".equals(owner(nodeB)));
                } finally {
                    nodeA.resume();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> nodeA.log().contains("event=relay-fenced"));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> owner(nodeA) != null && owner(nodeA).equals("b") && sentByEach(nodeB) > 200);
                assertThat(nodeA.get("/api/v1/channels/show").path("destinations"))
                        .as("the resumed node relays nothing")
                        .isEmpty();
                assertThat(nodeA.log()).contains("event=lease-lost channel=show node=a epoch=1");
                nodeB.terminate();
                assertThat(nodeB.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            for (String d : DESTINATIONS) {
                awaitSessionsEnded(dest);
                ClusterNodes.assertSessions(dest, d, 2, nodeA, nodeB);
                // a refused attempt leaves an empty recording (at most an FLV header): only the two sessions have media
                List<Path> recordings = recordings(dest, d).stream()
                        .filter(f -> sizeOf(f) > 1_024)
                        .toList();
                assertThat(recordings).as("two recordings with media for %s", d).hasSize(2);
                MediaReport second = Ffprobe.analyze(recordings.get(1));
                assertThat(second.width()).as("node b relayed the backup").isEqualTo(256);
                assertThat(second.decodeErrorLines()).isEmpty();
                assertThat(second.videoDtsMonotonic()).isTrue();
                assertThat(second.firstVideoPacketIsKeyframe()).isTrue();
            }
        }
    }

    /**
     * The primary's encoder drops while its node owns the channel: the owner switches to the backup that node b
     * forwards over the cluster link, the seamless switch of a single node: the destinations keep their one session.
     */
    @Test
    void thePrimaryEncoderDropsTheOwnerSwitchesToTheForwardedBackupWithoutAReconnect(@TempDir Path tmp)
            throws Exception {
        Path primaryMedia = ClusterNodes.primaryMedia();
        Path backupMedia = ClusterNodes.backupMedia();
        String database = postgres.createDatabase();
        Path key = secretKey(tmp);
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            Node a = node(tmp, "a", "127.0.0.31", database, dest, key);
            Node b = node(tmp, "b", "127.0.0.32", database, dest, key);
            ServerProcess[] started = startBoth(a, b);
            ServerProcess nodeA = started[0];
            ServerProcess nodeB = started[1];
            try (nodeA;
                    nodeB) {
                FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, ingest(a, "cluster-primary-key"));
                try (FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, ingest(b, "cluster-backup-key"))) {
                    try {
                        awaitOrShowLogs(
                                () -> "a".equals(owner(nodeA))
                                        && allLive(nodeA)
                                        && sentByEach(nodeA) > 100
                                        && inputState(nodeA, "backup").equals("STANDBY"),
                                nodeA,
                                nodeB);
                    } finally {
                        primary.kill();
                    }
                    awaitOrShowLogs(
                            () -> nodeA.get("/api/v1/channels/show")
                                            .path("activeInput")
                                            .asText()
                                            .equals("backup")
                                    && sentByEach(nodeA) > 300,
                            nodeA,
                            nodeB);
                    assertThat(owner(nodeA)).as("the channel did not move").isEqualTo("a");
                    for (JsonNode d : nodeA.get("/api/v1/channels/show").path("destinations")) {
                        assertThat(d.path("reconnects").asLong()).isZero();
                    }
                }
                nodeA.terminate();
                assertThat(nodeA.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            awaitSessionsEnded(dest);
            for (String d : DESTINATIONS) {
                assertThat(sessions(dest, PublishEvent.Kind.PUBLISH, d))
                        .as("one session of %s", d)
                        .isEqualTo(1);
                List<Path> recordings = recordings(dest, d);
                assertThat(recordings).hasSize(1);
                MediaReport r = Ffprobe.analyze(recordings.get(0));
                assertThat(r.decodeErrorLines()).isEmpty();
                assertThat(r.videoDtsMonotonic()).isTrue();
                assertThat(r.audioDtsMonotonic()).isTrue();
                assertThat(r.videoPackets()).isGreaterThan(100);
            }
        }
    }

    /**
     * Drain node a (the owner) through node b's API while both encoders stream: a unpublishes every destination
     * first, then releases the lease; b connects them: one new session per destination, the first ended cleanly. The
     * dark time (a's last unpublish to b's last destination live) is printed, not asserted.
     */
    @Test
    void drainingTheOwnerHandsTheChannelOverBreakBeforeMake(@TempDir Path tmp) throws Exception {
        Path primaryMedia = ClusterNodes.primaryMedia();
        Path backupMedia = ClusterNodes.backupMedia();
        String database = postgres.createDatabase();
        Path key = secretKey(tmp);
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            Node a = node(tmp, "a", "127.0.0.51", database, dest, key);
            Node b = node(tmp, "b", "127.0.0.52", database, dest, key);
            ServerProcess[] started = startBoth(a, b);
            ServerProcess nodeA = started[0];
            ServerProcess nodeB = started[1];
            try (nodeA;
                    nodeB;
                    FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, ingest(a, "cluster-primary-key"));
                    FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, ingest(b, "cluster-backup-key"))) {
                awaitOrShowLogs(() -> ClusterNodes.relaysWithStandby(nodeA, "a", "backup"), nodeA, nodeB);
                assertThat(nodeB.call("POST", "/api/v1/cluster/nodes/nope/drain", "")
                                .statusCode())
                        .isEqualTo(404);
                java.net.http.HttpResponse<String> drained = nodeB.call("POST", "/api/v1/cluster/nodes/a/drain", "");
                assertThat(drained.statusCode()).isEqualTo(200);
                OpenApiSchemaWalk walk = new OpenApiSchemaWalk(OpenApiSchemaWalk.serversDocument());
                walk.checkAnswer(
                        "POST", "/api/v1/cluster/nodes/{node}/drain", 200, new ObjectMapper().readTree(drained.body()));
                awaitOrShowLogs(
                        () -> "b".equals(owner(nodeB)) && allLive(nodeB) && sentByEach(nodeB) > 100, nodeA, nodeB);
                assertThat(nodeA.get("/api/v1/cluster")
                                .path("nodes")
                                .get(0)
                                .path("state")
                                .asText())
                        .isEqualTo("draining");
                await().atMost(Duration.ofSeconds(10)).until(() -> nodeA.log().contains("event=drain-finished"));
                assertThat(nodeA.events())
                        .filteredOn(e -> e.path("channel").asText().equals("show"))
                        .extracting(e ->
                                e.path("type").asText() + " " + e.path("to").asText())
                        .containsSubsequence("LEASE_ACQUIRED a", "DRAIN_STARTED a", "DRAIN_FINISHED a");
                // a drained node takes no new publish (its encoders already publishing stay)
                try (FfmpegPublisher late = FfmpegPublisher.startOnce(backupMedia, ingest(a, "cluster-backup-key"))) {
                    assertThat(late.waitFor(Duration.ofSeconds(20)))
                            .as("refused, ffmpeg gives up")
                            .isPresent();
                }
                assertThat(nodeA.log())
                        .contains("event=publish-refused-draining input=show/backup")
                        .as("ffmpeg does not announce Enhanced RTMP's reconnect: it is not asked to move")
                        .contains("event=drain-encoders-asked node=a to=b asked=0");
                // a's primary encoder stays connected to a and is forwarded to the new owner
                awaitOrShowLogs(
                        () -> "a".equals(input(nodeB, "primary").path("node").asText()), nodeA, nodeB);
                String darkness = "drain darkness per destination (a's unpublish to b's live):";
                for (String d : DESTINATIONS) {
                    LocalTime unpublished =
                            logTime(nodeA, "destination-unpublished channel=show destination=" + d + " ");
                    LocalTime live = logTime(nodeB, "destination=" + d + " from=CONNECTING to=LIVE");
                    darkness += " " + d + "=" + java.time.temporal.ChronoUnit.MILLIS.between(unpublished, live) + "ms";
                }
                System.out.println(darkness);
                java.net.http.HttpResponse<String> undrained =
                        nodeB.call("POST", "/api/v1/cluster/nodes/a/undrain", "");
                assertThat(undrained.statusCode()).isEqualTo(200);
                walk.checkAnswer(
                        "POST",
                        "/api/v1/cluster/nodes/{node}/undrain",
                        200,
                        new ObjectMapper().readTree(undrained.body()));
                assertThat(walk.problems())
                        .as("drain and undrain answers against openapi.json")
                        .isEmpty();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> nodeA.get("/api/v1/cluster")
                                .path("nodes")
                                .get(0)
                                .path("state")
                                .asText()
                                .equals("up"));
                assertThat(owner(nodeB))
                        .as("undrain does not move the channel back")
                        .isEqualTo("b");
                nodeB.terminate();
                assertThat(nodeB.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            awaitSessionsEnded(dest);
            for (String d : DESTINATIONS) {
                ClusterNodes.assertSessions(dest, d, 2, nodeA, nodeB);
            }
        }
    }

    /** The time of the first line of a node's log that contains {@code text}. */
    private static LocalTime logTime(ServerProcess node, String text) {
        return node.log()
                .lines()
                .filter(l -> l.contains(text) && l.length() > 12 && Character.isDigit(l.charAt(0)))
                .map(l -> LocalTime.parse(l.substring(0, 12)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '" + text + "' in the log"));
    }

    private static boolean allLive(ServerProcess node) throws Exception {
        return ClusterNodes.allLive(node, DESTINATIONS.length);
    }
}
