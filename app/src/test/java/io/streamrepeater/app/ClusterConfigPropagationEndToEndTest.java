package io.streamrepeater.app;

import static io.streamrepeater.app.ClusterNodes.allLive;
import static io.streamrepeater.app.ClusterNodes.awaitOrShowLogs;
import static io.streamrepeater.app.ClusterNodes.awaitSessionsEnded;
import static io.streamrepeater.app.ClusterNodes.ingest;
import static io.streamrepeater.app.ClusterNodes.owner;
import static io.streamrepeater.app.ClusterNodes.recordings;
import static io.streamrepeater.app.ClusterNodes.sentByEach;
import static io.streamrepeater.app.ClusterNodes.sessions;
import static io.streamrepeater.app.ClusterNodes.sizeOf;
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
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, scenario 6: a configuration change made through node b's API while node a owns the channel goes live on
 * node a (PostgreSQL LISTEN/NOTIFY), through a's own validation and live-apply path: a new destination is connected by
 * a (a real nginx-rtmp sees its session, and its recording decodes), the destinations already there keep their one
 * session, and a disable, a removal and a deletion of the whole channel made on b are applied by a too. The delay from
 * b's answer to a's {@code channel-updated} line is printed for the report, not asserted (the machine is shared).
 */
class ClusterConfigPropagationEndToEndTest {
    private static final long LEASE_MS = 2_000;
    private static final String UPDATED = "event=channel-updated channel=show";

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
    void changesMadeOnNodeBGoLiveOnTheOwnerNodeA(@TempDir Path tmp) throws Exception {
        Path media = ClusterNodes.primaryMedia();
        String database = postgres.createDatabase();
        Path key = ClusterNodes.secretKey(tmp);
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            Node a = ClusterNodes.node(tmp, "a", "127.0.0.41", database, dest, key, LEASE_MS);
            Node b = ClusterNodes.node(tmp, "b", "127.0.0.42", database, dest, key, LEASE_MS);
            ServerProcess[] started = startBoth(a, b);
            ServerProcess nodeA = started[0];
            ServerProcess nodeB = started[1];
            try (nodeA;
                    nodeB;
                    FfmpegPublisher primary = FfmpegPublisher.start(media, ingest(a, "cluster-primary-key"))) {
                awaitOrShowLogs(
                        () -> "a".equals(owner(nodeA)) && allLive(nodeA, 2) && sentByEach(nodeA) > 100, nodeA, nodeB);
                assertThat(owner(nodeB)).isEqualTo("a");

                // (a) a destination added through b: a, the owner, connects to it
                List<Long> delays = new ArrayList<>();
                HttpResponse<String> added = timed(
                        nodeA,
                        delays,
                        () -> nodeB.call(
                                "POST",
                                "/api/v1/channels/show/destinations",
                                "{\"name\": \"d3\", \"url\": \"" + dest.rtmpUrl("live", "d3") + "\"}"));
                assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
                awaitOrShowLogs(() -> allLive(nodeA, 3) && sentByEach(nodeA) > 100, nodeA, nodeB);
                assertThat(nodeA.log()).contains("event=config-changed-elsewhere channel=show change=updated");
                assertThat(nodeB.log())
                        .as("a node hears its own change too, and applies nothing twice")
                        .doesNotContain("event=config-changed-elsewhere");
                assertThat(sessions(dest, PublishEvent.Kind.PUBLISH, "d3")).isEqualTo(1);
                for (JsonNode d : nodeA.get("/api/v1/channels/show").path("destinations")) {
                    assertThat(d.path("reconnects").asLong())
                            .as("destination %s", d.path("name").asText())
                            .isZero();
                }

                // (b) disabled, enabled again and removed through b: a follows every step
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> off = timed(
                            nodeA,
                            delays,
                            () -> nodeB.call("PATCH", "/api/v1/channels/show/destinations/d3", "{\"enabled\": false}"));
                    assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
                    awaitOrShowLogs(() -> destinationState(nodeA, "d3").equals("DISABLED"), nodeA, nodeB);
                    HttpResponse<String> on = timed(
                            nodeA,
                            delays,
                            () -> nodeB.call("PATCH", "/api/v1/channels/show/destinations/d3", "{\"enabled\": true}"));
                    assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
                    awaitOrShowLogs(() -> allLive(nodeA, 3), nodeA, nodeB);
                }
                HttpResponse<String> removed =
                        timed(nodeA, delays, () -> nodeB.call("DELETE", "/api/v1/channels/show/destinations/d3", null));
                assertThat(removed.statusCode()).as(removed.body()).isEqualTo(204);
                awaitOrShowLogs(() -> allLive(nodeA, 2), nodeA, nodeB);
                System.out.println("propagation b answer -> a channel-updated, ms: " + delays);

                // a channel created on b exists on a; the channel deleted on b stops on a
                HttpResponse<String> created = nodeB.call(
                        "POST",
                        "/api/v1/channels",
                        "{\"name\": \"extra\", \"inputs\": [{\"name\": \"primary\", \"key\": \"cluster-extra-key\"}]}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                awaitOrShowLogs(
                        () -> nodeA.call("GET", "/api/v1/channels/extra", null).statusCode() == 200, nodeA);
                assertThat(nodeA.log()).contains("event=config-changed-elsewhere channel=extra change=created");

                for (String d : List.of("d1", "d2")) {
                    assertThat(sessions(dest, PublishEvent.Kind.PUBLISH, d))
                            .as("%s kept its one session through every change", d)
                            .isEqualTo(1);
                }
                HttpResponse<String> deleted = nodeB.call("DELETE", "/api/v1/channels/show", null);
                assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
                awaitOrShowLogs(
                        () -> nodeA.call("GET", "/api/v1/channels/show", null).statusCode() == 404, nodeA);
                assertThat(nodeA.log()).contains("event=config-changed-elsewhere channel=show change=deleted");
                awaitSessionsEnded(dest);
            }
            for (String d : List.of("d1", "d2")) {
                assertThat(sessions(dest, PublishEvent.Kind.PUBLISH, d)).isEqualTo(1);
            }
            assertThat(sessions(dest, PublishEvent.Kind.PUBLISH, "d3"))
                    .as("d3: added, then three times disabled and enabled")
                    .isEqualTo(4);
            List<Path> d3 = recordings(dest, "d3").stream()
                    .filter(f -> sizeOf(f) > 1_024)
                    .toList();
            assertThat(d3).isNotEmpty();
            long d3VideoPackets = 0;
            for (Path recording : d3) {
                MediaReport r = Ffprobe.analyze(recording);
                d3VideoPackets += r.videoPackets();
                assertThat(r.decodeErrorLines()).as("%s", recording).isEmpty();
                assertThat(r.videoDtsMonotonic()).isTrue();
                assertThat(r.firstVideoPacketIsKeyframe()).isTrue();
                assertThat(r.width()).as("the primary's media").isEqualTo(320);
            }
            assertThat(d3VideoPackets).as("video d3 was sent over its sessions").isGreaterThan(60);
        }
    }

    /** A change through b's API; the delay from b's answer to a's next channel-updated line goes into {@code delays}. */
    private static HttpResponse<String> timed(ServerProcess owner, List<Long> delays, Change change) throws Exception {
        long before = count(owner.log(), UPDATED);
        HttpResponse<String> answer = change.run();
        LocalTime answered = LocalTime.now();
        awaitOrShowLogs(() -> count(owner.log(), UPDATED) > before, owner);
        String line = owner.log()
                .lines()
                .filter(l -> l.contains(UPDATED))
                .skip(before)
                .findFirst()
                .orElseThrow();
        LocalTime applied = LocalTime.parse(line.substring(0, 12));
        delays.add(ChronoUnit.MILLIS.between(answered, applied));
        return answer;
    }

    private static long count(String log, String needle) {
        return log.lines().filter(l -> l.contains(needle)).count();
    }

    private static String destinationState(ServerProcess node, String name) throws Exception {
        for (JsonNode d : node.get("/api/v1/channels/show").path("destinations")) {
            if (d.path("name").asText().equals(name)) {
                return d.path("state").asText();
            }
        }
        return "";
    }

    @FunctionalInterface
    private interface Change {
        HttpResponse<String> run() throws Exception;
    }
}
