package io.streamrepeater.app;

import static io.streamrepeater.app.ClusterNodes.allLive;
import static io.streamrepeater.app.ClusterNodes.awaitOrShowLogs;
import static io.streamrepeater.app.ClusterNodes.awaitSessionsEnded;
import static io.streamrepeater.app.ClusterNodes.ingest;
import static io.streamrepeater.app.ClusterNodes.input;
import static io.streamrepeater.app.ClusterNodes.inputState;
import static io.streamrepeater.app.ClusterNodes.owner;
import static io.streamrepeater.app.ClusterNodes.recordings;
import static io.streamrepeater.app.ClusterNodes.secretKey;
import static io.streamrepeater.app.ClusterNodes.sentByEach;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.app.ClusterNodes.Node;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PostgresServer;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, scenario 7: three nodes, the primary encoder on a, the first backup on b, the second backup on c. Kill a:
 * b (the better input) owns; kill b: c owns and relays the second backup. Each destination records three sessions,
 * one per owner, each carrying that owner's encoder (told apart by resolution) and decoding clean. Three node JVMs on
 * their own loopback addresses, a real PostgreSQL, real ffmpeg encoders, a real nginx-rtmp destination.
 */
class ClusterThreeNodesEndToEndTest {
    private static final long LEASE_MS = 2_000;
    private static final String[] DESTINATIONS = {"d1", "d2"};
    private static final List<String> INPUTS = List.of("primary", "backup", "backup2");

    @Test
    void theOwnerKilledThenTheNextOwnerKilledTheThirdNodeRelaysTheSecondBackup(@TempDir Path tmp) throws Exception {
        Path primaryMedia = ClusterNodes.primaryMedia();
        Path backupMedia = ClusterNodes.backupMedia();
        Path backup2Media = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "192x108", 30, "200k");
        Path key = secretKey(tmp);
        try (PostgresServer postgres = PostgresServer.start();
                NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            String database = postgres.createDatabase();
            Node a = ClusterNodes.node(tmp, "a", "127.0.0.81", database, dest, key, LEASE_MS, INPUTS);
            Node b = ClusterNodes.node(tmp, "b", "127.0.0.82", database, dest, key, LEASE_MS, INPUTS);
            Node c = ClusterNodes.node(tmp, "c", "127.0.0.83", database, dest, key, LEASE_MS, INPUTS);
            List<ServerProcess> started = new ArrayList<>();
            try {
                for (Node n : List.of(a, b, c)) {
                    started.add(ClusterNodes.start(n));
                }
            } catch (Exception | Error e) {
                started.forEach(ServerProcess::close);
                throw e;
            }
            ServerProcess nodeA = started.get(0);
            ServerProcess nodeB = started.get(1);
            ServerProcess nodeC = started.get(2);
            try (nodeA;
                    nodeB;
                    nodeC;
                    FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, ingest(a, "cluster-primary-key"));
                    FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, ingest(b, "cluster-backup-key"));
                    FfmpegPublisher backup2 = FfmpegPublisher.start(backup2Media, ingest(c, "cluster-backup2-key"))) {
                awaitOrShowLogs(
                        () -> ClusterNodes.relaysWithStandby(nodeA, "a", "backup", "backup2"), nodeA, nodeB, nodeC);
                assertThat(input(nodeA, "backup2").path("node").asText()).isEqualTo("c");
                assertThat(nodeC.get("/api/v1/cluster").path("nodes")).hasSize(3);

                nodeA.kill();
                assertThat(nodeA.waitFor(Duration.ofSeconds(10))).isPresent();
                awaitOrShowLogs(
                        () -> "b".equals(owner(nodeB)) && allLive(nodeB, 2) && sentByEach(nodeB) > 100, nodeB, nodeC);
                assertThat(owner(nodeC))
                        .as("the first backup's node took it, not the second's")
                        .isEqualTo("b");
                // c's encoder is forwarded to the new owner
                awaitOrShowLogs(() -> inputState(nodeB, "backup2").equals("STANDBY"), nodeB, nodeC);

                nodeB.kill();
                assertThat(nodeB.waitFor(Duration.ofSeconds(10))).isPresent();
                awaitOrShowLogs(() -> "c".equals(owner(nodeC)) && allLive(nodeC, 2) && sentByEach(nodeC) > 100, nodeC);
                assertThat(nodeC.get("/api/v1/cluster")
                                .path("channels")
                                .get(0)
                                .path("epoch")
                                .asLong())
                        .as("three tenures")
                        .isEqualTo(3);
                assertThat(nodeC.events())
                        .filteredOn(e -> e.path("channel").asText().equals("show"))
                        .extracting(e ->
                                e.path("type").asText() + " " + e.path("to").asText())
                        .contains("NODE_DOWN a", "NODE_DOWN b", "LEASE_ACQUIRED c");
                nodeC.terminate();
                assertThat(nodeC.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            awaitSessionsEnded(dest);
            for (String d : DESTINATIONS) {
                ClusterNodes.assertSessions(dest, d, 3, nodeA, nodeB, nodeC);
                List<Integer> widths = new ArrayList<>();
                for (Path recording : recordings(dest, d)) {
                    MediaReport r = Ffprobe.analyze(recording);
                    assertThat(r.decodeErrorLines()).isEmpty();
                    assertThat(r.firstVideoPacketIsKeyframe()).isTrue();
                    assertThat(r.videoDtsMonotonic()).isTrue();
                    widths.add(r.width());
                }
                assertThat(widths)
                        .as("a relayed the primary, b the first backup, c the second backup")
                        .containsExactly(320, 256, 192);
            }
        }
    }
}
