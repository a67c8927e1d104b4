package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.testkit.CapturedLogs;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scoped API tokens against a running server with real encoders (ffmpeg publishing both inputs) and a real
 * destination (nginx-rtmp): what a viewer, an operator and an admin token may do, that no answer to a viewer or an
 * operator holds a key, that a revoked token is refused at once, that the store keeps only a hash, and that the
 * access log names the token of each change.
 */
class ApiRolesEndToEndTest {
    private static final String ADMIN = "roles-test-admin-token";
    private static final String PRIMARY_KEY = "roles-primary-key-000001";
    private static final String BACKUP_KEY = "roles-backup-key-000002";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String base;

    private HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String token, String method, String path, String body) throws Exception {
        return call(token, method, path, body).statusCode();
    }

    private String create(String name, String role) throws Exception {
        HttpResponse<String> r =
                call(ADMIN, "POST", "/api/v1/tokens", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode created = JSON.readTree(r.body());
        assertThat(created.path("role").asText()).isEqualTo(role);
        assertThat(created.path("token").asText()).startsWith(name + ".");
        return created.path("token").asText();
    }

    @Test
    void eachRoleMayDoWhatItsTableSaysAndNoMore(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(4), 30, "320x180", 30, "300k");
        java.util.List<String> issued = new java.util.ArrayList<>();
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                CapturedLogs access = CapturedLogs.everything("io.streamrepeater.access");
                RunningServer running = RunningServer.start(
                        tmp.resolve("node"),
                        """
                        server: { adminToken: "%s", srtPort: 0 }
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: "%s" }
                              - { name: backup, key: "%s" }
                            destinations:
                              - { name: d1, url: "%s" }
                        """.formatted(ADMIN, PRIMARY_KEY, BACKUP_KEY, dest.rtmpUrl("live", "d1")),
                        null,
                        true);
                FfmpegPublisher primary =
                        FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + running.rtmpPort + "/live/" + PRIMARY_KEY);
                FfmpegPublisher backup =
                        FfmpegPublisher.start(media, "rtmp://127.0.0.1:" + running.rtmpPort + "/live/" + BACKUP_KEY)) {
            base = "http://127.0.0.1:" + running.server.httpPort();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> running.server.status().get(0).inputs().stream()
                            .allMatch(i -> !i.state().name().equals("DOWN")));
            String viewer = create("stage", "viewer");
            String operator = create("director", "operator");
            String engineer = create("engineer", "admin");
            issued.addAll(java.util.List.of(viewer, operator, engineer));

            HttpResponse<String> listed = call(ADMIN, "GET", "/api/v1/tokens", null);
            assertThat(JSON.readTree(listed.body()))
                    .extracting(
                            t -> t.path("name").asText() + ":" + t.path("role").asText())
                    .containsExactly("director:operator", "engineer:admin", "stage:viewer");
            assertThat(listed.body()).doesNotContain(viewer.substring(6)).doesNotContain("token\"");
            assertThat(JSON.readTree(call(viewer, "GET", "/api/v1/whoami", null).body())
                            .path("role")
                            .asText())
                    .isEqualTo("viewer");

            // a viewer reads, never a key, and changes nothing
            for (String read : new String[] {"/api/v1/channels", "/api/v1/channels/show", "/api/v1/config"}) {
                HttpResponse<String> r = call(viewer, "GET", read, null);
                assertThat(r.statusCode()).as(read).isEqualTo(200);
                assertThat(r.body()).as(read).doesNotContain(PRIMARY_KEY).doesNotContain(BACKUP_KEY);
            }
            assertThat(status(viewer, "GET", "/api/v1/channels/show/inputs/primary/ingest", null))
                    .isEqualTo(403);
            assertThat(status(viewer, "GET", "/api/v1/config?secrets=true", null))
                    .isEqualTo(403);
            assertThat(status(viewer, "GET", "/api/v1/tokens", null)).isEqualTo(403);
            // whichever encoder came first feeds the channel; the switches go to the other one
            String before = running.server.status().get(0).activeInput();
            String other = "primary".equals(before) ? "backup" : "primary";
            String toOther = "{\"input\": \"" + other + "\"}";
            HttpResponse<String> refused = call(viewer, "POST", "/api/v1/channels/show/switch", toOther);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body())
                    .contains("token 'stage' is a viewer token")
                    .contains("needs operator");
            assertThat(status(viewer, "PATCH", "/api/v1/channels/show/destinations/d1", "{\"enabled\": false}"))
                    .isEqualTo(403);
            assertThat(running.server.status().get(0).activeInput()).isEqualTo(before);

            // an operator runs the show, but keys, destinations, channels and tokens stay the admin's
            assertThat(status(operator, "POST", "/api/v1/channels/show/switch", toOther))
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> other.equals(running.server.status().get(0).activeInput()));
            assertThat(status(operator, "PATCH", "/api/v1/channels/show/destinations/d1", "{\"enabled\": false}"))
                    .isEqualTo(200);
            assertThat(status(operator, "GET", "/api/v1/channels/show/inputs/primary/ingest", null))
                    .isEqualTo(403);
            assertThat(status(operator, "POST", "/api/v1/channels/show/inputs/primary/key", "{}"))
                    .isEqualTo(403);
            assertThat(status(
                            operator,
                            "POST",
                            "/api/v1/channels/show/destinations",
                            "{\"name\": \"d2\", \"url\": \"" + dest.rtmpUrl("live", "d2") + "\"}"))
                    .isEqualTo(403);
            assertThat(status(operator, "DELETE", "/api/v1/channels/show", null))
                    .isEqualTo(403);
            assertThat(status(operator, "POST", "/api/v1/tokens", "{\"name\": \"x\", \"role\": \"admin\"}"))
                    .isEqualTo(403);

            // a named admin token does everything
            HttpResponse<String> ingest = call(engineer, "GET", "/api/v1/channels/show/inputs/primary/ingest", null);
            assertThat(ingest.statusCode()).isEqualTo(200);
            assertThat(ingest.body()).contains(PRIMARY_KEY);

            // revoked: refused from the next request on; unknown names, bad roles and name clashes are refused
            assertThat(status(ADMIN, "DELETE", "/api/v1/tokens/director", null)).isEqualTo(204);
            assertThat(status(operator, "GET", "/api/v1/channels", null)).isEqualTo(401);
            assertThat(status(ADMIN, "DELETE", "/api/v1/tokens/director", null)).isEqualTo(404);
            assertThat(status(ADMIN, "POST", "/api/v1/tokens", "{\"name\": \"stage\", \"role\": \"viewer\"}"))
                    .isEqualTo(409);
            assertThat(status(ADMIN, "POST", "/api/v1/tokens", "{\"name\": \"x\", \"role\": \"owner\"}"))
                    .isEqualTo(400);
            assertThat(status(ADMIN, "POST", "/api/v1/tokens", "{\"name\": \"admin\", \"role\": \"viewer\"}"))
                    .isEqualTo(400);
            assertThat(status(wrongSecret(viewer), "GET", "/api/v1/channels", null))
                    .as("a wrong secret under a real name")
                    .isEqualTo(401);

            // every change made with a valid token is in the audit, allowed or not; only admins read it
            assertThat(status(viewer, "GET", "/api/v1/audit", null)).isEqualTo(403);
            JsonNode audit = JSON.readTree(
                    call(engineer, "GET", "/api/v1/audit?limit=1000", null).body());
            assertThat(audit)
                    .extracting(e -> e.path("token").asText() + " "
                            + e.path("method").asText() + " " + e.path("path").asText() + " "
                            + e.path("status").asInt())
                    .contains(
                            "admin POST /api/v1/tokens 201",
                            "stage POST /api/v1/channels/show/switch 403",
                            "director POST /api/v1/channels/show/switch 200",
                            "director PATCH /api/v1/channels/show/destinations/d1 200",
                            "director DELETE /api/v1/channels/show 403",
                            "admin DELETE /api/v1/tokens/director 204")
                    .noneMatch(line -> line.contains(" GET "));
            assertThat(audit.get(0).path("role").asText()).isEqualTo("admin");
            assertThat(audit.get(0).path("remote").asText()).isEqualTo("127.0.0.1");

            // the same from the command line
            String[] remote = {"--server", base, "--token", ADMIN};
            String printed = Cli.run(cat(new String[] {"tokens", "create", "wall-screen", "--role", "viewer"}, remote));
            assertThat(printed).contains("viewer token wall-screen (shown once, keep it): wall-screen.");
            String wall = printed.substring(printed.indexOf("wall-screen.")).strip();
            assertThat(status(wall, "GET", "/api/v1/channels", null)).isEqualTo(200);
            assertThat(Cli.run(cat(new String[] {"tokens", "list"}, remote)))
                    .containsPattern("wall-screen +viewer")
                    .containsPattern("engineer +admin")
                    .doesNotContain(wall.substring(wall.indexOf('.') + 1));
            assertThat(Cli.run(cat(new String[] {"tokens", "revoke", "wall-screen"}, remote)))
                    .contains("token wall-screen revoked");
            assertThat(status(wall, "GET", "/api/v1/channels", null)).isEqualTo(401);
            issued.add(wall);

            assertThat(access.linesWith("event=api-request method=POST path=/api/v1/channels/show/switch"))
                    .anySatisfy(l -> assertThat(l).contains("status=200 token=director role=operator"));
            assertThat(access.lines()).noneSatisfy(l -> assertThat(l).contains(viewer.substring(6)));
        }
        // the database file and its journal, whatever SQLite has checkpointed
        StringBuilder stored = new StringBuilder();
        try (var files = Files.list(tmp.resolve("node").resolve("data"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(ConfigStore.SQLITE_FILE_NAME))
                    .toList()) {
                stored.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(stored).as("the tokens' rows").contains("stage").contains("engineer");
        for (String token : issued) {
            assertThat(stored)
                    .as("the store holds a hash of each token, never its secret")
                    .doesNotContain(token.substring(token.indexOf('.') + 1));
        }
    }

    /** The token with the first character of its secret changed (never to itself). */
    private static String wrongSecret(String token) {
        int at = token.indexOf('.') + 1;
        char changed = token.charAt(at) == 'A' ? 'B' : 'A';
        return token.substring(0, at) + changed + token.substring(at + 1);
    }

    private static String[] cat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
