package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 1: peers without a stream key try to make the server hold megabytes of partly received messages
 * (160 connections from 8 addresses, within the per-address cap: handshake, an 8 MB chunk size, then the start of a
 * 16 MiB message, several MB of it, and no {@code connect}). The server runs in its own JVM with little direct memory
 * ({@code -XX:MaxDirectMemorySize=96m}), so a server that held what they send would run out of it. A real ffmpeg
 * encoder publishes meanwhile to an nginx-rtmp destination: it must never go down, and the recording must decode clean.
 */
class PartialMessageFloodEndToEndTest {
    private static final String TOKEN = "flood-test-admin-token";
    private static final String KEY = "flood-primary-key-0001";
    private static final int ADDRESSES = 8;
    private static final int PER_ADDRESS = 20;
    /** What each attacker tries to send of its 16 MiB message: over the whole attack, far more than 96 MB. */
    private static final int ATTEMPT_BYTES = 3 * 1024 * 1024;

    @Test
    void peersWithoutAKeyCannotTakeTheMemoryThePublishingEncoderNeeds(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "640x360", 30, "600k");
        Path log = tmp.resolve("server.log");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            Path config = tmp.resolve("show.yaml");
            Files.writeString(config, """
                    server: { srtPort: 0, adminToken: "%s" }
                    channels:
                      - name: show
                        inputs: [ { name: primary, key: "%s" } ]
                        failover: { inputLossMs: 500 }
                        destinations: [ { name: d, url: "%s" } ]
                    """.formatted(TOKEN, KEY, dest.rtmpUrl("live", "out")));
            int rtmp = FreePorts.loopback();
            try (ServerProcess server = ServerProcess.start(
                            config,
                            tmp.resolve("data"),
                            rtmp,
                            FreePorts.loopback(),
                            log,
                            TOKEN,
                            List.of("-XX:MaxDirectMemorySize=96m"));
                    FfmpegPublisher encoder =
                            FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + rtmp + "/live/" + KEY)) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> "primary"
                                .equals(server.get("/api/v1/channels/show")
                                        .path("activeInput")
                                        .asText(null)));
                flowFor(server, 70); // about a second of media reaches the destination

                long rssBefore = residentBytes(server.pid());
                int refused = PartialMessageFlood.run(rtmp, ADDRESSES, PER_ADDRESS, ATTEMPT_BYTES);

                flowFor(server, 140); // media keeps flowing after the attack
                long rssAfter = residentBytes(server.pid());
                System.out.printf(
                        "flood: server RSS %d MiB before, %d MiB after 160 x %d MiB attempted%n",
                        rssBefore >> 20, rssAfter >> 20, ATTEMPT_BYTES >> 20);
                assertThat(rssAfter - rssBefore)
                        .as("the server's resident memory grew by (bytes)")
                        .isLessThan(128L << 20);
                JsonNode show = server.get("/api/v1/channels/show");
                assertThat(show.path("activeInput").asText()).isEqualTo("primary");
                assertThat(server.log())
                        .as("the encoder's input never went down")
                        .doesNotContain("event=input-down channel=show input=primary");
                assertThat(server.log())
                        .doesNotContain("Cannot reserve")
                        .doesNotContain("OutOfMemoryError")
                        .doesNotContain("OutOfDirectMemoryError");
                assertThat(refused).as("attackers closed by the server").isEqualTo(ADDRESSES * PER_ADDRESS);
                String metrics = server.call("GET", "/metrics", null).body();
                assertThat(metrics)
                        .contains("streamrepeater_ingest_rejected_connections_total{reason=\"max-message-size\"} "
                                + (ADDRESSES * PER_ADDRESS) + ".0");
                encoder.close();
                server.terminate();
                assertThat(server.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            FailoverRig.checkRecording(dest, 100);
        }
    }

    /** VmRSS of a process, from {@code /proc/PID/status}. */
    private static long residentBytes(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS in /proc/" + pid + "/status");
    }

    /** Waits (bounded) until the destination has been sent {@code packets} more packets, read from the API. */
    private static void flowFor(ServerProcess server, long packets) throws Exception {
        long target = sent(server) + packets;
        await().atMost(Duration.ofSeconds(15)).until(() -> sent(server) >= target);
    }

    private static long sent(ServerProcess server) throws Exception {
        return server.get("/api/v1/channels/show")
                .path("destinations")
                .path(0)
                .path("packetsSent")
                .asLong();
    }
}
