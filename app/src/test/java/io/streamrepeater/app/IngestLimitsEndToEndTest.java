package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * server.limits against real peers: slow attackers from other loopback addresses hold connections open while ffmpeg
 * publishes to the relay and an nginx-rtmp destination records what it relays.
 */
class IngestLimitsEndToEndTest {
    private static final int GOP = 60;
    private static final int FPS = 30;
    private static final String KEY = "primary-key-123";
    /** Eight attacking addresses; the encoder connects from 127.0.0.1. */
    private static final List<String> ATTACKERS =
            IntStream.rangeClosed(2, 9).mapToObj(i -> "127.0.0." + i).toList();

    private static String config(String limits, String destinationUrl) {
        return """
                server:
                  rtmpPort: 1935
                  httpPort: 0
                  srtPort: 0
                  limits: %s
                channels:
                  - name: show
                    inputs: [{ name: primary, key: "%s" }]
                    destinations: [{ name: a, url: "%s" }]
                """.formatted(limits, KEY, destinationUrl);
    }

    @Test
    void slowAttackersAreClosedByTheHandshakeTimeoutAndAnEncoderStillPublishes(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(8), GOP, "640x360", FPS, "800k");
        MediaReport sent = Ffprobe.analyze(media);
        try (NginxRtmp nginx = NginxRtmp.start(tmp.resolve("nginx"))) {
            // 25 attackers per address against a cap of 20: 40 are refused at once, 160 hold a slot each until the
            // 2 s handshake deadline, then come back. Without the per-address cap they would fill all 170 places.
            String yaml = config(
                    "{ handshakeTimeoutMs: 2000, publishTimeoutMs: 5000, maxConnections: 170,"
                            + " maxConnectionsPerAddress: 20 }",
                    nginx.rtmpUrl("live", "dest-a"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, null);
                    Slowloris attack = Slowloris.start(server.rtmpPort, ATTACKERS, 25, true, Duration.ofSeconds(120))) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> hits(server, "max-connections-per-address") >= ATTACKERS.size() * 5);

                try (FfmpegPublisher encoder = FfmpegPublisher.startOnce(media, server.ingestUrl(KEY))) {
                    assertThat(encoder.waitFor(Duration.ofSeconds(60)))
                            .as("ffmpeg finished; log:\n%s", encoder.log())
                            .contains(0);
                }
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> hits(server, "handshake-timeout") >= 160 && attack.closedByServer() >= 200);
                assertThat(attack.connects())
                        .as("the attackers kept coming back")
                        .isGreaterThan(200);
                assertThat(attack.connectFailures()).isZero();
                assertThat(hits(server, "max-connections"))
                        .as("the per-address cap kept places free")
                        .isZero();
                assertThat(hits(server, "publish-timeout"))
                        .as("the encoder published in time")
                        .isZero();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> server.channel("show").activeInput() == null);
            }
            assertRecordedCleanly(nginx, sent);
        }
    }

    @Test
    void connectionsBeyondThePerAddressCapAreRefusedWhileAnotherAddressPublishes(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), GOP, "640x360", FPS, "800k");
        MediaReport sent = Ffprobe.analyze(media);
        try (NginxRtmp nginx = NginxRtmp.start(tmp.resolve("nginx"))) {
            String yaml = config(
                    "{ handshakeTimeoutMs: 60000, publishTimeoutMs: 60000, maxConnectionsPerAddress: 5 }",
                    nginx.rtmpUrl("live", "dest-a"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, null, true);
                    Slowloris holders = Slowloris.start(
                            server.rtmpPort, List.of("127.0.0.2"), 10, false, Duration.ofSeconds(120))) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> holders.closedByServer() == 5 && holders.open() == 5);
                assertThat(hits(server, "max-connections-per-address")).isEqualTo(5);

                try (FfmpegPublisher encoder = FfmpegPublisher.startOnce(media, server.ingestUrl(KEY))) {
                    assertThat(encoder.waitFor(Duration.ofSeconds(60)))
                            .as("ffmpeg finished; log:\n%s", encoder.log())
                            .contains(0);
                }
                assertThat(holders.open())
                        .as("the five admitted connections stayed open throughout")
                        .isEqualTo(5);
                assertThat(holders.closedByServer()).isEqualTo(5);
                assertThat(metrics(server))
                        .contains(
                                "streamrepeater_ingest_rejected_connections_total{reason=\"max-connections-per-address\"} 5.0");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> server.channel("show").activeInput() == null);
            }
            assertRecordedCleanly(nginx, sent);
        }
    }

    private static long hits(RunningServer server, String limit) {
        return server.server.ingestLimitHits().get(limit);
    }

    private static String metrics(RunningServer server) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.server.httpPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build();
        return http.send(get, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The destination got one clean session: decodable, with (nearly) every video packet the encoder sent. */
    private static void assertRecordedCleanly(NginxRtmp nginx, MediaReport sent) throws Exception {
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        nginx.publishSessions().stream().anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
        assertThat(nginx.recordings()).hasSize(1);
        MediaReport got = Ffprobe.analyze(nginx.recordings().get(0));
        assertThat(got.decodeErrorLines()).as("decode errors").isEmpty();
        assertThat(got.videoPackets()).isBetween(sent.videoPackets() - GOP, sent.videoPackets());
        assertThat(got.firstVideoPacketIsKeyframe()).isTrue();
    }
}
