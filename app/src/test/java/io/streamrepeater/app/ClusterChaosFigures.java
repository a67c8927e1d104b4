package io.streamrepeater.app;

import static io.streamrepeater.app.ClusterNodes.allLive;
import static io.streamrepeater.app.ClusterNodes.sentByEach;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.app.ClusterNodes.Node;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NetworkCut;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PostgresServer;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's chaos run of issue 19 (bench/cluster-chaos.sh): three nodes in their own JVMs on one real
 * PostgreSQL ({@code leaseMs: 2000}), the primary encoder on a, the first backup on b, the second on c, two
 * nginx-rtmp destinations. For {@code -Dbench.chaosMinutes} (30) minutes, every 10 to 25 s one of these hits at
 * random: the owner or a follower killed with SIGKILL (started again 5 to 15 s later with its encoder), the owner
 * frozen with SIGSTOP for one to three leases, the owner's network cut for one to three leases (every node runs in a
 * {@link NetworkCut} cgroup of its own), PostgreSQL stopped for 5 to 20 s, the owner drained (undrained once another
 * node relays). After each: the time until every destination is live again and sent media, and the new
 * publish sessions each destination got. The invariants: a follower's death and a store outage cost no session, an
 * owner's death, freeze, cut or drain exactly one per destination, and every recorded session decodes clean from a
 * keyframe with monotonic timestamps. Written to {@code target/cluster-chaos-figures.md}.
 */
@Tag("benchmark")
class ClusterChaosFigures {
    private static final long LEASE_MS = 2_000;
    private static final long MINUTES = Long.getLong("bench.chaosMinutes", 30);
    private static final String[] NAMES = {"a", "b", "c"};
    private static final String[] INPUTS = {"primary", "backup", "backup2"};
    private static final String[] DESTINATIONS = {"d1", "d2"};

    private record Hit(String action, String target, long mediaAgainMs, long newSessions, long expectedSessions) {}

    private Path media;
    private Node[] nodes;
    private final ServerProcess[] running = new ServerProcess[3];
    private final FfmpegPublisher[] encoders = new FfmpegPublisher[3];
    private final NetworkCut[] cuts = new NetworkCut[3];

    @Test
    void chaos(@TempDir Path tmp) throws Exception {
        media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "320x180", 30, "300k");
        Random random = new Random(Long.getLong("bench.seed", System.nanoTime()));
        List<Hit> hits = new ArrayList<>();
        try (PostgresServer postgres = PostgresServer.start();
                NginxRtmp dest = NginxRtmp.builder(tmp.resolve("dest"))
                        .withIdlePublisherTimeout(Duration.ofSeconds(3))
                        .start()) {
            String database = postgres.createDatabase();
            Path key = ClusterNodes.secretKey(tmp);
            nodes = new Node[3];
            for (int i = 0; i < 3; i++) {
                nodes[i] = ClusterNodes.node(
                        tmp, NAMES[i], "127.0.0.9" + (i + 1), database, dest, key, LEASE_MS, List.of(INPUTS));
            }
            try {
                for (int i = 0; i < 3; i++) {
                    cuts[i] = NetworkCut.create();
                    startNode(i);
                }
                awaitMedia(-1);
                long end = System.nanoTime() + Duration.ofMinutes(MINUTES).toNanos();
                while (System.nanoTime() < end) {
                    await().pollDelay(Duration.ofSeconds(10 + random.nextInt(16)))
                            .atMost(Duration.ofSeconds(40))
                            .until(() -> true);
                    int owner = owner();
                    long before = accepted(dest);
                    long start = System.nanoTime();
                    String action;
                    String target;
                    long expected;
                    long mediaAgainMs;
                    switch (random.nextInt(6)) {
                        case 0 -> { // the owner dies
                            action = "kill owner";
                            target = NAMES[owner];
                            expected = 1;
                            kill(owner);
                            awaitMedia(owner);
                            mediaAgainMs = since(start);
                            restartLater(owner, random, start);
                        }
                        case 1 -> { // a follower dies
                            int follower = (owner + 1 + random.nextInt(2)) % 3;
                            action = "kill follower";
                            target = NAMES[follower];
                            expected = 0;
                            kill(follower);
                            awaitMedia(follower);
                            mediaAgainMs = since(start);
                            restartLater(follower, random, start);
                        }
                        case 2 -> { // the owner freezes
                            action = "SIGSTOP owner";
                            target = NAMES[owner];
                            expected = 1;
                            running[owner].pause();
                            long frozenMs = LEASE_MS * (1 + random.nextInt(3));
                            try {
                                awaitMedia(owner);
                                mediaAgainMs = since(start);
                                long frozenSince = start;
                                await().atMost(Duration.ofMillis(frozenMs + 40_000))
                                        .until(() -> System.nanoTime() - frozenSince
                                                >= Duration.ofMillis(frozenMs).toNanos());
                            } finally {
                                running[owner].resume();
                            }
                        }
                        case 3 -> { // the store stops
                            action = "PostgreSQL stopped";
                            target = "store";
                            expected = 0;
                            long outageMs = 5_000 + random.nextInt(15_001);
                            postgres.stop();
                            try {
                                long stoppedAt = start;
                                await().atMost(Duration.ofMillis(outageMs + 10_000))
                                        .until(() -> System.nanoTime() - stoppedAt
                                                >= Duration.ofMillis(outageMs).toNanos());
                            } finally {
                                postgres.startAgain();
                            }
                            awaitMedia(-1);
                            mediaAgainMs = since(start);
                        }
                        case 4 -> { // the owner's network is cut, then healed
                            action = "network cut owner";
                            target = NAMES[owner];
                            expected = 1;
                            long cutMs = LEASE_MS * (1 + random.nextInt(3));
                            cuts[owner].cut();
                            try {
                                awaitMedia(owner);
                                mediaAgainMs = since(start);
                                long cutSince = start;
                                await().atMost(Duration.ofMillis(cutMs + 40_000))
                                        .until(() -> System.nanoTime() - cutSince
                                                >= Duration.ofMillis(cutMs).toNanos());
                            } finally {
                                cuts[owner].heal();
                            }
                        }
                        default -> { // the owner is drained, and undrained once the channel moved
                            action = "drain owner";
                            target = NAMES[owner];
                            expected = 1;
                            int other = (owner + 1) % 3;
                            running[other].call("POST", "/api/v1/cluster/nodes/" + NAMES[owner] + "/drain", "");
                            awaitMedia(owner);
                            mediaAgainMs = since(start);
                            running[other].call("POST", "/api/v1/cluster/nodes/" + NAMES[owner] + "/undrain", "");
                        }
                    }
                    awaitMedia(-1);
                    hits.add(new Hit(action, target, mediaAgainMs, accepted(dest) - before, expected));
                }
            } finally {
                for (int i = 0; i < 3; i++) {
                    if (encoders[i] != null) {
                        encoders[i].close();
                    }
                    if (running[i] != null) {
                        running[i].close();
                    }
                    if (cuts[i] != null) {
                        cuts[i].close();
                    }
                }
            }
            // the hits first, so that they are kept whatever the recordings say
            Files.writeString(Path.of("target", "cluster-chaos-figures.md"), table(hits, -1, List.of()));
            ClusterNodes.awaitSessionsEnded(dest);
            List<String> badRecordings = new ArrayList<>();
            int recordings = 0;
            for (String d : DESTINATIONS) {
                for (Path r : ClusterNodes.recordings(dest, d)) {
                    if (ClusterNodes.sizeOf(r) <= 1_024) {
                        continue; // a publish refused as a name in use leaves an empty recording
                    }
                    recordings++;
                    MediaReport m;
                    try {
                        m = Ffprobe.analyze(r);
                    } catch (RuntimeException e) {
                        badRecordings.add(r.getFileName() + ": "
                                + e.getMessage().lines().findFirst().orElse(""));
                        continue;
                    }
                    if (!m.decodeErrorLines().isEmpty() || !m.videoDtsMonotonic() || !m.firstVideoPacketIsKeyframe()) {
                        badRecordings.add(
                                r.getFileName() + ": " + m.decodeErrorLines().size() + " decode errors, dts "
                                        + (m.videoDtsMonotonic() ? "monotonic" : "NOT monotonic") + ", first keyframe "
                                        + m.firstVideoPacketIsKeyframe());
                    }
                }
            }
            String table = table(hits, recordings, badRecordings);
            Files.writeString(Path.of("target", "cluster-chaos-figures.md"), table);
            System.out.println(table);
            assertThat(badRecordings).isEmpty();
            assertThat(hits)
                    .allSatisfy(h -> assertThat(h.newSessions())
                            .as("%s %s", h.action(), h.target())
                            .isEqualTo(h.expectedSessions() * DESTINATIONS.length));
        }
    }

    private void startNode(int i) throws Exception {
        running[i] = ClusterNodes.start(nodes[i], cuts[i]);
        encoders[i] = FfmpegPublisher.start(media, ClusterNodes.ingest(nodes[i], "cluster-" + INPUTS[i] + "-key"));
    }

    private void kill(int i) throws Exception {
        running[i].kill();
        running[i].waitFor(Duration.ofSeconds(10));
        encoders[i].close();
    }

    private static long since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** Starts a killed node again 5 to 15 s after its death. */
    private void restartLater(int i, Random random, long start) throws Exception {
        long downMs = 5_000 + random.nextInt(10_001);
        await().atMost(Duration.ofMillis(downMs + 40_000))
                .until(() ->
                        System.nanoTime() - start >= Duration.ofMillis(downMs).toNanos());
        running[i].close();
        startNode(i);
    }

    /** The node relaying the channel, as the first node that answers says. */
    private int owner() {
        int[] owner = {-1};
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            for (ServerProcess n : running) {
                String name = n.get("/api/v1/channels/show").path("owner").asText();
                for (int i = 0; i < 3; i++) {
                    if (NAMES[i].equals(name)) {
                        owner[0] = i;
                        return true;
                    }
                }
            }
            return false;
        });
        return owner[0];
    }

    /** Waits (60 s at most) until a node other than {@code not} relays to every destination and sends media. */
    private void awaitMedia(int not) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            for (int i = 0; i < 3; i++) {
                if (i == not) {
                    continue;
                }
                ServerProcess n = running[i];
                if (allLive(n, DESTINATIONS.length)) {
                    long sent = sentByEach(n);
                    return await().atMost(Duration.ofSeconds(5)).until(() -> sentByEach(n), s -> s > sent + 15) > 0;
                }
            }
            return false;
        });
    }

    /** Sessions nginx accepted over both destinations: publish hooks minus the nodes' refused attempts. */
    private long accepted(NginxRtmp dest) {
        long publishes = dest.publishSessions().stream()
                .filter(e -> e.kind() == PublishEvent.Kind.PUBLISH)
                .count();
        long refused = 0;
        for (ServerProcess n : running) {
            if (n != null) {
                refused += n.log()
                        .lines()
                        .filter(l -> l.contains("Already publishing"))
                        .count();
            }
        }
        return publishes - refused;
    }

    private static String table(List<Hit> hits, int recordings, List<String> bad) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(
                Locale.ROOT,
                "leaseMs %d, %d minutes, %d hits, %d recorded sessions with media (-1: not read yet), %d bad%n%n",
                LEASE_MS,
                MINUTES,
                hits.size(),
                recordings,
                bad.size()));
        t.append("| action | hits | new sessions per destination (expected) | media again median / max ms |\n")
                .append("|---|---:|---|---:|\n");
        for (String action : List.of(
                "kill owner",
                "kill follower",
                "SIGSTOP owner",
                "network cut owner",
                "PostgreSQL stopped",
                "drain owner")) {
            List<Hit> of = hits.stream().filter(h -> h.action().equals(action)).toList();
            if (of.isEmpty()) {
                continue;
            }
            List<Long> times = of.stream().map(Hit::mediaAgainMs).sorted().toList();
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s (%d) | %d / %d |%n",
                    action,
                    of.size(),
                    of.stream()
                            .map(h -> Long.toString(h.newSessions() / DESTINATIONS.length))
                            .distinct()
                            .toList(),
                    of.get(0).expectedSessions(),
                    times.get(times.size() / 2),
                    times.get(times.size() - 1)));
        }
        bad.forEach(b -> t.append("bad: ").append(b).append('\n'));
        return t.toString();
    }
}
