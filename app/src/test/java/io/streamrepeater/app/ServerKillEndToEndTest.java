package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.DestinationState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server process is killed with SIGKILL in the middle of a burst of configuration writes: on
 * restart the store holds, for every channel, the last acknowledged version or the one in flight —
 * never a mix — and the channels come back live.
 */
class ServerKillEndToEndTest {
    private static final String TOKEN = "kill-test-admin-token";
    private static final int CHANNELS = 4;

    private static String channel(int c, int version) {
        return "{\"name\":\"burst-" + c + "\",\"inputs\":[{\"name\":\"primary\",\"key\":\"burst-" + c + "-v" + version
                + "-a\"},"
                + "{\"name\":\"backup\",\"key\":\"burst-" + c + "-v" + version + "-b\"}],"
                + "\"failover\":{\"inputLossMs\":" + (100 + version) + "}}";
    }

    @Test
    void killedDuringABurstOfWritesTheStoreIsIntactAndChannelsComeBack(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), 30, "320x180", 30, "300k");
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("server.log");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            Path config = tmp.resolve("show.yaml");
            Files.writeString(config, """
                    server: { rtmpPort: 1935, httpPort: 8080, srtPort: 0, adminToken: "%s" }
                    channels:
                      - name: show
                        inputs: [ { name: primary, key: "kill-primary-key" } ]
                        destinations: [ { name: d, url: "%s" } ]
                    """.formatted(TOKEN, dest.rtmpUrl("live", "out")));
            int rtmp = FreePorts.loopback();
            int httpPort = FreePorts.loopback();
            ServerProcess server = ServerProcess.start(config, data, rtmp, httpPort, log, TOKEN);
            Map<Integer, Integer> acknowledged = new HashMap<>();
            int killAfter = ThreadLocalRandom.current().nextInt(15, 60);
            try {
                int version = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (server.isAlive() && System.nanoTime() < deadline) {
                    version++;
                    int c = version % CHANNELS;
                    if (version == killAfter) {
                        // SIGKILL while this write is on its way
                        new Thread(server::kill).start();
                    }
                    try {
                        HttpResponse<String> r = server.call("PUT", "/api/v1/channels/burst-" + c, channel(c, version));
                        if (r.statusCode() / 100 == 2) {
                            acknowledged.put(c, version);
                        }
                    } catch (java.io.IOException killed) {
                        break;
                    }
                }
                assertThat(server.waitFor(Duration.ofSeconds(10))).isPresent();
            } finally {
                server.close();
            }
            assertThat(acknowledged)
                    .as("some writes were acknowledged before the kill")
                    .isNotEmpty();

            int http2 = FreePorts.loopback();
            try (ServerProcess again = ServerProcess.start(config, data, rtmp, http2, log, TOKEN)) {
                String exported =
                        again.call("GET", "/api/v1/config?secrets=true", null).body();
                for (int c = 0; c < CHANNELS; c++) {
                    Integer acked = acknowledged.get(c);
                    Matcher a = Pattern.compile("burst-" + c + "-v(\\d+)-a").matcher(exported);
                    Matcher b = Pattern.compile("burst-" + c + "-v(\\d+)-b").matcher(exported);
                    if (acked == null) {
                        continue; // never acknowledged: it may or may not exist, but must be whole if it does
                    }
                    assertThat(a.find())
                            .as("channel burst-%d is in the store:%n%s", c, exported)
                            .isTrue();
                    assertThat(b.find()).isTrue();
                    int stored = Integer.parseInt(a.group(1));
                    assertThat(Integer.parseInt(b.group(1)))
                            .as("both inputs from one version")
                            .isEqualTo(stored);
                    assertThat(stored)
                            .as("the acknowledged version or a later one in flight")
                            .isGreaterThanOrEqualTo(acked)
                            .isLessThanOrEqualTo(acked + CHANNELS);
                    assertThat(exported).contains("inputLossMs: " + (100 + stored));
                }
                // the channels come back live: the destination reconnects and an encoder publishes again
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> again.call("GET", "/api/v1/channels/show", null)
                                .body()
                                .contains("\"state\":\"" + DestinationState.LIVE + "\""));
                try (FfmpegPublisher enc =
                        FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + rtmp + "/live/kill-primary-key")) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> again.call("GET", "/api/v1/channels/show", null)
                                    .body()
                                    .contains("\"activeInput\":\"primary\""));
                }
                assertThat(List.of(again.call("GET", "/api/v1/channels", null).body()))
                        .allSatisfy(body -> assertThat(body).contains("burst-"));
            }
        }
    }

    /**
     * SIGKILL while an encoder publishes through two channels (one from the file, one created over the API): the
     * restarted server has every channel and destination again, a new encoder (an encoder reconnecting) is relayed,
     * and the destination gets a new publish session that decodes cleanly.
     */
    @Test
    void killedWhileLiveComesBackWithEveryChannelAndDestinationAndRelaysAReconnectingEncoder(@TempDir Path tmp)
            throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), 30, "320x180", 30, "300k");
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("server.log");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            Path config = tmp.resolve("show.yaml");
            Files.writeString(config, """
                    server: { rtmpPort: 1935, httpPort: 8080, srtPort: 0, adminToken: "%s" }
                    channels:
                      - name: show
                        inputs: [ { name: primary, key: "live-kill-primary" }, { name: backup, key: "live-kill-backup" } ]
                        destinations: [ { name: d, url: "%s" } ]
                    """.formatted(TOKEN, dest.rtmpUrl("live", "out")));
            int rtmp = FreePorts.loopback();
            String extra = """
                    {"name": "extra", "inputs": [{"name": "primary", "key": "live-kill-extra"}],
                     "destinations": [{"name": "e", "url": "%s"}]}
                    """.formatted(dest.rtmpUrl("live", "extra-out"));
            try (ServerProcess server = ServerProcess.start(config, data, rtmp, FreePorts.loopback(), log, TOKEN)) {
                assertThat(server.call("POST", "/api/v1/channels", extra).statusCode())
                        .isEqualTo(201);
                try (FfmpegPublisher enc =
                        FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + rtmp + "/live/live-kill-primary")) {
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> sessions(dest, PublishEvent.Kind.PUBLISH, "out") == 1
                                    && server.get("/api/v1/channels/show")
                                                    .path("destinations")
                                                    .get(0)
                                                    .path("packetsSent")
                                                    .asLong()
                                            > 150);
                    server.kill();
                    assertThat(server.waitFor(Duration.ofSeconds(10))).isPresent();
                    assertThat(enc.waitFor(Duration.ofSeconds(20)))
                            .as("the encoder notices the dead server")
                            .isPresent();
                }
            }
            // the kernel closed the destination's socket with the process: nginx ends that session by itself
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> sessions(dest, PublishEvent.Kind.PUBLISH_DONE, "out") == 1);

            try (ServerProcess again = ServerProcess.start(config, data, rtmp, FreePorts.loopback(), log, TOKEN)) {
                List<String> channels = new java.util.ArrayList<>();
                again.get("/api/v1/channels")
                        .forEach(c -> channels.add(c.path("name").asText()));
                assertThat(channels).containsExactlyInAnyOrder("show", "extra");
                List<String> inputs = new java.util.ArrayList<>();
                again.get("/api/v1/channels/show")
                        .path("inputs")
                        .forEach(i -> inputs.add(i.path("name").asText()));
                assertThat(inputs).containsExactly("primary", "backup");
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> destinationStates(again, "show").equals(List.of("d=LIVE"))
                                && destinationStates(again, "extra").equals(List.of("e=LIVE")));

                try (FfmpegPublisher enc =
                        FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + rtmp + "/live/live-kill-primary")) {
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> sessions(dest, PublishEvent.Kind.PUBLISH, "out") == 2
                                    && again.get("/api/v1/channels/show")
                                            .path("activeInput")
                                            .asText()
                                            .equals("primary")
                                    && again.get("/api/v1/channels/show")
                                                    .path("destinations")
                                                    .get(0)
                                                    .path("packetsSent")
                                                    .asLong()
                                            > 150);
                }
                again.terminate();
                assertThat(again.waitFor(Duration.ofSeconds(20))).contains(0);
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> sessions(dest, PublishEvent.Kind.PUBLISH_DONE, "out") == 2);
            List<Path> out = dest.recordings().stream()
                    .filter(f -> f.getFileName().toString().startsWith("out-"))
                    .toList();
            assertThat(out).as("one recording per publish session").hasSize(2);
            MediaReport after = Ffprobe.analyze(out.get(1));
            assertThat(after.decodeErrorLines()).isEmpty();
            assertThat(after.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(after.videoPackets())
                    .as("the reconnected encoder's video reached the destination")
                    .isGreaterThan(30);
        }
    }

    private static long sessions(NginxRtmp dest, PublishEvent.Kind kind, String name) {
        return dest.publishSessions().stream()
                .filter(s -> s.kind() == kind && s.name().equals(name))
                .count();
    }

    /** {@code NAME=STATE} of each destination of a channel, from the API. */
    private static List<String> destinationStates(ServerProcess server, String channel) throws Exception {
        List<String> states = new java.util.ArrayList<>();
        server.get("/api/v1/channels/" + channel)
                .path("destinations")
                .forEach(d -> states.add(
                        d.path("name").asText() + "=" + d.path("state").asText()));
        return states;
    }
}
