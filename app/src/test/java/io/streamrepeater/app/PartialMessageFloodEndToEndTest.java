package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
            try (ServerProcess server = ServerProcess.start(config, tmp.resolve("data"), rtmp, FreePorts.loopback(), log,
                    TOKEN, List.of("-XX:MaxDirectMemorySize=96m"));
                 FfmpegPublisher encoder = FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + rtmp + "/live/" + KEY)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> "primary".equals(
                        server.get("/api/v1/channels/show").path("activeInput").asText(null)));
                Thread.sleep(1000);

                int refused = flood(rtmp);

                Thread.sleep(2000); // media keeps flowing after the attack
                JsonNode show = server.get("/api/v1/channels/show");
                assertThat(show.path("activeInput").asText()).isEqualTo("primary");
                assertThat(server.log()).as("the encoder's input never went down")
                        .doesNotContain("event=input-down channel=show input=primary");
                assertThat(server.log()).doesNotContain("Cannot reserve").doesNotContain("OutOfMemoryError")
                        .doesNotContain("OutOfDirectMemoryError");
                assertThat(refused).as("attackers closed by the server").isEqualTo(ADDRESSES * PER_ADDRESS);
                String metrics = server.call("GET", "/metrics", null).body();
                assertThat(metrics).contains("streamrepeater_ingest_rejected_connections_total{reason=\"max-message-size\"} "
                        + (ADDRESSES * PER_ADDRESS) + ".0");
                encoder.close();
                server.terminate();
                assertThat(server.waitFor(Duration.ofSeconds(20))).isPresent();
            }
            FailoverRig.checkRecording(dest, 100);
        }
    }

    /**
     * Runs the attack (bounded: 30 s at most) and returns how many attacker connections the server closed.
     */
    private static int flood(int port) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Boolean>> attacks = new ArrayList<>();
        try {
            for (int a = 0; a < ADDRESSES; a++) {
                String source = "127.0.0." + (41 + a);
                for (int i = 0; i < PER_ADDRESS; i++) {
                    attacks.add(pool.submit(() -> attack(source, port)));
                }
            }
            int closed = 0;
            for (Future<Boolean> f : attacks) {
                if (f.get(30, TimeUnit.SECONDS)) {
                    closed++;
                }
            }
            return closed;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** One attacker; true when the server closed its connection (the write or the read failed, or end of stream). */
    private static boolean attack(String source, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            // simple handshake: C0 C1 (zeros), S0 S1 S2 back, C2 echoes S1
            byte[] c0c1 = new byte[1 + 1536];
            c0c1[0] = 3;
            out.write(c0c1);
            byte[] s0s1s2 = new byte[1 + 1536 + 1536];
            in.readFully(s0s1s2);
            out.write(s0s1s2, 1, 1536);
            // SetChunkSize 8 MB on chunk stream 2
            out.write(new byte[] {0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0x00, (byte) 0x80, 0, 0});
            // the first chunk of a 16 MiB command message on chunk stream 3, and as much of it as the server takes
            out.write(ByteBuffer.allocate(12).put((byte) 0x03).put(new byte[] {0, 0, 0})
                    .put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}).put((byte) 0x14).putInt(0).array());
            byte[] block = new byte[64 * 1024];
            for (int sent = 0; sent < ATTEMPT_BYTES; sent += block.length) {
                out.write(block);
            }
            out.flush();
            // then idle, as the attackers did: the server must have closed by now, or close soon
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException closedByServer) {
            return true;
        }
    }
}
