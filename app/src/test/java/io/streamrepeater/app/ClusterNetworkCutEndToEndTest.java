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
import static io.streamrepeater.app.ClusterNodes.sizeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.app.ClusterNodes.Node;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NetworkCut;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's network cut (a pulled cable, a switch failure): node a runs in a cgroup whose every packet the test
 * drops ({@link NetworkCut}), so it reaches neither PostgreSQL, nor node b, nor the destinations, nor its encoder, and
 * nobody reaches it; nothing is refused or reset, packets vanish. Cut off from the store and from every peer, a must
 * stop writing on its own (no peer can vouch for it), before b takes the channel; healed, a comes back as a follower
 * and forwards its encoder to b again. The destinations drop an idle publisher after 3 s ({@code
 * drop_idle_publisher}), as platforms do: a's connections, silent, stay open there until then.
 */
class ClusterNetworkCutEndToEndTest {
    private static final long LEASE_MS = 2_000;
    private static final String[] DESTINATIONS = {"d1", "d2"};

    @Test
    void theCutOffOwnerStopsBeforeTheOtherTakesOverAndRejoinsAsAFollowerWhenHealed(@TempDir Path tmp) throws Exception {
        Path primaryMedia = ClusterNodes.primaryMedia();
        Path backupMedia = ClusterNodes.backupMedia();
        Path key = secretKey(tmp);
        try (PostgresServer postgres = PostgresServer.start();
                NetworkCut cut = NetworkCut.create();
                NginxRtmp dest = NginxRtmp.builder(tmp.resolve("dest"))
                        .withIdlePublisherTimeout(Duration.ofSeconds(3))
                        .start()) {
            String database = postgres.createDatabase();
            Node a = ClusterNodes.node(tmp, "a", "127.0.0.101", database, dest, key, LEASE_MS);
            Node b = ClusterNodes.node(tmp, "b", "127.0.0.102", database, dest, key, LEASE_MS);
            ServerProcess nodeA = ClusterNodes.start(a, cut);
            ServerProcess nodeB;
            try {
                nodeB = ClusterNodes.start(b);
            } catch (Exception | Error e) {
                nodeA.close();
                throw e;
            }
            try (nodeA;
                    nodeB;
                    FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, ingest(a, "cluster-primary-key"));
                    FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, ingest(b, "cluster-backup-key"))) {
                awaitOrShowLogs(() -> ClusterNodes.relaysWithStandby(nodeA, "a", "backup"), nodeA, nodeB);

                cut.cut();
                try {
                    awaitOrShowLogs(
                            () -> "b".equals(owner(nodeB)) && allLive(nodeB, 2) && sentByEach(nodeB) > 30,
                            nodeA,
                            nodeB);
                    // cut for at least twice the lease in all, b holding the channel throughout
                    await().during(Duration.ofMillis(2 * LEASE_MS))
                            .atMost(Duration.ofMillis(2 * LEASE_MS + 5_000))
                            .until(() -> "b".equals(owner(nodeB)));
                } finally {
                    cut.heal();
                }
                // a stopped writing by itself, before b took the channel (both logs are stamped by this machine's
                // clock): it could not renew, and no peer answered its failsafe question
                LocalTime fenced = stamp(nodeA, "event=relay-fenced channel=show");
                LocalTime acquired = stamp(nodeB, "event=lease-acquired channel=show node=b epoch=2");
                assertThat(fenced).as("a fenced itself before b acquired").isBefore(acquired);
                assertThat(nodeA.log()).contains("event=failsafe-asking node=a");
                assertThat(nodeA.log()).doesNotContain("event=failsafe-confirmed");

                // healed: a rejoins as a follower, and its encoder's feed reaches the owner again over the link
                awaitOrShowLogs(() -> "b".equals(owner(nodeA)), nodeA, nodeB);
                await().atMost(Duration.ofSeconds(40))
                        .until(() ->
                                "a".equals(input(nodeB, "primary").path("node").asText())
                                        && !inputState(nodeB, "primary").equals("DOWN"));
                assertThat(nodeA.get("/api/v1/channels/show").path("destinations"))
                        .as("the rejoined node relays nothing")
                        .isEmpty();
                assertThat(nodeA.log()).contains("event=lease-lost channel=show node=a epoch=1");
                awaitOrShowLogs(
                        () -> nodeB.get("/api/v1/cluster")
                                .path("nodes")
                                .get(0)
                                .path("state")
                                .asText()
                                .equals("up"),
                        nodeA,
                        nodeB);
                long sentAtRejoin = sentByEach(nodeB);
                await().atMost(Duration.ofSeconds(20)).until(() -> sentByEach(nodeB) > sentAtRejoin + 60);
                nodeB.terminate();
                assertThat(nodeB.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            awaitSessionsEnded(dest);
            for (String d : DESTINATIONS) {
                // a's session before the cut, b's after: a's late bytes would show as a third session
                ClusterNodes.assertSessions(dest, d, 2, nodeA, nodeB);
                List<Path> files = recordings(dest, d).stream()
                        .filter(f -> sizeOf(f) > 1_024)
                        .toList();
                assertThat(files).as("two recordings with media for %s", d).hasSize(2);
                MediaReport first = Ffprobe.analyze(files.get(0));
                MediaReport second = Ffprobe.analyze(files.get(1));
                assertThat(first.width()).as("node a relayed the primary").isEqualTo(320);
                assertThat(second.firstVideoPacketIsKeyframe()).isTrue();
                for (MediaReport r : List.of(first, second)) {
                    assertThat(r.decodeErrorLines()).isEmpty();
                    assertThat(r.videoDtsMonotonic()).isTrue();
                }
            }
        }
    }

    /** When the first line containing {@code text} was logged (the log's HH:mm:ss.SSS stamp). */
    private static LocalTime stamp(ServerProcess node, String text) {
        String line = node.log()
                .lines()
                .filter(l -> l.contains(text))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + text + " in the log:\n" + node.log()));
        return LocalTime.parse(line.substring(0, 12));
    }
}
