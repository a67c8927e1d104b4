package io.streamrepeater.app;

import static io.streamrepeater.app.ClusterNodes.allLive;
import static io.streamrepeater.app.ClusterNodes.awaitOrShowLogs;
import static io.streamrepeater.app.ClusterNodes.awaitSessionsEnded;
import static io.streamrepeater.app.ClusterNodes.ingest;
import static io.streamrepeater.app.ClusterNodes.owner;
import static io.streamrepeater.app.ClusterNodes.recordings;
import static io.streamrepeater.app.ClusterNodes.secretKey;
import static io.streamrepeater.app.ClusterNodes.sentByEach;
import static io.streamrepeater.app.ClusterNodes.sessions;
import static io.streamrepeater.app.ClusterNodes.startBoth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.app.ClusterNodes.Node;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PostgresServer;
import io.streamrepeater.testkit.PublishEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, scenario 4: the shared PostgreSQL stops while a channel streams, and starts again. No node can take a
 * lease meanwhile, so the owner, which still reaches its peer over the cluster link, keeps its channel on the peer's
 * word (the failsafe) and every destination keeps its one session, with nothing missing. Two node processes, a real
 * PostgreSQL stopped with {@code pg_ctl}, real ffmpeg encoders, a real nginx-rtmp destination whose recordings are
 * read with ffprobe.
 *
 * <p>The outage lasts {@code -Dcluster.storeOutageSeconds} (16 s, eight leases, in the suite; {@code
 * bench/store-outage.sh} runs the 60 s).
 */
class ClusterStoreOutageEndToEndTest {
    private static final long LEASE_MS = 2_000;
    private static final String[] DESTINATIONS = {"d1", "d2"};
    private static final long OUTAGE_SECONDS = Long.getLong("cluster.storeOutageSeconds", 16);

    @Test
    void thePostgresStoreStopsAndStartsAgainTheOwnerKeepsEveryDestinationOnOneSession(@TempDir Path tmp)
            throws Exception {
        Path primaryMedia = ClusterNodes.primaryMedia();
        Path backupMedia = ClusterNodes.backupMedia();
        Path key = secretKey(tmp);
        long sentDuring;
        try (PostgresServer postgres = PostgresServer.start();
                NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            String database = postgres.createDatabase();
            Node a = ClusterNodes.node(tmp, "a", "127.0.0.61", database, dest, key, LEASE_MS);
            Node b = ClusterNodes.node(tmp, "b", "127.0.0.62", database, dest, key, LEASE_MS);
            ServerProcess[] started = startBoth(a, b);
            ServerProcess nodeA = started[0];
            ServerProcess nodeB = started[1];
            try (nodeA;
                    nodeB;
                    FfmpegPublisher primary = FfmpegPublisher.start(primaryMedia, ingest(a, "cluster-primary-key"));
                    FfmpegPublisher backup = FfmpegPublisher.start(backupMedia, ingest(b, "cluster-backup-key"))) {
                awaitOrShowLogs(() -> ClusterNodes.relaysWithStandby(nodeA, "a", "backup"), nodeA, nodeB);

                postgres.stop();
                long sentAtStop = sentByEach(nodeA);
                // the whole outage: a relays on b's word, b takes nothing
                await().pollInterval(Duration.ofMillis(500))
                        .during(Duration.ofSeconds(OUTAGE_SECONDS))
                        .atMost(Duration.ofSeconds(OUTAGE_SECONDS + 10))
                        .until(() -> allLive(nodeA, 2)
                                && nodeB.get("/api/v1/channels/show")
                                        .path("destinations")
                                        .isEmpty());
                sentDuring = sentByEach(nodeA) - sentAtStop;
                assertThat(sentDuring)
                        .as("packets sent to each destination during the %d s outage", OUTAGE_SECONDS)
                        .isGreaterThan(OUTAGE_SECONDS * 30);
                assertThat(nodeA.log()).contains("event=failsafe-asking node=a");
                assertThat(nodeB.log()).contains("event=failsafe-holding-off node=b for=a");
                assertThat(nodeB.call(
                                        "POST",
                                        "/api/v1/channels/show/destinations",
                                        "{\"name\": \"d3\", \"url\": \"" + dest.rtmpUrl("live", "d3") + "\"}")
                                .statusCode())
                        .as("configuration changes are refused while the store is down")
                        .isEqualTo(503);

                postgres.startAgain();
                // the same tenure goes on: renewed once the store answers, nothing moved
                awaitOrShowLogs(() -> nodeA.log().contains("event=failsafe-ended node=a"), nodeA, nodeB);
                long sentAtRestart = sentByEach(nodeA);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> sentByEach(nodeA) > sentAtRestart + 4 * LEASE_MS / 1000 * 30);
                assertThat(nodeA.get("/api/v1/cluster")
                                .path("channels")
                                .get(0)
                                .path("epoch")
                                .asLong())
                        .as("the tenure of before the outage")
                        .isEqualTo(1);
                assertThat(owner(nodeB)).isEqualTo("a");
                assertThat(nodeA.log()).doesNotContain("event=lease-lost");
                assertThat(nodeB.log()).doesNotContain("event=lease-acquired");
                nodeA.terminate();
                assertThat(nodeA.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            awaitSessionsEnded(dest);
            StringBuilder figures = new StringBuilder("store outage: " + OUTAGE_SECONDS + " s");
            for (String d : DESTINATIONS) {
                assertThat(sessions(dest, PublishEvent.Kind.PUBLISH, d))
                        .as("one session of %s throughout", d)
                        .isEqualTo(1);
                List<Path> files = recordings(dest, d);
                assertThat(files).hasSize(1);
                MediaReport r = Ffprobe.analyze(files.get(0));
                assertThat(r.width()).as("the primary's media").isEqualTo(320);
                assertThat(r.decodeErrorLines()).isEmpty();
                assertThat(r.videoDtsMonotonic()).isTrue();
                assertThat(r.maxVideoDtsGapMs()).as("nothing missing").isLessThanOrEqualTo(2 * 1000 / 30);
                assertThat(r.lastVideoDtsMs() - r.firstVideoDtsMs())
                        .as("the recording spans the outage")
                        .isGreaterThan(OUTAGE_SECONDS * 1000);
                figures.append("; ")
                        .append(d)
                        .append(": 1 session, ")
                        .append(r.lastVideoDtsMs() - r.firstVideoDtsMs())
                        .append(" ms of video, largest video DTS gap ")
                        .append(r.maxVideoDtsGapMs())
                        .append(" ms, ")
                        .append(r.decodeErrorLines().size())
                        .append(" decode errors");
            }
            System.out.println(figures + "; packets sent to each during the outage: " + sentDuring);
        }
    }
}
