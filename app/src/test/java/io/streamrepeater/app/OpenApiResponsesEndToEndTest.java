package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.LocalhostCertificates;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openapi.json's fields against what a running server answers: a server with real encoders (ffmpeg on both
 * inputs, one over SRT), a real destination (nginx-rtmp), and every documented operation that answers JSON called
 * in the state where its answer is fullest (a rehearsal run to its end, a switch, an error). Each request body sent
 * and each answer is walked against the document's schema for that operation and status: a field the server sends
 * that the document does not name fails, a required field missing fails, a documented field that no answer had
 * fails, and a documented JSON answer no call produced fails (so an operation added to the document gets a call
 * here). OpenApiDocumentTest checks the paths, methods and path parameters against the registered routes.
 */
class OpenApiResponsesEndToEndTest {
    private static final String ADMIN = "openapi-fields-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> JSON_METHODS = Set.of("get", "post", "put", "patch", "delete");
    /** Answers of a cluster (two nodes on PostgreSQL): ClusterTakeoverEndToEndTest walks them. */
    private static final Set<String> WALKED_ELSEWHERE = Set.of(
            "GET /api/v1/cluster 200",
            "POST /api/v1/cluster/nodes/{node}/drain 200",
            "POST /api/v1/cluster/nodes/{node}/undrain 200");
    /** Documented fields that only a failure this test cannot cause shows: each with the reason. */
    private static final Set<String> RARE = Set.of(
            // a rehearsal that could not start its drill (the channel lost its input meanwhile)
            "#/components/schemas/Rehearsal.error");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private JsonNode document;
    private OpenApiSchemaWalk walk;
    private final Set<String> answered = new TreeSet<>();
    private String base;

    /**
     * Calls {@code method path} (the document's path template {@code template}) with {@code body}, expects
     * {@code status}, walks the request body and the JSON answer against the document, and returns the answer.
     */
    private JsonNode call(String method, String template, String path, String body, int status) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> answer = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        String operation = method + " " + template;
        assertThat(answer.statusCode()).as(operation + ": " + answer.body()).isEqualTo(status);
        JsonNode op = document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        assertThat(op.isObject()).as(operation + " is documented").isTrue();
        JsonNode requestSchema = op.at("/requestBody/content/application~1json/schema");
        if (body != null && !requestSchema.isMissingNode() && status / 100 == 2) {
            walk.check(operation + " request", requestSchema, JSON.readTree(body));
        }
        JsonNode documented = op.path("responses").path(Integer.toString(status));
        if (!documented.isObject()) {
            walk.problems().add(operation + " does not document its " + status + " answer");
        }
        JsonNode schema = documented.at("/content/application~1json/schema");
        boolean jsonAnswer =
                answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        if (!jsonAnswer) {
            assertThat(schema.isMissingNode())
                    .as(operation + " " + status + " is documented as JSON but answers "
                            + answer.headers().firstValue("Content-Type"))
                    .isTrue();
            return null;
        }
        JsonNode json = JSON.readTree(answer.body());
        Path samples = Path.of("target", "openapi-answers");
        Files.createDirectories(samples);
        Files.writeString(
                samples.resolve(
                        (operation + " " + status).replaceAll("[^A-Za-z0-9]+", "_") + "." + answered.size() + ".json"),
                answer.body());
        if (schema.isMissingNode()) {
            walk.problems().add(operation + " " + status + " answers JSON: its schema belongs in openapi.json");
        } else {
            walk.check(operation + " " + status, schema, json);
        }
        answered.add(operation + " " + status);
        return json;
    }

    private JsonNode get(String template, String path) throws Exception {
        return call("GET", template, path, null, 200);
    }

    @Test
    void everyAnswerAndRequestHasExactlyTheDocumentedFields(@TempDir Path tmp) throws Exception {
        document = OpenApiSchemaWalk.serversDocument();
        walk = new OpenApiSchemaWalk(document);
        Path media = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x180", 30, "300k");
        Path ts = TestMedia.h264AacTs(Duration.ofSeconds(4), 30, "320x180", 30, 0);
        LocalhostCertificates certificates = LocalhostCertificates.generate(tmp.resolve("ca"));
        Path tlsDir = tmp.resolve("tls");
        TestTls.install(certificates, tlsDir);
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer running = RunningServer.start(
                        tmp.resolve("node"),
                        """
                        server:
                          adminToken: "%s"
                          rtmpsPort: %d
                          tls: { certFile: "%s", keyFile: "%s" }
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: "openapi-primary-key-01" }
                              - { name: backup, key: "openapi-backup-key-002", srtPassphrase: "openapi-srt-pass" }
                            destinations:
                              - { name: d1, url: "%s", platform: twitch }
                        """.formatted(
                                        ADMIN,
                                        FreePorts.loopback(),
                                        tlsDir.resolve("fullchain.pem"),
                                        tlsDir.resolve("privkey.pem"),
                                        dest.rtmpUrl("live", "d1")),
                        null,
                        true,
                        null,
                        true);
                FfmpegPublisher primary = FfmpegPublisher.start(media, running.ingestUrl("openapi-primary-key-01"));
                FfmpegPublisher backup = FfmpegPublisher.startSrt(
                        ts, running.srtUrl("openapi-backup-key-002") + "&passphrase=openapi-srt-pass")) {
            base = "http://127.0.0.1:" + running.server.httpPort();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> running.channel("show").inputs().stream()
                                    .noneMatch(i -> i.state().name().equals("DOWN"))
                            && running.destination("show", "d1").state().name().equals("LIVE"));

            get("/healthz", "/healthz");
            get("/readyz", "/readyz");
            get("/api/v1/whoami", "/api/v1/whoami");
            call("POST", "/api/v1/tokens", "/api/v1/tokens", "{\"name\": \"stage\", \"role\": \"viewer\"}", 201);
            get("/api/v1/tokens", "/api/v1/tokens");
            get("/api/v1/channels/{channel}/inputs/{input}/ingest", "/api/v1/channels/show/inputs/primary/ingest");
            get("/api/v1/channels/{channel}/inputs/{input}/ingest", "/api/v1/channels/show/inputs/backup/ingest");
            call(
                    "POST",
                    "/api/v1/channels/{channel}/inputs/{input}/key",
                    "/api/v1/channels/show/inputs/primary/key",
                    null,
                    200);

            // the switch, then a rehearsal run to its report
            String other = "primary".equals(running.channel("show").activeInput()) ? "backup" : "primary";
            call(
                    "POST",
                    "/api/v1/channels/{channel}/switch",
                    "/api/v1/channels/show/switch",
                    "{\"input\": \"" + other + "\"}",
                    200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> other.equals(running.channel("show").activeInput()));
            JsonNode started = call(
                    "POST",
                    "/api/v1/channels/{channel}/rehearsals",
                    "/api/v1/channels/show/rehearsals",
                    "{\"durationSeconds\": 2}",
                    202);
            String report =
                    "/api/v1/channels/show/rehearsals/" + started.path("id").asText();
            get("/api/v1/channels/{channel}/rehearsals/{id}", report);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !JSON.readTree(http.send(
                                            HttpRequest.newBuilder(URI.create(base + report))
                                                    .header("Authorization", "Bearer " + ADMIN)
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body())
                            .path("status")
                            .asText()
                            .equals("running"));
            get("/api/v1/channels/{channel}/rehearsals/{id}", report);

            get("/api/v1/channels", "/api/v1/channels");
            JsonNode show = get("/api/v1/channels/{channel}", "/api/v1/channels/show");
            for (JsonNode input : show.path("inputs")) {
                assertThat(input.path("remoteAddress").asText())
                        .as("an encoder's address reads the same over RTMP and SRT: %s", input)
                        .matches("127\\.0\\.0\\.1:\\d+");
            }
            get("/api/v1/channels/{channel}/config", "/api/v1/channels/show/config");
            get("/api/v1/events", "/api/v1/events");
            get("/api/v1/diagnostics/relay-latency", "/api/v1/diagnostics/relay-latency");
            List<JsonNode> events = EventHistory.read(base, ADMIN);
            assertThat(events).as("the event history").hasSizeGreaterThan(3);
            JsonNode eventSchema =
                    document.at("/paths/~1api~1v1~1events/get/responses/200/content/text~1event-stream/schema");
            assertThat(eventSchema.isObject()).as("the events' schema").isTrue();
            for (JsonNode event : events) {
                walk.check("GET /api/v1/events data", eventSchema, event);
            }
            call("DELETE", "/api/v1/diagnostics/relay-latency", "/api/v1/diagnostics/relay-latency", null, 204);

            // changes: a destination, an input, a channel, the whole configuration
            call(
                    "PATCH",
                    "/api/v1/channels/{channel}/destinations/{destination}",
                    "/api/v1/channels/show/destinations/d1",
                    "{\"enabled\": true}",
                    200);
            call(
                    "POST",
                    "/api/v1/channels/{channel}/destinations",
                    "/api/v1/channels/show/destinations",
                    "{\"name\": \"d2\", \"url\": \"" + dest.rtmpUrl("live", "d2") + "\", \"enabled\": false,"
                            + " \"backupUrl\": \"" + dest.rtmpUrl("live", "d2b") + "\", \"mode\": \"fallback\"}",
                    201);
            call(
                    "DELETE",
                    "/api/v1/channels/{channel}/destinations/{destination}",
                    "/api/v1/channels/show/destinations/d2",
                    null,
                    204);
            call(
                    "POST",
                    "/api/v1/channels/{channel}/inputs",
                    "/api/v1/channels/show/inputs",
                    "{\"name\": \"third\", \"key\": \"openapi-third-key-0001\", \"allowTakeover\": false,"
                            + " \"srtPassphrase\": \"openapi-third-pass\"}",
                    201);
            call(
                    "DELETE",
                    "/api/v1/channels/{channel}/inputs/{input}",
                    "/api/v1/channels/show/inputs/third",
                    null,
                    204);
            call(
                    "POST",
                    "/api/v1/channels/{channel}/inputs",
                    "/api/v1/channels/show/inputs",
                    "{\"name\": \"fifth\"}",
                    201);
            call(
                    "DELETE",
                    "/api/v1/channels/{channel}/inputs/{input}",
                    "/api/v1/channels/show/inputs/fifth",
                    null,
                    204);
            String channel =
                    "{\"name\": \"second\", \"inputs\": [{\"name\": \"main\", \"key\": \"openapi-second-key-01\"}],"
                            + " \"slate\": \"" + media + "\", \"relay\": {\"retryMaxMs\": 20000},"
                            + " \"failover\": {\"lowBitrate\": {\"belowKbps\": 50, \"forMs\": 3000}},"
                            + " \"webhooks\": [{\"url\": \"http://127.0.0.1:9/hook\","
                            + " \"secret\": \"openapi-webhook-secret\"}],"
                            + " \"destinations\": [{\"name\": \"s1\", \"url\": \"" + dest.rtmpUrl("live", "s1")
                            + "\", \"backupUrl\": \"" + dest.rtmpUrl("live", "s1b")
                            + "\", \"mode\": \"fallback\", \"platform\": \"twitch\"}]}";
            call("POST", "/api/v1/channels", "/api/v1/channels", channel, 201);
            call("PUT", "/api/v1/channels/{channel}", "/api/v1/channels/second", channel, 200);
            call("DELETE", "/api/v1/channels/{channel}", "/api/v1/channels/second", null, 204);
            call(
                    "PUT",
                    "/api/v1/channels/{channel}",
                    "/api/v1/channels/third",
                    channel.replace("second", "third"),
                    201);
            call("GET", "/api/v1/channels/{channel}", "/api/v1/channels/nowhere", null, 404);
            call("POST", "/api/v1/channels", "/api/v1/channels", "{\"name\": \"\"}", 400);
            get("/api/v1/config", "/api/v1/config");
            call(
                    "POST",
                    "/api/v1/config",
                    "/api/v1/config",
                    "channels:\n  - name: fourth\n    inputs: [{ name: main, key: \"openapi-fourth-key-01\" }]\n",
                    200);
            // the cluster's operations answer 404 on a server that runs alone
            call("GET", "/api/v1/cluster", "/api/v1/cluster", null, 404);
            call("DELETE", "/api/v1/tokens/{name}", "/api/v1/tokens/stage", null, 204);
            get("/api/v1/audit", "/api/v1/audit");
        }

        assertThat(walk.problems())
                .as("answers and request bodies against openapi.json")
                .isEmpty();
        Set<String> neverSeen = new TreeSet<>(walk.neverSeen());
        neverSeen.removeAll(RARE);
        assertThat(neverSeen)
                .as("documented fields no answer had (call the operation in a state that has them, or drop them)")
                .isEmpty();
        List<String> notCalled = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (!JSON_METHODS.contains(op.getKey())) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> response :
                        op.getValue().path("responses").properties()) {
                    boolean json = response.getValue()
                            .at("/content/application~1json/schema")
                            .isObject();
                    boolean success = response.getKey().startsWith("2");
                    String answer =
                            op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " " + response.getKey();
                    if (json && success && !answered.contains(answer) && !WALKED_ELSEWHERE.contains(answer)) {
                        notCalled.add(answer);
                    }
                }
            }
        }
        assertThat(notCalled)
                .as("documented JSON answers this test never produced")
                .isEmpty();
    }
}
