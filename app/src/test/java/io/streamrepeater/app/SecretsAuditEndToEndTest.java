package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 8: stream keys and destination keys never appear in logs, metrics, API reads or error messages. A server
 * runs with known secrets, two encoders publish, a third uses a wrong key, one destination's port is closed (its
 * errors are logged and shown), a webhook receiver is unreachable, a key is rotated, bad requests are refused;
 * then every output is searched for every secret. Each output is also checked to hold what it is about (the
 * channel, the failing destination), so a search in an empty place would fail.
 */
class SecretsAuditEndToEndTest {
    private static final String ADMIN_TOKEN = "audit-admin-token-5f1e2d3c";
    private static final String PRIMARY_KEY = "audit-primary-key-a8b7c6";
    private static final String BACKUP_KEY = "audit-backup-key-d5e4f3";
    private static final String WRONG_KEY = "audit-wrong-key-g2h1i0";
    private static final String DESTINATION_KEY = "audit-dest-key-j9k8l7";
    private static final String CLOSED_DESTINATION_KEY = "audit-closed-key-m6n5o4";
    private static final String CLOSED_BACKUP_KEY = "audit-closed-backup-p3q2r1";
    private static final String WEBHOOK_TOKEN = "audit-hook-token-s0t9u8";
    private static final String WEBHOOK_SECRET = "audit-webhook-secret-v7w6x5";
    private static final String REFUSED_URL_KEY = "audit-refused-url-key-y4z3";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    @BeforeEach
    void captureOutput() {
        logs.start();
        root().addAppender(logs);
        System.setOut(new PrintStream(new Tee(originalOut, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, printed), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopCapture() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        root().detachAppender(logs);
    }

    @Test
    void noSecretReachesLogsMetricsApiReadsEventsOrErrorMessages(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), 30, "320x180", 30, "300k");
        int closedPort = FreePorts.loopback();
        int closedBackupPort = FreePorts.loopback();
        int closedWebhookPort = FreePorts.loopback();
        List<String> secrets = new ArrayList<>(List.of(
                ADMIN_TOKEN,
                PRIMARY_KEY,
                BACKUP_KEY,
                WRONG_KEY,
                DESTINATION_KEY,
                CLOSED_DESTINATION_KEY,
                CLOSED_BACKUP_KEY,
                WEBHOOK_TOKEN,
                WEBHOOK_SECRET,
                REFUSED_URL_KEY));
        List<String> apiReads = new ArrayList<>();
        List<String> errorBodies = new ArrayList<>();
        String metrics;
        String events;
        Path data = tmp.resolve("relay").resolve("data");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"))) {
            try (RunningServer server = RunningServer.start(
                            tmp.resolve("relay"),
                            """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                    channels:
                      - name: show
                        inputs:
                          - { name: primary, key: "%s" }
                          - { name: backup, key: "%s" }
                        destinations:
                          - { name: ok, url: "%s" }
                          - { name: closed, url: "rtmp://127.0.0.1:%d/live2/%s",
                              backupUrl: "rtmp://127.0.0.1:%d/live2?backup=1/%s" }
                        webhooks:
                          - { url: "http://127.0.0.1:%d/hook?token=%s", secret: "%s" }
                    """.formatted(
                                            ADMIN_TOKEN,
                                            PRIMARY_KEY,
                                            BACKUP_KEY,
                                            dest.rtmpUrl("live", DESTINATION_KEY),
                                            closedPort,
                                            CLOSED_DESTINATION_KEY,
                                            closedBackupPort,
                                            CLOSED_BACKUP_KEY,
                                            closedWebhookPort,
                                            WEBHOOK_TOKEN,
                                            WEBHOOK_SECRET),
                            null,
                            true);
                    FfmpegPublisher primary = FfmpegPublisher.start(media, server.ingestUrl(PRIMARY_KEY));
                    FfmpegPublisher backup = FfmpegPublisher.start(media, server.ingestUrl(BACKUP_KEY))) {
                base = "http://127.0.0.1:" + server.server.httpPort();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secret.key"))))
                        .as("the key file of the store")
                        .isEqualTo("rw-------");
                server.awaitDestinationLive("show", "ok", WAIT);
                await().atMost(WAIT)
                        .until(() -> server.destination("show", "ok").packetsSent() > 60
                                && server.destination("show", "closed").lastError() != null
                                && server.destination("show", "closed").state() != DestinationState.LIVE);
                try (FfmpegPublisher wrong = FfmpegPublisher.start(media, server.ingestUrl(WRONG_KEY))) {
                    await().atMost(WAIT).until(() -> !wrong.isAlive());
                }

                // reads: status, configuration (masked), metrics, events
                for (String path : List.of(
                        "/api/v1/channels",
                        "/api/v1/channels/show",
                        "/api/v1/channels/show/config",
                        "/api/v1/config")) {
                    HttpResponse<String> read = call("GET", path, null);
                    assertThat(read.statusCode()).as(path).isEqualTo(200);
                    apiReads.add(path + " -> " + read.body());
                }
                metrics = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                events = eventsUntil("\"destination\":\"closed\"");

                // requests that fail, with a secret in what they send
                errorBodies.add(expectError(call(
                        "POST",
                        "/api/v1/channels/show/destinations",
                        "{\"name\":\"bad\",\"url\":\"rtmp://127.0.0.1:99999/live/" + REFUSED_URL_KEY + "\"}")));
                errorBodies.add(expectError(call(
                        "POST",
                        "/api/v1/channels/show/destinations",
                        "{\"name\":\"Bad Name\",\"url\":\"rtmp://127.0.0.1/live/" + REFUSED_URL_KEY + "\"}")));
                errorBodies.add(expectError(call(
                        "POST",
                        "/api/v1/channels",
                        "{\"name\":\"copy\",\"inputs\":[{\"name\":\"primary\",\"key\":\"" + BACKUP_KEY + "\"}]}")));
                errorBodies.add(expectError(call(
                        "POST",
                        "/api/v1/channels",
                        "{\"name\":\"spaces\",\"inputs\":[{\"name\":\"primary\",\"key\":\"" + REFUSED_URL_KEY
                                + " x\"}]}")));
                errorBodies.add(expectError(call("GET", "/api/v1/channels", null, WRONG_KEY)));

                // the two reads that return a key on purpose: it is in their answer, nowhere else
                assertThat(call("GET", "/api/v1/channels/show/inputs/backup/ingest", null)
                                .body())
                        .contains(BACKUP_KEY);
                HttpResponse<String> rotated = call("POST", "/api/v1/channels/show/inputs/primary/key", null);
                assertThat(rotated.statusCode()).isEqualTo(200);
                String newKey = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(rotated.body())
                        .get("key")
                        .asText();
                secrets.add(newKey);
                HttpResponse<String> afterRotation = call("GET", "/api/v1/channels/show", null);
                apiReads.add("after rotation -> " + afterRotation.body());
                assertThat(primary.isAlive()).isTrue();
                assertThat(backup.isAlive()).isTrue();
            }
        }
        String logText = logText();
        String printedText = printed.toString(StandardCharsets.UTF_8);
        String apiText = String.join("\n", apiReads);
        String errorText = String.join("\n", errorBodies);

        // each place holds what it is about
        assertThat(logText)
                .contains("event=publish-rejected")
                .contains("event=input-key-rotated")
                .contains("127.0.0.1:" + closedPort);
        assertThat(metrics).contains("channel=\"show\"").contains("destination=\"closed\"");
        assertThat(apiText)
                .contains("\"name\":\"closed\"")
                .contains("\"lastError\":\"")
                .contains("rtmp://127.0.0.1:" + closedPort + "/live2/****");
        assertThat(events).contains("\"destination\":\"closed\"");
        assertThat(errorText).contains("invalid port").contains("already used").contains("invalid token");
        for (String secret : secrets) {
            assertThat(logText).as("the logs").doesNotContain(secret);
            assertThat(printedText).as("standard output and error").doesNotContain(secret);
            assertThat(metrics).as("the metrics").doesNotContain(secret);
            assertThat(apiText).as("the API reads").doesNotContain(secret);
            assertThat(events).as("the events").doesNotContain(secret);
            assertThat(errorText).as("the error messages").doesNotContain(secret);
        }
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, ADMIN_TOKEN);
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String expectError(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        return response.statusCode() + " " + response.body();
    }

    /** The event stream from its start (the server replays its history) until a line holds {@code marker}. */
    private String eventsUntil(String marker) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Accept", "text/event-stream")
                .build();
        StringBuffer seen = new StringBuffer();
        CompletableFuture<String> done = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenApply(r -> {
                    try (Stream<String> lines = r.body()) {
                        lines.peek(line -> seen.append(line).append('\n'))
                                .filter(line -> line.contains(marker))
                                .findFirst();
                    }
                    return seen.toString();
                });
        return done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Every captured log event: message, arguments as formatted, and each exception in the chain with its trace. */
    private String logText() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            text.append(event.getLoggerName())
                    .append(' ')
                    .append(event.getFormattedMessage())
                    .append('\n');
            Map<String, String> mdc = event.getMDCPropertyMap();
            mdc.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(t.getClassName())
                        .append(": ")
                        .append(t.getMessage())
                        .append('\n');
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    text.append(frame.getSTEAsString()).append('\n');
                }
                for (IThrowableProxy suppressed : t.getSuppressed()) {
                    text.append(suppressed.getClassName())
                            .append(": ")
                            .append(suppressed.getMessage())
                            .append('\n');
                }
            }
        }
        return text.toString();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Writes to the real stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
        }
    }
}
