package io.streamrepeater.app;

import static io.streamrepeater.app.ClusterNodes.allLive;
import static io.streamrepeater.app.ClusterNodes.inputState;
import static io.streamrepeater.app.ClusterNodes.sentByEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.app.ClusterNodes.Node;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PostgresServer;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Takeover figures of issue 19 (bench/cluster-takeover.sh): two nodes in their own JVMs on one real PostgreSQL,
 * {@code leaseMs: 3000}, a looping ffmpeg encoder on each node (the channel's primary on node a, its backup on
 * node b), two nginx-rtmp destinations. The node relaying the channel is killed with SIGKILL, the other takes it
 * over; the killed node is started again (its encoder with it) and becomes the follower; the next kill hits the new
 * owner. For every kill, from the survivor's log and the kill's moment (one machine, one clock): detection (kill to
 * {@code lease-acquired}), connect ({@code lease-acquired} to the last destination {@code LIVE}; a destination's
 * first frame is written when it goes live, in the same event-loop turn), media again (kill to that), and the new
 * publish sessions each destination got. Written to {@code target/cluster-takeover-figures.md}.
 */
@Tag("benchmark")
class ClusterTakeoverFigures {
    private static final long LEASE_MS = 3_000;
    private static final int KILLS = Integer.getInteger("bench.kills", 20);

    private record Kill(long detectionMs, long connectMs, long mediaAgainMs, long newSessionsPerDestination) {}

    @Test
    void takeoverAfterAKill(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "320x180", 30, "300k");
        List<Kill> kills = new ArrayList<>();
        try (PostgresServer postgres = PostgresServer.start();
                NginxRtmp dest = NginxRtmp.builder(tmp.resolve("dest"))
                        .withIdlePublisherTimeout(Duration.ofSeconds(3))
                        .start()) {
            String database = postgres.createDatabase();
            Path key = ClusterNodes.secretKey(tmp);
            Node[] nodes = {
                ClusterNodes.node(tmp, "a", "127.0.0.41", database, dest, key, LEASE_MS),
                ClusterNodes.node(tmp, "b", "127.0.0.42", database, dest, key, LEASE_MS)
            };
            // the primary's encoder publishes to node a, the backup's to node b, each with its node
            String[] inputs = {"primary", "backup"};
            ServerProcess[] running = new ServerProcess[2];
            FfmpegPublisher[] encoders = new FfmpegPublisher[2];
            try {
                for (int i = 0; i < 2; i++) {
                    running[i] = ClusterNodes.start(nodes[i]);
                    encoders[i] = FfmpegPublisher.start(media, ClusterNodes.ingest(nodes[i], key(inputs[i])));
                }
                int owner = awaitOwner(running, -1);
                for (int k = 0; k < KILLS; k++) {
                    int survivor = 1 - owner;
                    awaitRelaying(running[owner]);
                    long sessionsBefore = accepted(dest, "d1", running);
                    LocalTime killedAt = LocalTime.now();
                    running[owner].kill();
                    running[owner].waitFor(Duration.ofSeconds(10));
                    encoders[owner].close();
                    ServerProcess s = running[survivor];
                    await().atMost(Duration.ofSeconds(30)).until(() -> allLive(s, 2));
                    LocalTime lease = logTime(s, "event=lease-acquired channel=show", killedAt)
                            .orElseThrow();
                    LocalTime live = LocalTime.MIN;
                    for (String d : List.of("d1", "d2")) {
                        live = max(
                                live,
                                logTime(s, "destination=" + d + " from=CONNECTING to=LIVE", killedAt)
                                        .orElseThrow());
                    }
                    running[owner].close();
                    // the killed node comes back as a follower, its encoder with it
                    running[owner] = ClusterNodes.start(nodes[owner]);
                    encoders[owner] =
                            FfmpegPublisher.start(media, ClusterNodes.ingest(nodes[owner], key(inputs[owner])));
                    int o = owner;
                    await().atMost(Duration.ofSeconds(30))
                            .until(() ->
                                    inputState(running[survivor], inputs[o]).equals("STANDBY"));
                    kills.add(new Kill(
                            ms(killedAt, lease),
                            ms(lease, live),
                            ms(killedAt, live),
                            accepted(dest, "d1", running) - sessionsBefore));
                    owner = survivor;
                }
            } finally {
                for (int i = 0; i < 2; i++) {
                    if (encoders[i] != null) {
                        encoders[i].close();
                    }
                    if (running[i] != null) {
                        running[i].close();
                    }
                }
            }
        }
        String table = table(kills);
        Files.writeString(Path.of("target", "cluster-takeover-figures.md"), table);
        System.out.println(table);
        assertThat(kills).hasSize(KILLS);
        assertThat(kills)
                .allSatisfy(k -> assertThat(k.newSessionsPerDestination()).isEqualTo(1));
    }

    private static String key(String input) {
        return "cluster-" + input + "-key";
    }

    private static String table(List<Kill> kills) {
        StringBuilder t = new StringBuilder();
        t.append("leaseMs ")
                .append(LEASE_MS)
                .append(", ")
                .append(kills.size())
                .append(" kills; median / p90 / max in ms\n\n")
                .append("| figure | median | p90 | max |\n|---|---:|---:|---:|\n");
        row(
                t,
                "detection (kill to lease-acquired)",
                kills.stream().map(Kill::detectionMs).toList());
        row(
                t,
                "connect (lease-acquired to last destination LIVE)",
                kills.stream().map(Kill::connectMs).toList());
        row(
                t,
                "media again (kill to last destination LIVE)",
                kills.stream().map(Kill::mediaAgainMs).toList());
        t.append("\nnew sessions per destination per kill: ")
                .append(kills.stream().map(Kill::newSessionsPerDestination).toList())
                .append('\n');
        return t.toString();
    }

    private static void row(StringBuilder t, String name, List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        t.append(String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d |%n",
                name,
                sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1)),
                sorted.get(sorted.size() - 1)));
    }

    private static long ms(LocalTime from, LocalTime to) {
        return ChronoUnit.MILLIS.between(from, to);
    }

    private static LocalTime max(LocalTime a, LocalTime b) {
        return a.isAfter(b) ? a : b;
    }

    /** The time of the first log line after {@code after} that contains {@code text}. */
    private static Optional<LocalTime> logTime(ServerProcess node, String text, LocalTime after) {
        return node.log()
                .lines()
                .filter(l -> l.contains(text) && l.length() > 12 && Character.isDigit(l.charAt(0)))
                .map(l -> LocalTime.parse(l.substring(0, 12)))
                .filter(t -> !t.isBefore(after))
                .findFirst();
    }

    /** Publishes nginx accepted for a destination: its publish hooks minus the nodes' refused attempts. */
    private static long accepted(NginxRtmp dest, String d, ServerProcess[] nodes) {
        long publishes = dest.publishSessions().stream()
                .filter(e -> e.kind() == PublishEvent.Kind.PUBLISH && e.name().equals(d))
                .count();
        long refused = 0;
        for (ServerProcess n : nodes) {
            if (n != null) {
                refused += n.log()
                        .lines()
                        .filter(l -> l.contains("destination=" + d + " ") && l.contains("Already publishing"))
                        .count();
            }
        }
        return publishes - refused;
    }

    private static int awaitOwner(ServerProcess[] nodes, int not) {
        int[] owner = {-1};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String name = nodes[0].get("/api/v1/channels/show").path("owner").asText();
            owner[0] = name.equals("a") ? 0 : name.equals("b") ? 1 : -1;
            return owner[0] >= 0 && owner[0] != not && allLive(nodes[owner[0]], 2);
        });
        return owner[0];
    }

    private static void awaitRelaying(ServerProcess owner) {
        await().atMost(Duration.ofSeconds(30)).until(() -> allLive(owner, 2) && sentByEach(owner) > 60);
    }
}
