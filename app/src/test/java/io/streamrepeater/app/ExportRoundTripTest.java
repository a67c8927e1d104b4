package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code export} writes the server in force (issue 16): on a server started with other ports and another data
 * directory than its file says, the exported file starts that same server again; a masked export is refused by
 * {@code apply} with a message that says so, instead of replacing keys with ****.
 */
class ExportRoundTripTest {
    private static final String TOKEN = "export-round-trip-admin-token";

    @Test
    void theExportOfAServerOnOtherPortsStartsThatServerAgain(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("show.yaml");
        Files.writeString(file, """
                server: { adminToken: "%s" }
                channels:
                  - name: show
                    inputs: [{ name: primary, key: "round-trip-primary-key" }]
                """.formatted(TOKEN));
        int rtmp = FreePorts.loopback();
        int http = FreePorts.loopback();
        Path data = tmp.resolve("elsewhere");
        Path exported = tmp.resolve("exported.yaml");
        Server first = Server.start(new ServerOptions(file, data, rtmp, http, null, null, null, null, null, 0));
        try {
            // what `export --show-secrets` prints (read here from the API: the in-process server logs to stdout too)
            String yaml = exportOf(http, true);
            assertThat(yaml)
                    .contains("rtmpPort: " + rtmp)
                    .contains("httpPort: " + http)
                    .contains("srtPort: 0")
                    .contains("dataDir: " + data.toAbsolutePath());
            Files.writeString(exported, yaml);
        } finally {
            first.stop();
        }
        Server again = Server.start(new ServerOptions(exported, null, null, null, null, null));
        try {
            assertThat(again.rtmpPort()).isEqualTo(rtmp);
            assertThat(again.httpPort()).isEqualTo(http);
            assertThat(Files.exists(data.resolve("config.db"))).isTrue();
            assertThat(Cli.run("status", "--server", "127.0.0.1:" + http, "--token", TOKEN))
                    .contains("show");
        } finally {
            again.stop();
        }
    }

    private static String exportOf(int httpPort, boolean secrets) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort
                                        + "/api/v1/config" + (secrets ? "?secrets=true" : "")))
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aMaskedExportIsRefusedByApplyWithTheReason(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("show.yaml");
        Files.writeString(file, """
                server: { adminToken: "%s", srtPort: 0, rtmpPort: %d, httpPort: %d }
                channels:
                  - name: show
                    inputs: [{ name: primary, key: "masked-export-primary-key" }]
                """.formatted(TOKEN, FreePorts.loopback(), FreePorts.loopback()));
        Server server = Server.start(new ServerOptions(file, tmp.resolve("data"), null, null, null, null));
        try {
            String base = "127.0.0.1:" + server.httpPort();
            Path masked = tmp.resolve("masked.yaml");
            Files.writeString(masked, exportOf(server.httpPort(), false));
            PrintStream saved = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = new CommandLine(new Main())
                        .execute("apply", "-f", masked.toString(), "--server", base, "--token", TOKEN);
            } finally {
                System.setErr(saved);
            }
            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains(masked + ":")
                    .contains("holds a masked secret (****): this file is a masked export; export with --show-secrets");
            assertThat(server.currentConfig()
                            .channel("show")
                            .orElseThrow()
                            .inputs()
                            .get(0)
                            .key())
                    .as("the key in force is untouched")
                    .isEqualTo("masked-export-primary-key");
        } finally {
            server.stop();
        }
    }
}
