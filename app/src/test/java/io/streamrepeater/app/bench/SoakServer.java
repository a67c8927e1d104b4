package io.streamrepeater.app.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.app.Main;
import io.streamrepeater.app.ShippedJvmOptions;
import io.streamrepeater.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real server as a JVM process of its own (so that its heap and direct-memory figures are its own),
 * started from this test's classpath with {@code Main serve}, RTMP and HTTP on free loopback ports, its
 * output appended to a log file. Reads {@code /metrics} and the channel API, asks the JVM for a full GC
 * with {@code jcmd PID GC.run}, and counts Netty's {@code LEAK:} reports in the log.
 */
final class SoakServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);
    private static final String LEAK_MARK = "LEAK:";

    private final Process process;
    private final Path log;
    private final int rtmpPort;
    private final int httpPort;
    private final String adminToken;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    private SoakServer(Process process, Path log, int rtmpPort, int httpPort, String adminToken) {
        this.process = process;
        this.log = log;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
        this.adminToken = adminToken;
    }

    /**
     * Starts {@code java JVM_OPTIONS -cp CLASSPATH Main serve --config DIR/soak.yaml --data-dir DIR/data} and waits
     * (at most 60 s) until {@code /readyz} answers 200.
     *
     * @param yaml the configuration; its {@code server.adminToken} must be {@code adminToken}
     * @param jvmOptions e.g. {@code -Dio.netty.leakDetection.level=paranoid}, {@code -Xmx512m}
     * @throws IllegalStateException with the log when the process exits or is not ready in time
     */
    static SoakServer start(Path dir, String yaml, String adminToken, List<String> jvmOptions) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("soak.yaml");
        Files.writeString(config, yaml);
        Path log = dir.resolve("server.log");
        int rtmp = FreePorts.loopback();
        int httpPort = FreePorts.loopback();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(ShippedJvmOptions.argument());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--rtmp-port",
                Integer.toString(rtmp),
                "--http-port",
                Integer.toString(httpPort)));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        SoakServer server = new SoakServer(p, log, rtmp, httpPort, adminToken);
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(server::ready);
        } catch (RuntimeException e) {
            server.close();
            throw new IllegalStateException(
                    "the soak server did not become ready within " + START_TIMEOUT + "; log " + log + ":\n"
                            + server.logText(),
                    e);
        }
        return server;
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the soak server exited with " + process.exitValue());
        }
        try {
            return get("/readyz").statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return log;
    }

    int rtmpPort() {
        return rtmpPort;
    }

    String ingestUrl(String key) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/live/" + key;
    }

    /** One scrape of {@code /metrics}. */
    PrometheusText metrics() throws IOException {
        HttpResponse<String> r = get("/metrics");
        requireOk(r, "/metrics");
        return PrometheusText.parse(r.body());
    }

    /** {@code GET /api/v1/channels/NAME}: activeInput, inputs[].state, destinations[].state/.reconnects… */
    JsonNode channel(String name) throws IOException {
        String path = "/api/v1/channels/" + name;
        HttpResponse<String> r = get(path);
        requireOk(r, path);
        return json.readTree(r.body());
    }

    /** Runs a full collection in the server ({@code jcmd PID GC.run}) so that a heap figure read next means something. */
    void collectGarbage() {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid()), "GC.run")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            if (!jcmd.waitFor(JCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                jcmd.destroyForcibly();
                throw new IllegalStateException("jcmd " + pid() + " GC.run did not return within " + JCMD_TIMEOUT);
            }
            if (jcmd.exitValue() != 0) {
                throw new IllegalStateException(
                        "jcmd " + pid() + " GC.run exited with " + jcmd.exitValue() + ": " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot run jcmd (part of the JDK) to collect garbage in the soak server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for jcmd", e);
        }
    }

    /** Lines of the server's log that report a leaked buffer (Netty's leak detector writes {@code LEAK: ...}). */
    List<String> leakReports() {
        return logText().lines().filter(line -> line.contains(LEAK_MARK)).toList();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                            .timeout(REQUEST_TIMEOUT)
                            .header("Authorization", "Bearer " + adminToken)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during GET " + path, e);
        }
    }

    private static void requireOk(HttpResponse<String> r, String path) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Stops the server with SIGTERM (it drains and stops), killing it if it has not exited within 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
