package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.testkit.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server on PostgreSQL whose database stops: every configuration change through the API is refused with a 503 that
 * says the store does not answer and nothing was changed, the running configuration stays, and once the database is
 * back the store holds what it held before and changes go through again.
 */
class StoreOutageApiEndToEndTest {
    private static final String TOKEN = "store-outage-admin-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void changesAreRefusedWith503WhileTheStoreIsDownAndNothingChanges(@TempDir Path tmp) throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            String database = postgres.createDatabase();
            try (RunningServer server =
                    RunningServer.start(tmp.resolve("relay"), """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                    channels:
                      - name: show
                        inputs:
                          - { name: primary, key: "outage-primary-key" }
                        destinations:
                          - { name: d1, url: "rtmp://127.0.0.1:1/live/d1", enabled: false }
                    """.formatted(TOKEN), null, true, database)) {
                base = "http://127.0.0.1:" + server.server.httpPort();
                assertThat(call("GET", "/api/v1/channels/show", null).statusCode())
                        .isEqualTo(200);
                String before = call("GET", "/api/v1/config", null).body();

                postgres.stop();
                try {
                    List<HttpResponse<String>> refused = List.of(
                            call(
                                    "POST",
                                    "/api/v1/channels/show/destinations",
                                    "{\"name\": \"d2\", \"url\": \"rtmp://127.0.0.1:1/live/d2\"}"),
                            call("PATCH", "/api/v1/channels/show/destinations/d1", "{\"enabled\": true}"),
                            call("DELETE", "/api/v1/channels/show/destinations/d1", null),
                            call("DELETE", "/api/v1/channels/show", null),
                            call(
                                    "POST",
                                    "/api/v1/channels",
                                    "{\"name\": \"extra\", \"inputs\": [{\"name\": \"primary\", \"key\":"
                                            + " \"outage-extra-key\"}]}"));
                    for (HttpResponse<String> r : refused) {
                        assertThat(r.statusCode())
                                .as("%s: %s", r.request(), r.body())
                                .isEqualTo(503);
                        assertThat(r.body())
                                .contains("the configuration store does not answer")
                                .contains("nothing was changed")
                                .doesNotContain("internal error")
                                .doesNotContain("outage-primary-key");
                    }
                    assertThat(refused.get(0).body())
                            .as("the save's own error, not a follow-up check's")
                            .contains("to save channel 'show'");
                    // the running configuration stayed; reading it needs no store (the token is checked against the
                    // last hash read)
                    assertThat(call("GET", "/api/v1/config", null).body()).isEqualTo(before);
                    assertThat(call("GET", "/api/v1/channels", null).body()).contains("\"show\"");
                } finally {
                    postgres.startAgain();
                }

                assertThat(stored(database, "SELECT name FROM channels")).containsExactly("show");
                assertThat(stored(database, "SELECT name || ':' || enabled FROM destinations"))
                        .containsExactly("d1:false");
                assertThat(call("GET", "/api/v1/config", null).body()).isEqualTo(before);

                HttpResponse<String> added = call(
                        "POST",
                        "/api/v1/channels/show/destinations",
                        "{\"name\": \"d2\", \"url\": \"rtmp://127.0.0.1:1/live/d2\", \"enabled\": false}");
                assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
                assertThat(stored(database, "SELECT name FROM destinations ORDER BY name"))
                        .containsExactly("d1", "d2");
            }
        }
    }

    private static List<String> stored(String jdbcUrl, String query) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                ResultSet rows = c.createStatement().executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
