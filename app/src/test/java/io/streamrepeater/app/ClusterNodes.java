package io.streamrepeater.app;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrepeater.control.store.SecretKeyFile;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.NetworkCut;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What the cluster end-to-end tests share: nodes as JVMs of their own on loopback addresses of their own, one shared
 * PostgreSQL database and secret key file, a channel {@code show} with a primary and a backup input and two
 * destinations ({@code d1}, {@code d2}) at one nginx-rtmp; and the reads of a node's API and a destination's sessions
 * the checks are made of.
 */
final class ClusterNodes {
    static final String TOKEN = "cluster-test-admin-token";

    private ClusterNodes() {}

    /** The primary encoder's media: 320x180 (a recording's width tells which encoder it carries), a 4 s loop. */
    static Path primaryMedia() {
        return TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x180", 30, "300k");
    }

    /** The backup encoder's media: 256x144, a 4 s loop. */
    static Path backupMedia() {
        return TestMedia.h264Aac(Duration.ofSeconds(4), 30, "256x144", 30, "250k");
    }

    /** A node: its configuration file (shared channels, its own bind address and name) and its data directory. */
    record Node(String name, String host, int rtmpPort, int httpPort, Path config, Path data, Path log) {}

    static Node node(Path tmp, String name, String host, String database, NginxRtmp dest, Path secretKey, long leaseMs)
            throws Exception {
        return node(tmp, name, host, database, dest, secretKey, leaseMs, List.of("primary", "backup"));
    }

    /** A node of a channel whose inputs are {@code inputs} in priority order, each with the key cluster-INPUT-key. */
    static Node node(
            Path tmp,
            String name,
            String host,
            String database,
            NginxRtmp dest,
            Path secretKey,
            long leaseMs,
            List<String> inputs)
            throws Exception {
        return node(
                tmp,
                name,
                host,
                database,
                secretKey,
                leaseMs,
                inputs,
                List.of(
                        "{ name: d1, url: \"" + dest.rtmpUrl("live", "d1") + "\" }",
                        "{ name: d2, url: \"" + dest.rtmpUrl("live", "d2") + "\" }"));
    }

    /** A node of a channel with these inputs and these destinations (each a YAML flow mapping). */
    static Node node(
            Path tmp,
            String name,
            String host,
            String database,
            Path secretKey,
            long leaseMs,
            List<String> inputs,
            List<String> destinations)
            throws Exception {
        StringBuilder destinationLines = new StringBuilder();
        for (String d : destinations) {
            destinationLines.append("\n      - ").append(d);
        }
        StringBuilder inputLines = new StringBuilder();
        for (String input : inputs) {
            inputLines
                    .append("\n      - { name: ")
                    .append(input)
                    .append(", key: \"cluster-")
                    .append(input)
                    .append("-key\" }");
        }
        Path data = Files.createDirectories(tmp.resolve("data-" + name));
        Files.copy(secretKey, data.resolve(SecretKeyFile.FILE_NAME));
        Path config = tmp.resolve(name + ".yaml");
        Files.writeString(config, """
                server:
                  adminToken: "%s"
                  srtPort: 0
                  database: "%s"
                  bind: %s
                  cluster: { node: %s, address: %s, clusterPort: %d, leaseMs: %d }
                channels:
                  - name: show
                    inputs:%s
                    destinations:%s
                """.formatted(
                TOKEN, database, host, name, host, FreePorts.loopback(), leaseMs, inputLines, destinationLines));
        return new Node(
                name,
                host,
                FreePorts.loopback(),
                FreePorts.loopback(),
                config,
                data,
                // kept after the test (target/test-logs), for a failure seen on CI
                Files.createDirectories(Path.of("target", "test-logs"))
                        .resolve("cluster-" + host + "-" + name + "-" + System.currentTimeMillis() + ".log"));
    }

    static ServerProcess start(Node n) throws Exception {
        return ServerProcess.start(
                n.config(), n.data(), n.rtmpPort(), n.httpPort(), n.log(), TOKEN, List.of(), n.host());
    }

    /** Starts the node inside {@code cut}'s cgroup, so that the test can cut its network. */
    static ServerProcess start(Node n, NetworkCut cut) throws Exception {
        return ServerProcess.start(
                n.config(), n.data(), n.rtmpPort(), n.httpPort(), n.log(), TOKEN, List.of(), n.host(), cut::wrap);
    }

    /** Starts both nodes; if the second does not start, the first is stopped too (no process left behind). */
    static ServerProcess[] startBoth(Node a, Node b) throws Exception {
        ServerProcess first = start(a);
        try {
            return new ServerProcess[] {first, start(b)};
        } catch (Exception | Error e) {
            first.close();
            throw e;
        }
    }

    static String ingest(Node n, String key) {
        return "rtmp://" + n.host() + ":" + n.rtmpPort() + "/live/" + key;
    }

    /** The cluster's shared secret key: the same file in every node's data directory. */
    static Path secretKey(Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("key"));
        SecretKeyFile.loadOrCreate(dir);
        return dir.resolve(SecretKeyFile.FILE_NAME);
    }

    /** Waits at most 20 s; on a timeout the failure carries the last lines of the nodes' logs. */
    static void awaitOrShowLogs(Callable<Boolean> condition, ServerProcess... nodes) {
        try {
            await().atMost(Duration.ofSeconds(20)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder logs = new StringBuilder();
            for (ServerProcess node : nodes) {
                String log = node.log();
                logs.append("\n--- ")
                        .append(node.pid())
                        .append(" ---\n")
                        .append(log.substring(Math.max(0, log.length() - 6_000)));
            }
            throw new AssertionError(e.getMessage() + logs, e);
        }
    }

    /** Waits (at most 20 s) until every publish at the destination has ended. */
    static void awaitSessionsEnded(NginxRtmp dest) {
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        sessions(dest, PublishEvent.Kind.PUBLISH) == sessions(dest, PublishEvent.Kind.PUBLISH_DONE));
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Path> recordings(NginxRtmp dest, String d) {
        return dest.recordings().stream()
                .filter(f -> f.getFileName().toString().startsWith(d + "-"))
                .toList();
    }

    static String owner(ServerProcess node) throws Exception {
        JsonNode owner = node.get("/api/v1/channels/show").path("owner");
        return owner.isNull() || owner.isMissingNode() ? null : owner.asText();
    }

    /** True if the node relays exactly {@code destinations} destinations of the channel, every one LIVE. */
    static boolean allLive(ServerProcess node, int destinations) throws Exception {
        JsonNode list = node.get("/api/v1/channels/show").path("destinations");
        if (list.size() != destinations) {
            return false;
        }
        for (JsonNode d : list) {
            if (!d.path("state").asText().equals("LIVE")) {
                return false;
            }
        }
        return true;
    }

    /** The fewest packets any destination of the channel was sent by this node. */
    static long sentByEach(ServerProcess node) throws Exception {
        long least = Long.MAX_VALUE;
        for (JsonNode d : node.get("/api/v1/channels/show").path("destinations")) {
            least = Math.min(least, d.path("packetsSent").asLong());
        }
        return least == Long.MAX_VALUE ? 0 : least;
    }

    static String inputState(ServerProcess node, String input) throws Exception {
        return input(node, input).path("state").asText();
    }

    static JsonNode input(ServerProcess node, String input) throws Exception {
        for (JsonNode i : node.get("/api/v1/channels/show").path("inputs")) {
            if (i.path("name").asText().equals(input)) {
                return i;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    static long sessions(NginxRtmp dest, PublishEvent.Kind kind) {
        return dest.publishSessions().stream().filter(s -> s.kind() == kind).count();
    }

    static long sessions(NginxRtmp dest, PublishEvent.Kind kind, String name) {
        return dest.publishSessions().stream()
                .filter(s -> s.kind() == kind && s.name().equals(name))
                .count();
    }

    /**
     * The destination {@code d} had {@code expected} sessions, all ended. nginx-rtmp runs its publish and publish_done
     * hooks for a publish it refuses as a name in use ("Already publishing", the only publisher of a name it allows
     * at a time) too, and the hooks' timestamps are taken by processes it starts, so their order is not the sessions'
     * order: the nodes' own logs say how many of their attempts were refused, and every other publish is a session.
     */
    static void assertSessions(NginxRtmp dest, String d, int expected, ServerProcess... nodes) {
        long refused = 0;
        for (ServerProcess node : nodes) {
            refused += node.log()
                    .lines()
                    .filter(l -> l.contains("destination=" + d + " ") && l.contains("Already publishing"))
                    .count();
        }
        long publishes = sessions(dest, PublishEvent.Kind.PUBLISH, d);
        org.assertj.core.api.Assertions.assertThat(sessions(dest, PublishEvent.Kind.PUBLISH_DONE, d))
                .isEqualTo(publishes);
        org.assertj.core.api.Assertions.assertThat(publishes - refused)
                .as("sessions of %s (%d publishes, %d refused): %s", d, publishes, refused, dest.publishSessions())
                .isEqualTo(expected);
    }

    /**
     * True once {@code node} says {@code owner} relays the channel, it relays both destinations live and has sent
     * each over 100 packets, and each of {@code standby} is a live input in standby there (forwarded or local).
     */
    static boolean relaysWithStandby(ServerProcess node, String owner, String... standby) throws Exception {
        if (!owner.equals(owner(node)) || !allLive(node, 2) || sentByEach(node) <= 100) {
            return false;
        }
        for (String input : standby) {
            if (!inputState(node, input).equals("STANDBY")) {
                return false;
            }
        }
        return true;
    }
}
