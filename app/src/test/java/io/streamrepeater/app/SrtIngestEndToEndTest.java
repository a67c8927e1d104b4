package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * SRT ingest through the whole server: the operator reveals an input's SRT URL (with its passphrase), ffmpeg
 * publishes MPEG-TS to it and the input goes live over SRT with SRT's own statistics in the API and the metrics;
 * callers with a wrong passphrase, an unexpected one or an unknown streamid are refused and logged without a secret.
 */
class SrtIngestEndToEndTest {
    private static final String TOKEN = "srt-admin-token-0a9b8c7d";
    private static final String CELL_KEY = "srt-cell-key-1e2f3a4b";
    private static final String PLAIN_KEY = "srt-plain-key-5c6d7e8f";
    private static final String PASSPHRASE = "cellular-passphrase-9a8b";
    private static final String WRONG_PASSPHRASE = "not-the-passphrase-7c6d";
    private static final String UNKNOWN_KEY = "srt-unknown-key-3e2f1a0b";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private String base;

    @BeforeEach
    void captureLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void stopCapture() {
        root().detachAppender(logs);
    }

    @Test
    void revealedSrtUrlPublishesWithItsPassphraseAndWrongCallersAreRefusedWithoutSecretsInTheLogs(@TempDir Path tmp)
            throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), 30, "320x180", 30, "300k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer server = RunningServer.start(
                        tmp.resolve("relay"),
                        """
                     server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                     channels:
                       - name: show
                         inputs:
                           - { name: cell, key: "%s", srtPassphrase: "%s" }
                           - { name: plain, key: "%s" }
                         destinations:
                           - { name: out, url: "%s" }
                     """.formatted(TOKEN, CELL_KEY, PASSPHRASE, PLAIN_KEY, dest.rtmpUrl("live", "out")),
                        null,
                        true,
                        null,
                        true)) {
            base = "http://127.0.0.1:" + server.server.httpPort();
            JsonNode reveal = json.readTree(get("/api/v1/channels/show/inputs/cell/ingest"));
            String srtUrl = reveal.get("srtUrl").asText();
            assertThat(srtUrl)
                    .isEqualTo("srt://127.0.0.1:" + server.server.srtPort() + "?streamid=" + CELL_KEY + "&passphrase="
                            + PASSPHRASE);
            assertThat(reveal.get("srtPassphrase").asText()).isEqualTo(PASSPHRASE);
            assertThat(get("/api/v1/channels/show/config")).contains("\"srtPassphrase\":\"****\"");

            try (FfmpegPublisher cell = FfmpegPublisher.startSrt(media, srtUrl)) {
                await().atMost(WAIT).until(() -> {
                    InputStatus i = server.channel("show").inputs().get(0);
                    return i.state() == InputState.ACTIVE
                            && "srt".equals(i.transport())
                            && i.srt() != null
                            && i.srt().packetsReceived() > 0;
                });
                server.awaitPacketsSent("show", "out", 60, WAIT);
                JsonNode input = json.readTree(get("/api/v1/channels/show"))
                        .get("inputs")
                        .get(0);
                assertThat(input.get("transport").asText()).isEqualTo("srt");
                assertThat(input.get("srt").get("latencyMs").asInt()).isGreaterThanOrEqualTo(120);
                assertThat(input.get("format").asText()).startsWith("AVC 320x180");
                String metrics = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(metrics)
                        .contains("streamrepeater_input_srt_rtt_seconds{channel=\"show\",input=\"cell\"}")
                        .contains("streamrepeater_input_srt_packets_received_total{channel=\"show\",input=\"cell\"}")
                        .doesNotContain("streamrepeater_input_srt_rtt_seconds{channel=\"show\",input=\"plain\"}");

                // refused callers: each one's ffmpeg gives up, the live encoder is not disturbed
                String port = "srt://127.0.0.1:" + server.server.srtPort();
                for (String url : List.of(
                        port + "?streamid=" + CELL_KEY + "&passphrase=" + WRONG_PASSPHRASE,
                        port + "?streamid=" + PLAIN_KEY + "&passphrase=" + WRONG_PASSPHRASE,
                        port + "?streamid=%23!::r=" + UNKNOWN_KEY + ",m=publish")) {
                    try (FfmpegPublisher refused = FfmpegPublisher.startSrt(media, url)) {
                        await().atMost(WAIT).until(() -> !refused.isAlive());
                    }
                }
                await().atMost(WAIT).until(() -> logText().contains("reason=unknown-stream-key"));
                assertThat(cell.isAlive()).isTrue();
                assertThat(server.channel("show").activeInput()).isEqualTo("cell");
                assertThat(server.channel("show").inputs().get(1).state())
                        .as("plain never connected")
                        .isEqualTo(InputState.DOWN);
            }
        }
        String logText = logText();
        assertThat(logText)
                .contains("event=srt-rejected reason=bad-passphrase input=show/cell")
                .contains("event=srt-rejected reason=unexpected-passphrase input=show/plain")
                .contains("event=srt-rejected reason=unknown-stream-key")
                .contains("event=srt-connected input=show/cell");
        for (String secret : List.of(TOKEN, CELL_KEY, PLAIN_KEY, PASSPHRASE, WRONG_PASSPHRASE, UNKNOWN_KEY)) {
            assertThat(logText).as("the logs").doesNotContain(secret);
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return r.body();
    }

    private String logText() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
