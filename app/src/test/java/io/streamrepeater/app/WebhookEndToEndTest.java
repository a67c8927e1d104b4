package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.TestMedia;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A channel's events reach its webhook, signed and in order, while a real encoder comes and goes. */
class WebhookEndToEndTest {
    private static final String TOKEN = "webhook-admin-token-1";
    private static final String SECRET = "whsec-e2e-0123456789";
    private static final String NEW_SECRET = "whsec-e2e-rotated-9876";
    private static final String KEY = "webhook-primary-key";

    /** One POST as the receiver got it. */
    private record Received(String path, String event, String delivery, String signature, byte[] body) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpServer receiver() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            received.add(new Received(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("X-StreamRepeater-Event"),
                    exchange.getRequestHeaders().getFirst("X-StreamRepeater-Delivery"),
                    exchange.getRequestHeaders().getFirst("X-StreamRepeater-Signature"),
                    body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The receiver's check, written independently of the server's code. */
    private static boolean validSignature(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body()))).equals(r.signature());
    }

    private List<String> events(String path) {
        return received.stream()
                .filter(r -> r.path().equals(path))
                .map(Received::event)
                .toList();
    }

    private HttpResponse<String> call(String base, String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + TOKEN)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void inputUpSwitchAndInputDownArriveSignedAndInOrder(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "320x180", 30, "300k");
        HttpServer hooks = receiver();
        String hookBase = "http://127.0.0.1:" + hooks.getAddress().getPort();
        try (RunningServer server =
                RunningServer.start(tmp.resolve("relay"), """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                channels:
                  - name: show
                    inputs: [ { name: primary, key: "%s" } ]
                    failover: { inputLossMs: 500 }
                    webhooks:
                      - { url: "%s/hooks/show?token=query-token", secret: "%s" }
                """.formatted(TOKEN, KEY, hookBase, SECRET), null, true)) {
            String base = "http://127.0.0.1:" + server.server.httpPort();

            // the configuration shows the webhook, its secret and query masked
            String config =
                    call(base, "GET", "/api/v1/channels/show/config", null).body();
            JsonNode webhook = json.readTree(config).at("/webhooks/0");
            assertThat(webhook.get("url").asText()).isEqualTo(hookBase + "/hooks/show?****");
            assertThat(webhook.get("secret").asText()).isEqualTo("****");
            assertThat(config).doesNotContain(SECRET).doesNotContain("query-token");

            FfmpegPublisher encoder = FfmpegPublisher.start(media, server.ingestUrl(KEY));
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> events("/hooks/show").contains("switch"));
            } finally {
                encoder.kill();
                encoder.close();
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> events("/hooks/show").contains("input_down"));

            List<String> types = events("/hooks/show");
            assertThat(types).containsSubsequence("input_up", "switch", "input_down");
            long previous = 0;
            for (Received r : received) {
                assertThat(validSignature(SECRET, r))
                        .as("signature of %s", r.event())
                        .isTrue();
                JsonNode event = json.readTree(r.body());
                assertThat(event.get("channel").asText()).isEqualTo("show");
                assertThat(event.get("type").asText().toLowerCase()).isEqualTo(r.event());
                assertThat(event.get("sequence").asLong()).as("in order").isGreaterThan(previous);
                previous = event.get("sequence").asLong();
            }
            assertThat(received).extracting(Received::delivery).doesNotHaveDuplicates();
            JsonNode up = json.readTree(received.get(types.indexOf("input_up")).body());
            assertThat(up.get("input").asText()).isEqualTo("primary");
            JsonNode toPrimary =
                    json.readTree(received.get(types.indexOf("switch")).body());
            assertThat(toPrimary.get("to").asText()).isEqualTo("primary");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> call(base, "GET", "/metrics", null)
                            .body()
                            .contains("streamrepeater_webhook_deliveries_total{channel=\"show\",outcome=\"delivered\"} "
                                    + received.size() + ".0"));

            // a changed webhook takes effect on the live channel: new URL, new secret
            int before = received.size();
            String changed = """
                    {"name": "show", "inputs": [{"name": "primary", "key": "%s"}], "failover": {"inputLossMs": 500},
                     "webhooks": [{"url": "%s/hooks/rotated", "secret": "%s"}]}
                    """.formatted(KEY, hookBase, NEW_SECRET);
            assertThat(call(base, "PUT", "/api/v1/channels/show", changed).statusCode())
                    .isEqualTo(200);
            try (FfmpegPublisher again = FfmpegPublisher.start(media, server.ingestUrl(KEY))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> events("/hooks/rotated").contains("input_up"));
            }
            Received rotated = received.stream()
                    .filter(r -> r.path().equals("/hooks/rotated"))
                    .findFirst()
                    .orElseThrow();
            assertThat(validSignature(NEW_SECRET, rotated)).isTrue();
            assertThat(validSignature(SECRET, rotated)).isFalse();
            List<Received> all = List.copyOf(received); // deliveries may still arrive: look at one snapshot
            assertThat(all.subList(before, all.size()))
                    .extracting(Received::path)
                    .containsOnly("/hooks/rotated");
        } finally {
            hooks.stop(0);
        }
    }
}
