package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API against a running relay with real encoders and a real destination. */
class ApiEndToEndTest {
    private static final String TOKEN = "test-admin-token-123";
    private static final String PRIMARY_KEY = "api-primary-key-1";
    private static final String BACKUP_KEY = "api-backup-key-2";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private String base;

    private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> r = call(method, path, body, TOKEN);
        assertThat(r.statusCode()).as("%s %s -> %s", method, path, r.body()).isBetween(200, 299);
        return r.body().isEmpty() ? null : json.readTree(r.body());
    }

    @Test
    void operatorDrivesALiveChannelOverHttp(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "640x360", 30, "600k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                NginxRtmp extra = NginxRtmp.start(tmp.resolve("extra"));
                RunningServer server = RunningServer.start(
                        tmp.resolve("relay"),
                        """
                     server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                     channels:
                       - name: show
                         inputs:
                           - { name: primary, key: "%s" }
                           - { name: backup, key: "%s" }
                         failover: { inputLossMs: 500, failback: manual }
                         destinations:
                           - { name: main, url: "%s" }
                     """.formatted(TOKEN, PRIMARY_KEY, BACKUP_KEY, dest.rtmpUrl("live", "secret-dest-key")),
                        null,
                        true)) {
            base = "http://127.0.0.1:" + server.server.httpPort();
            server.awaitDestinationsLive("show", Duration.ofSeconds(20));

            // no token, wrong token: 401; health and metrics need none
            HttpResponse<String> anon = call("GET", "/api/v1/channels", null, null);
            assertThat(anon.statusCode()).isEqualTo(401);
            assertThat(anon.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(call("GET", "/api/v1/channels", null, "wrong").statusCode())
                    .isEqualTo(401);
            assertThat(call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
            assertThat(call("GET", "/readyz", null, null).body()).contains("\"ready\"");

            try (FfmpegPublisher primary = FfmpegPublisher.start(media, server.ingestUrl(PRIMARY_KEY))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> "primary".equals(server.channel("show").activeInput()));
                try (FfmpegPublisher backup = FfmpegPublisher.start(media, server.ingestUrl(BACKUP_KEY))) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> ok("GET", "/api/v1/channels/show", null)
                                    .at("/inputs/1/state")
                                    .asText()
                                    .equals("STANDBY"));

                    // events: subscribe before the switch
                    List<String> sse = new ArrayList<>();
                    CompletableFuture<Void> reader = readEvents(sse, "\"to\":\"backup\"");

                    // the ingest URL and key: only on an explicit request with the token
                    JsonNode ingest = ok("GET", "/api/v1/channels/show/inputs/primary/ingest", null);
                    assertThat(ingest.get("key").asText()).isEqualTo(PRIMARY_KEY);
                    assertThat(ingest.get("url").asText())
                            .isEqualTo("rtmp://127.0.0.1:" + server.rtmpPort + "/live/" + PRIMARY_KEY);
                    assertThat(call("GET", "/api/v1/channels/show/inputs/primary/ingest", null, null)
                                    .statusCode())
                            .isEqualTo(401);
                    assertThat(call("GET", "/api/v1/channels/show/inputs/nope/ingest", null, TOKEN)
                                    .statusCode())
                            .isEqualTo(404);

                    JsonNode ch = ok("GET", "/api/v1/channels/show", null);
                    assertThat(ch.get("activeInput").asText()).isEqualTo("primary");
                    // a server that runs alone: no owner, and the cluster endpoint says why there is nothing
                    assertThat(ch.has("owner")).isTrue();
                    assertThat(ch.get("owner").isNull()).isTrue();
                    HttpResponse<String> cluster = call("GET", "/api/v1/cluster", null, TOKEN);
                    assertThat(cluster.statusCode()).isEqualTo(404);
                    assertThat(cluster.body()).contains("this server runs alone");
                    assertThat(ch.at("/inputs/0/format").asText()).startsWith("AVC 640x360");
                    String all = call("GET", "/api/v1/channels", null, TOKEN).body();
                    assertThat(all)
                            .doesNotContain(PRIMARY_KEY)
                            .doesNotContain(BACKUP_KEY)
                            .doesNotContain("secret-dest-key");

                    assertThat(call("POST", "/api/v1/channels/show/switch", "{\"input\":\"nope\"}", TOKEN)
                                    .statusCode())
                            .isEqualTo(409);
                    assertThat(call("POST", "/api/v1/channels/show/switch", "{}", TOKEN)
                                    .body())
                            .contains("'input'");
                    // a switch to the input that already feeds the channel is refused up front, with the reason
                    HttpResponse<String> already =
                            call("POST", "/api/v1/channels/show/switch", "{\"input\":\"primary\"}", TOKEN);
                    assertThat(already.statusCode()).isEqualTo(409);
                    assertThat(already.body()).contains("input primary already feeds channel show");
                    ok("POST", "/api/v1/channels/show/switch", "{\"input\":\"backup\"}");
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> "backup".equals(server.channel("show").activeInput()));
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> server.server.channel("show").events().since(0).stream()
                                    .anyMatch(e -> "operator switch".equals(e.reason()) && "backup".equals(e.to())));
                    assertThat(server.server.channel("show").events().since(0).stream()
                                    .filter(e -> "operator switch".equals(e.reason()))
                                    .findFirst()
                                    .orElseThrow()
                                    .detectionDelayMs())
                            .as("an operator switch detected nothing")
                            .isEqualTo(-1);
                    reader.get(15, TimeUnit.SECONDS);
                    assertThat(String.join("\n", sse))
                            .contains("\"to\":\"backup\"")
                            .contains("id:");

                    // resume: with Last-Event-ID the stream starts right after that event
                    long switchId = -1;
                    for (int i = 0; i < sse.size(); i++) {
                        if (sse.get(i).startsWith("data:") && sse.get(i).contains("\"to\":\"backup\"")) {
                            switchId = json.readTree(sse.get(i).substring(5))
                                    .get("sequence")
                                    .asLong();
                        }
                    }
                    assertThat(firstResumedId(switchId - 1)).isEqualTo(switchId);

                    // the meters average the last completed seconds: once the encoder has run that long, 30 fps shows
                    await().atMost(Duration.ofSeconds(15)).until(() -> {
                        JsonNode in = ok("GET", "/api/v1/channels/show", null).at("/inputs/0");
                        return in.get("fps").asDouble() >= 25
                                && in.get("fps").asDouble() <= 35
                                && in.get("bitrateBps").asLong() > 100_000;
                    });

                    // a drill fails the active input (backup) for 2 s; manual failback keeps the primary afterwards
                    HttpResponse<String> started =
                            call("POST", "/api/v1/channels/show/rehearsals", "{\"durationSeconds\":2}", TOKEN);
                    assertThat(started.statusCode()).isEqualTo(202);
                    HttpResponse<String> second =
                            call("POST", "/api/v1/channels/show/rehearsals", "{\"durationSeconds\":2}", TOKEN);
                    assertThat(second.statusCode())
                            .as("a second drill while one runs")
                            .isEqualTo(409);
                    assertThat(second.body()).contains("a rehearsal is already running on channel show");
                    String location = started.headers().firstValue("Location").orElseThrow();
                    await().atMost(Duration.ofSeconds(15))
                            .until(() -> !ok("GET", location, null)
                                    .get("status")
                                    .asText()
                                    .equals("running"));
                    JsonNode report = ok("GET", location, null);
                    assertThat(report.get("status").asText()).isEqualTo("passed");
                    assertThat(report.at("/report/failedInput").asText()).isEqualTo("backup");
                    assertThat(report.at("/report/switchedTo").asText()).isEqualTo("primary");
                    assertThat(report.at("/report/destinationReconnects/main").asLong())
                            .isZero();
                    assertThat(report.at("/report/destinations/0/destination").asText())
                            .isEqualTo("main");
                    assertThat(report.at("/report/destinations/0/decodable").asBoolean())
                            .isTrue();
                    assertThat(report.at("/report/destinations/0/videoFrames").asLong())
                            .isPositive();
                    assertThat(report.get("problems")).isEmpty();
                    assertThat(call("POST", "/api/v1/channels/show/rehearsals", "{\"durationSeconds\":0}", TOKEN)
                                    .body())
                            .contains("durationSeconds");

                    // destinations while live
                    assertThat(call(
                                            "POST",
                                            "/api/v1/channels/show/destinations",
                                            "{\"name\":\"x\",\"url\":\"http://nope\"}",
                                            TOKEN)
                                    .statusCode())
                            .isEqualTo(400);
                    List<String> destEvents = new ArrayList<>();
                    CompletableFuture<Void> destReader = readEvents(destEvents, "\"destination\":\"extra\"");
                    ok(
                            "POST",
                            "/api/v1/channels/show/destinations",
                            "{\"name\":\"extra\",\"url\":\"" + extra.rtmpUrl("live", "extra-key") + "\"}");
                    await().atMost(Duration.ofSeconds(15))
                            .until(() -> server.destination("show", "extra").state() == DestinationState.LIVE);
                    destReader.get(15, TimeUnit.SECONDS);
                    assertThat(String.join("\n", destEvents))
                            .contains("event: destination_state")
                            .contains("\"destination\":\"extra\"")
                            .doesNotContain("extra-key");
                    ok("PATCH", "/api/v1/channels/show/destinations/extra", "{\"enabled\":false}");
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> server.destination("show", "extra").state() == DestinationState.DISABLED);
                    assertThat(call("DELETE", "/api/v1/channels/show/destinations/extra", null, TOKEN)
                                    .statusCode())
                            .isEqualTo(204);
                    assertThat(call("DELETE", "/api/v1/channels/show/destinations/extra", null, TOKEN)
                                    .statusCode())
                            .isEqualTo(404);
                    assertThat(server.destination("show", "main").reconnects()).isZero();

                    // the same operations from the command line
                    String[] remote = {"--server", base, "--token", TOKEN};
                    assertThat(Cli.run(cat(new String[] {"status", "show"}, remote)))
                            .containsPattern("primary +ACTIVE")
                            .containsPattern("backup +STANDBY")
                            .containsPattern("main +LIVE");
                    Cli.run(cat(new String[] {"switch", "show", "backup"}, remote));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> "backup".equals(server.channel("show").activeInput()));
                    assertThat(Cli.run(cat(new String[] {"rehearse", "show", "--seconds", "1"}, remote)))
                            .contains("result:             passed")
                            .contains("switched to:        primary")
                            .containsPattern("main +decodable +\\d+ video / \\d+ audio frames");

                    // an SSE client sees the switch when the primary encoder is killed
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> "primary".equals(server.channel("show").activeInput()));
                    List<String> killed = new ArrayList<>();
                    CompletableFuture<Void> killReader = readEvents(killed, "\"reason\":\"input primary: ");
                    primary.kill();
                    killReader.get(20, TimeUnit.SECONDS);
                    assertThat(String.join("\n", killed))
                            .contains("event: switch")
                            .contains("\"from\":\"primary\",\"to\":\"backup\"");

                    String metrics = call("GET", "/metrics", null, null).body();
                    assertThat(metrics)
                            .contains("streamrepeater_input_active{channel=\"show\",input=\"backup\"} 1.0")
                            .contains("streamrepeater_destination_up{channel=\"show\",destination=\"main\"} 1.0")
                            .contains("streamrepeater_channel_switches_total{channel=\"show\",reason=\"operator\"}")
                            .contains("streamrepeater_channel_switches_total{channel=\"show\",reason=\"disconnect\"}")
                            .contains("netty_pooled_used_direct_memory_bytes")
                            .contains("streamrepeater_input_frames_per_second{channel=\"show\",input=\"primary\"}")
                            .doesNotContain("secret-dest-key");
                    Map<String, Double> series = parsePrometheus(metrics);
                    assertThat(series.get("streamrepeater_input_up{channel=\"show\",input=\"primary\"}"))
                            .isEqualTo(0.0);
                    assertThat(
                                    series.get(
                                            "streamrepeater_destination_sent_bytes_total{channel=\"show\",destination=\"main\"}"))
                            .isGreaterThan(100_000.0);
                    assertThat(
                                    series.get(
                                            "streamrepeater_destination_reconnects_total{channel=\"show\",destination=\"main\"}"))
                            .isEqualTo(0.0);
                    assertThat(series.get(
                                    "streamrepeater_channel_switches_total{channel=\"show\",reason=\"rehearsal\"}"))
                            .isGreaterThanOrEqualTo(2.0);
                    assertThat(series.get("streamrepeater_channel_last_switch_gap_seconds{channel=\"show\"}"))
                            .isBetween(0.001, 0.07);
                    assertThat(
                                    series.get(
                                            "streamrepeater_destination_state{channel=\"show\",destination=\"main\",state=\"live\"}"))
                            .isEqualTo(1.0);

                    // The relay's added latency: sampled per destination write, readable and resettable.
                    double p50 = series.get("streamrepeater_relay_write_latency_seconds{quantile=\"0.5\"}");
                    double p99 = series.get("streamrepeater_relay_write_latency_seconds{quantile=\"0.99\"}");
                    assertThat(p50).isPositive();
                    assertThat(p99).isGreaterThanOrEqualTo(p50);
                    assertThat(series.get("streamrepeater_relay_write_latency_max_seconds"))
                            .isGreaterThanOrEqualTo(p99);
                    JsonNode latency = ok("GET", "/api/v1/diagnostics/relay-latency", null);
                    assertThat(latency.get("count").asLong()).isGreaterThan(100);
                    assertThat(latency.get("maxMicros").asLong())
                            .isGreaterThanOrEqualTo(latency.get("p99Micros").asLong());
                    long since = latency.get("sinceEpochMs").asLong();
                    assertThat(call("DELETE", "/api/v1/diagnostics/relay-latency", null, TOKEN)
                                    .statusCode())
                            .isEqualTo(204);
                    assertThat(ok("GET", "/api/v1/diagnostics/relay-latency", null)
                                    .get("sinceEpochMs")
                                    .asLong())
                            .isGreaterThanOrEqualTo(since);
                    assertThat(call("DELETE", "/api/v1/diagnostics/relay-latency", null, null)
                                    .statusCode())
                            .isEqualTo(401);
                }
            }
        }
    }

    /** The Prometheus text format as series (name with labels) to value; comments skipped, every line checked. */
    private static Map<String, Double> parsePrometheus(String text) {
        Map<String, Double> out = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            assertThat(space).as("a sample line: %s", line).isPositive();
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    private static String[] cat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Opens the event stream with a Last-Event-ID and returns the id of the first event it sends. */
    private long firstResumedId(long lastEventId) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", Long.toString(lastEventId))
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("id:")) {
                    return Long.parseLong(line.substring(3).trim());
                }
            }
        }
        return -1;
    }

    /** Reads the SSE stream in the background until a data line contains {@code until} (bounded). */
    private CompletableFuture<Void> readEvents(List<String> lines, String until) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(20))
                .build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream()).thenAccept(r -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                for (String line; System.nanoTime() < deadline && (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.startsWith("data:") && line.contains(until)) {
                        return;
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }
}
