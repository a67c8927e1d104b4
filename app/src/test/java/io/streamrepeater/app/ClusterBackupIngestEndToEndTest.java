package io.streamrepeater.app;

import static io.streamrepeater.app.ClusterNodes.awaitOrShowLogs;
import static io.streamrepeater.app.ClusterNodes.awaitSessionsEnded;
import static io.streamrepeater.app.ClusterNodes.ingest;
import static io.streamrepeater.app.ClusterNodes.owner;
import static io.streamrepeater.app.ClusterNodes.recordings;
import static io.streamrepeater.app.ClusterNodes.secretKey;
import static io.streamrepeater.app.ClusterNodes.sessions;
import static io.streamrepeater.app.ClusterNodes.startBoth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrepeater.app.ClusterNodes.Node;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PostgresServer;
import io.streamrepeater.testkit.PublishEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, "platforms with a backup ingest lose nothing": a destination with a {@code backupUrl} ({@code mode:
 * both}) gets its primary address pushed by the channel's owner and its backup address by the other node, so the
 * owner's death leaves the backup ingest's session untouched. Two node JVMs, a real PostgreSQL, real ffmpeg encoders
 * (primary on a, backup on b), a real nginx-rtmp destination standing for the platform's two ingests ({@code d1} and
 * {@code d1b}) and a plain destination ({@code d2}).
 */
class ClusterBackupIngestEndToEndTest {
    private static final long LEASE_MS = 2_000;

    @Test
    void theOwnersDeathLeavesTheBackupIngestPushedByTheOtherNodeWithoutAGap(@TempDir Path tmp) throws Exception {
        Path primaryMedia = ClusterNodes.primaryMedia();
        Path backupMedia = ClusterNodes.backupMedia();
        Path key = secretKey(tmp);
        try (PostgresServer postgres = PostgresServer.start();
                NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            String database = postgres.createDatabase();
            List<String> destinations = List.of(
                    "{ name: d1, url: \"" + dest.rtmpUrl("live", "d1") + "\", backupUrl: \""
                            + dest.rtmpUrl("live", "d1b") + "\" }",
                    "{ name: d2, url: \"" + dest.rtmpUrl("live", "d2") + "\" }");
            List<String> inputs = List.of("primary", "backup");
            Node a = ClusterNodes.node(tmp, "a", "127.0.0.71", database, key, LEASE_MS, inputs, destinations);
            Node b = ClusterNodes.node(tmp, "b", "127.0.0.72", database, key, LEASE_MS, inputs, destinations);
            ServerProcess[] started = startBoth(a, b);
            ServerProcess nodeA = started[0];
            ServerProcess nodeB = started[1];
            try (nodeA;
                    nodeB;
                    FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, ingest(a, "cluster-primary-key"));
                    FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, ingest(b, "cluster-backup-key"))) {
                // a owns and pushes the primary addresses; b pushes d1's backup ingest
                awaitOrShowLogs(
                        () -> "a".equals(owner(nodeA))
                                && live(nodeA).keySet().equals(java.util.Set.of("d1", "d2"))
                                && live(nodeB).keySet().equals(java.util.Set.of("d1/backup"))
                                && live(nodeB).get("d1/backup") > 100,
                        nodeA,
                        nodeB);
                awaitOrShowLogs(() -> "b".equals(backupIngestsBy(nodeA)), nodeA, nodeB);

                nodeA.kill();
                assertThat(nodeA.waitFor(Duration.ofSeconds(10))).isPresent();
                awaitOrShowLogs(
                        () -> "b".equals(owner(nodeB))
                                && live(nodeB).keySet().equals(java.util.Set.of("d1", "d2", "d1/backup"))
                                && live(nodeB).get("d1") > 100,
                        nodeB);
                assertThat(nodeB.log()).contains("event=backup-ingests-owner channel=show destinations=1");
                nodeB.terminate();
                assertThat(nodeB.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            awaitSessionsEnded(dest);
            assertThat(sessions(dest, PublishEvent.Kind.PUBLISH, "d1b"))
                    .as("the backup ingest's one session, through the owner's death")
                    .isEqualTo(1);
            List<Path> backupIngest = recordings(dest, "d1b");
            assertThat(backupIngest).hasSize(1);
            MediaReport r = Ffprobe.analyze(backupIngest.get(0));
            assertThat(r.width()).as("b pushes its own encoder, the backup").isEqualTo(256);
            assertThat(r.decodeErrorLines()).isEmpty();
            assertThat(r.videoDtsMonotonic()).isTrue();
            assertThat(r.maxVideoDtsGapMs()).as("no gap at the owner's death").isLessThanOrEqualTo(2 * 1000 / 30);
            for (String d : List.of("d1", "d2")) {
                ClusterNodes.assertSessions(dest, d, 2, nodeA, nodeB);
                List<Integer> widths = new ArrayList<>();
                for (Path recording : recordings(dest, d)) {
                    MediaReport m = Ffprobe.analyze(recording);
                    assertThat(m.decodeErrorLines()).isEmpty();
                    widths.add(m.width());
                }
                assertThat(widths)
                        .as("a relayed the primary, then b the backup")
                        .containsExactly(320, 256);
            }
        }
    }

    /**
     * The owner pushes the backup ingest itself while no other node has an input of the channel; when the backup's
     * encoder starts on b, the backup ingest moves to b: a unpublishes it cleanly before it gives the lease up, so the
     * platform has closed the session before b's publish arrives.
     */
    @Test
    void theBackupIngestMovesToTheOtherNodeWithACleanUnpublish(@TempDir Path tmp) throws Exception {
        Path primaryMedia = ClusterNodes.primaryMedia();
        Path backupMedia = ClusterNodes.backupMedia();
        Path key = secretKey(tmp);
        try (PostgresServer postgres = PostgresServer.start();
                NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            String database = postgres.createDatabase();
            List<String> destinations = List.of("{ name: d1, url: \"" + dest.rtmpUrl("live", "d1") + "\", backupUrl: \""
                    + dest.rtmpUrl("live", "d1b") + "\" }");
            List<String> inputs = List.of("primary", "backup");
            Node a = ClusterNodes.node(tmp, "a", "127.0.0.73", database, key, LEASE_MS, inputs, destinations);
            Node b = ClusterNodes.node(tmp, "b", "127.0.0.74", database, key, LEASE_MS, inputs, destinations);
            ServerProcess[] started = startBoth(a, b);
            ServerProcess nodeA = started[0];
            ServerProcess nodeB = started[1];
            try (nodeA;
                    nodeB;
                    FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, ingest(a, "cluster-primary-key"))) {
                // no other node has an input: a pushes both addresses
                awaitOrShowLogs(
                        () -> live(nodeA).keySet().equals(java.util.Set.of("d1", "d1/backup"))
                                && live(nodeA).get("d1/backup") > 100,
                        nodeA,
                        nodeB);
                awaitOrShowLogs(() -> "a".equals(backupIngestsBy(nodeB)), nodeA, nodeB);
                try (FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, ingest(b, "cluster-backup-key"))) {
                    awaitOrShowLogs(
                            () -> live(nodeA).keySet().equals(java.util.Set.of("d1"))
                                    && live(nodeB).keySet().equals(java.util.Set.of("d1/backup"))
                                    && live(nodeB).get("d1/backup") > 100,
                            nodeA,
                            nodeB);
                    awaitOrShowLogs(() -> "b".equals(backupIngestsBy(nodeA)), nodeA, nodeB);
                }
                assertThat(nodeA.log())
                        .as("a closed the backup ingest cleanly before it gave the lease up")
                        .contains("event=lease-closing lease=show#backup-ingests node=a")
                        .containsPattern(
                                "event=destination-unpublished channel=show destination=d1/backup .*written=true");
                assertThat(nodeA.log()).doesNotContain("event=backup-ingests-follower");
                nodeA.terminate();
                nodeB.terminate();
                assertThat(nodeA.waitFor(Duration.ofSeconds(20))).isPresent();
                assertThat(nodeB.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            awaitSessionsEnded(dest);
            ClusterNodes.assertSessions(dest, "d1b", 2, nodeA, nodeB);
            assertThat(nodeB.log()).as("the platform never saw two publishers").doesNotContain("Already publishing");
            List<Path> backupIngest = recordings(dest, "d1b");
            assertThat(backupIngest).hasSize(2);
            assertThat(Ffprobe.analyze(backupIngest.get(0)).width())
                    .as("a pushed its primary")
                    .isEqualTo(320);
            MediaReport second = Ffprobe.analyze(backupIngest.get(1));
            assertThat(second.width()).as("b pushes its own encoder").isEqualTo(256);
            assertThat(second.decodeErrorLines()).isEmpty();
            assertThat(second.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(sessions(dest, PublishEvent.Kind.PUBLISH, "d1"))
                    .as("the primary address: one session")
                    .isEqualTo(1);
        }
    }

    /** Who pushes the channel's backup ingests, as {@code GET /api/v1/cluster} on {@code node} says (null: nobody). */
    private static String backupIngestsBy(ServerProcess node) throws Exception {
        JsonNode by = node.get("/api/v1/cluster").path("channels").get(0).path("backupIngests");
        return by.isNull() || by.isMissingNode() ? null : by.asText();
    }

    /** The node's LIVE destination connections of the channel, with the packets sent to each. */
    private static Map<String, Long> live(ServerProcess node) throws Exception {
        Map<String, Long> live = new TreeMap<>();
        for (JsonNode d : node.get("/api/v1/channels/show").path("destinations")) {
            if (d.path("state").asText().equals("LIVE")) {
                live.put(d.path("name").asText(), d.path("packetsSent").asLong());
            }
        }
        return live;
    }
}
