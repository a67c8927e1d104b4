package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PostgresServer;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Channels, inputs and destinations created and changed over the API while media flows; the main test
 * runs once on the default SQLite store and once with {@code --database} on PostgreSQL.
 */
class ChannelConfigApiEndToEndTest {
    private static final String TOKEN = "crud-admin-token-42";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private String base;

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Where the server keeps its configuration: the same API test runs against each. */
    enum Store {
        /** The default: SQLite in the data directory. */
        SQLITE,
        /** {@code --database} naming a database on a throwaway PostgreSQL cluster. */
        POSTGRESQL
    }

    @ParameterizedTest(name = "store {0}")
    @EnumSource(Store.class)
    void channelsAreCreatedChangedAndDeletedWhileLive(Store store, @TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "320x180", 30, "300k");
        try (PostgresServer postgres = store == Store.POSTGRESQL ? PostgresServer.start() : null) {
            String database = postgres == null ? null : postgres.createDatabase();
            String storeUrl = database != null
                    ? database
                    : "jdbc:sqlite:" + tmp.resolve("relay").resolve("data").resolve("config.db");
            channelsAreCreatedChangedAndDeletedWhileLive(tmp, media, database);
            assertThat(stored(storeUrl, "SELECT name FROM channels ORDER BY name"))
                    .as("channels in the %s store", store)
                    .containsExactly("extra");
            assertThat(stored(storeUrl, "SELECT url FROM webhooks"))
                    .as("webhooks deleted with their channel")
                    .isEmpty();
            assertThat(stored(storeUrl, "SELECT stream_key FROM inputs"))
                    .as("input keys encrypted in the %s store", store)
                    .isNotEmpty()
                    .allMatch(key -> key.startsWith("enc:v1:"))
                    .noneMatch(key -> key.contains("extra-key-0001"));
            assertThat(tmp.resolve("relay").resolve("data").resolve("secret.key"))
                    .as("the key file, with either store")
                    .isRegularFile()
                    .hasSize(32);
            assertThat(tmp.resolve("relay")
                            .resolve("data")
                            .resolve("config.db")
                            .toFile()
                            .exists())
                    .as("an SQLite file only without --database")
                    .isEqualTo(store == Store.SQLITE);
        }
    }

    /** Reads the store with plain JDBC, beside the server's own code. */
    private static List<String> stored(String jdbcUrl, String query) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                ResultSet rows = c.createStatement().executeQuery(query)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private void channelsAreCreatedChangedAndDeletedWhileLive(Path tmp, Path media, String database) throws Exception {
        try (NginxRtmp a = NginxRtmp.start(tmp.resolve("a"));
                NginxRtmp b = NginxRtmp.start(tmp.resolve("b"));
                RunningServer server =
                        RunningServer.start(tmp.resolve("relay"), """
                     server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                     channels: []
                     """.formatted(TOKEN), null, true, database)) {
            base = "http://127.0.0.1:" + server.server.httpPort();

            // a broken body names the line, column and field
            HttpResponse<String> bad = call(
                    "POST",
                    "/api/v1/channels",
                    "{\"name\": \"show\", \"inputs\": [{\"name\": \"primary\", \"key\": \"k-1234567890\"}], \"failover\": {\"inputLosMs\": 500}}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("request body:1:").contains("unknown key 'inputLosMs'");

            String show = """
                    {"name": "show", "inputs": [{"name": "primary", "key": "crud-primary-key"}],
                     "destinations": [{"name": "a", "url": "%s"}, {"name": "b", "url": "%s"}],
                     "webhooks": [{"url": "http://127.0.0.1:9/crud-hook", "secret": "crud-webhook-secret-1"}]}
                    """.formatted(a.rtmpUrl("live", "a1"), b.rtmpUrl("live", "b1"));
            // an event stream opened before the channel exists still gets the new channel's events
            java.util.concurrent.CompletableFuture<String> events =
                    firstEventOf("\"channel\":\"show\",\"type\":\"INPUT_UP\"");
            assertThat(call("POST", "/api/v1/channels", show).statusCode()).isEqualTo(201);
            assertThat(call("POST", "/api/v1/channels", show).statusCode()).isEqualTo(409);
            server.awaitDestinationsLive("show", Duration.ofSeconds(20));

            try (FfmpegPublisher enc = FfmpegPublisher.start(media, server.ingestUrl("crud-primary-key"))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> server.destination("show", "a").packetsSent() > 100);
                assertThat(events.get(15, java.util.concurrent.TimeUnit.SECONDS))
                        .contains("\"type\":\"INPUT_UP\"");

                // change destination b's stream name; a is unchanged and must not notice
                String changed = show.replace("b1", "b2");
                assertThat(call("PUT", "/api/v1/channels/show", changed).statusCode())
                        .isEqualTo(200);
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> b.publishSessions().stream()
                                        .filter(s -> s.kind() == PublishEvent.Kind.PUBLISH
                                                && s.name().equals("b2"))
                                        .count()
                                == 1);
                assertThat(a.publishSessions().stream()
                                .filter(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                                .count())
                        .isEqualTo(1);
                assertThat(server.channel("show").activeInput()).isEqualTo("primary");

                // rotate the primary's key: the live encoder stays, the old key no longer publishes
                JsonNode rotated = json.readTree(call("POST", "/api/v1/channels/show/inputs/primary/key", null)
                        .body());
                String newKey = rotated.get("key").asText();
                assertThat(newKey).hasSize(32).isNotEqualTo("crud-primary-key");
                assertThat(server.channel("show").activeInput()).isEqualTo("primary");
                try (FfmpegPublisher old = FfmpegPublisher.startOnce(media, server.ingestUrl("crud-primary-key"))) {
                    assertThat(old.waitFor(Duration.ofSeconds(20)))
                            .as("old key refused")
                            .hasValueSatisfying(rc -> assertThat(rc).isNotZero());
                }

                // add a backup input with a generated key (shown once), then publish on it
                JsonNode added = json.readTree(call("POST", "/api/v1/channels/show/inputs", "{\"name\":\"backup\"}")
                        .body());
                String backupKey = added.get("key").asText();
                try (FfmpegPublisher backup = FfmpegPublisher.start(media, server.ingestUrl(backupKey))) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> server.channel("show").inputs().size() == 2
                                    && server.channel("show")
                                            .inputs()
                                            .get(1)
                                            .state()
                                            .name()
                                            .equals("STANDBY"));
                }

                // the masked configuration never shows a key
                String exported = call("GET", "/api/v1/config", null).body();
                assertThat(exported)
                        .contains("name: show")
                        .doesNotContain(newKey)
                        .doesNotContain(backupKey)
                        .doesNotContain("a1");
                String shown = call("GET", "/api/v1/channels/show/config", null).body();
                assertThat(shown)
                        .doesNotContain(newKey)
                        .doesNotContain("crud-webhook-secret-1")
                        .contains("\"url\":\"http://127.0.0.1:9/crud-hook\"");
                assertThat(call("GET", "/api/v1/openapi.json", null).body()).contains("\"openapi\"");
                assertThat(Cli.run("keys", "rotate", "show", "backup", "--server", base, "--token", TOKEN))
                        .contains("new stream key of show/backup (shown once): ")
                        .doesNotContain(backupKey);
            }

            // the CLI applies a YAML file and exports the result
            Path file = tmp.resolve("extra.yaml");
            Files.writeString(file, """
                    channels:
                      - name: extra
                        inputs: [ { name: primary, key: "extra-key-0001" } ]
                    """);
            assertThat(Cli.run("apply", "-f", file.toString(), "--server", base, "--token", TOKEN))
                    .contains("Applied " + file + ": channel")
                    .contains("extra")
                    .contains("created or updated live");
            assertThat(Cli.run("export", "--server", base, "--token", TOKEN))
                    .contains("name: extra")
                    .doesNotContain("extra-key-0001");
            assertThat(Cli.run("export", "--server", base, "--token", TOKEN, "--show-secrets"))
                    .contains("extra-key-0001");

            assertThat(call("DELETE", "/api/v1/channels/show", null).statusCode())
                    .isEqualTo(204);
            assertThat(call("GET", "/api/v1/channels/show", null).statusCode()).isEqualTo(404);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            a.publishSessions().stream().anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
        }
    }

    @Test
    void changesMadeOverTheApiSurviveARestart(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("config.yaml"), """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                channels: []
                """.formatted(TOKEN));
        Server first = Server.start(new ServerOptions(
                null,
                data,
                io.streamrepeater.testkit.FreePorts.loopback(),
                io.streamrepeater.testkit.FreePorts.loopback(),
                null));
        try {
            base = "http://127.0.0.1:" + first.httpPort();
            assertThat(call(
                                    "POST",
                                    "/api/v1/channels",
                                    "{\"name\":\"kept\",\"inputs\":[{\"name\":\"primary\",\"key\":\"kept-key-00001\"}]}")
                            .statusCode())
                    .isEqualTo(201);
        } finally {
            first.stop();
        }
        assertThat(data.resolve("config.yaml"))
                .as("the old configuration file was moved into the store")
                .doesNotExist();
        assertThat(data.resolve("config.db")).exists();
        Server second = Server.start(
                new ServerOptions(null, data, io.streamrepeater.testkit.FreePorts.loopback(), 0, null).withSrtPort(0));
        try {
            assertThat(second.status()).extracting(s -> s.name()).containsExactly("kept");
        } finally {
            second.stop();
        }
    }

    @Test
    void aConfigFilesChannelsAreAppliedIntoTheStoreAndApiChannelsStayBesideThem(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path file = tmp.resolve("show.yaml");
        Files.writeString(file, """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                channels:
                  - name: show
                    inputs: [ { name: primary, key: "file-key-000001" } ]
                """.formatted(TOKEN));
        Server first = Server.start(new ServerOptions(
                file,
                data,
                io.streamrepeater.testkit.FreePorts.loopback(),
                io.streamrepeater.testkit.FreePorts.loopback(),
                null));
        try {
            base = "http://127.0.0.1:" + first.httpPort();
            assertThat(call(
                                    "POST",
                                    "/api/v1/channels",
                                    "{\"name\":\"extra\",\"inputs\":[{\"name\":\"primary\",\"key\":\"api-key-000001\"}]}")
                            .statusCode())
                    .isEqualTo(201);
        } finally {
            first.stop();
        }
        Files.writeString(file, Files.readString(file).replace("file-key-000001", "file-key-000002"));
        Server second = Server.start(
                new ServerOptions(file, data, io.streamrepeater.testkit.FreePorts.loopback(), 0, null).withSrtPort(0));
        try {
            assertThat(second.currentConfig().channels())
                    .extracting(c -> c.name())
                    .containsExactlyInAnyOrder("show", "extra");
            assertThat(second.currentConfig()
                            .channel("show")
                            .orElseThrow()
                            .inputs()
                            .get(0)
                            .key())
                    .isEqualTo("file-key-000002");
        } finally {
            second.stop();
        }
    }

    /** Reads the event stream in the background until a data line contains {@code marker} (bounded). */
    private java.util.concurrent.CompletableFuture<String> firstEventOf(String marker) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Accept", "text/event-stream")
                .build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofLines())
                .thenApply(r -> r.body()
                        .filter(line -> line.startsWith("data:") && line.contains(marker))
                        .findFirst()
                        .orElse(""));
    }
}
