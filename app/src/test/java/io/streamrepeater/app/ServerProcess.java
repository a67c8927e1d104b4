package io.streamrepeater.app;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A Stream Repeater server in a JVM of its own ({@code Main serve --config FILE --data-dir DIR}), so that
 * SIGTERM and SIGKILL are real signals to a real process. Its output is appended to a log file.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final String host;
    private final int httpPort;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServerProcess(Process process, Path log, String host, int httpPort, String token) {
        this.process = process;
        this.log = log;
        this.host = host;
        this.httpPort = httpPort;
        this.token = token;
    }

    /**
     * Starts the server and waits (at most 40 s) until {@code /readyz} answers 200.
     *
     * @param token the admin token of the configuration, sent with every {@link #call}
     * @throws AssertionError with the log if the process exits before it is ready
     */
    static ServerProcess start(Path config, Path data, int rtmpPort, int httpPort, Path log, String token)
            throws IOException {
        return start(config, data, rtmpPort, httpPort, log, token, List.of());
    }

    /** As above, with more JVM options (e.g. {@code -XX:MaxDirectMemorySize=96m}) after the shipped ones. */
    static ServerProcess start(
            Path config, Path data, int rtmpPort, int httpPort, Path log, String token, List<String> jvmOptions)
            throws IOException {
        return start(config, data, rtmpPort, httpPort, log, token, jvmOptions, "127.0.0.1");
    }

    /** As above, for a server whose configuration binds it to {@code host} (a loopback address of its own). */
    static ServerProcess start(
            Path config,
            Path data,
            int rtmpPort,
            int httpPort,
            Path log,
            String token,
            List<String> jvmOptions,
            String host)
            throws IOException {
        return start(config, data, rtmpPort, httpPort, log, token, jvmOptions, host, UnaryOperator.identity());
    }

    /**
     * As above, the command passed through {@code launcher} first (e.g. {@link io.streamrepeater.testkit.NetworkCut#wrap}:
     * the JVM starts in a cgroup whose packets a test can drop).
     */
    static ServerProcess start(
            Path config,
            Path data,
            int rtmpPort,
            int httpPort,
            Path log,
            String token,
            List<String> jvmOptions,
            String host,
            UnaryOperator<List<String>> launcher)
            throws IOException {
        String javaCommand =
                Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaCommand, ShippedJvmOptions.argument()));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--config",
                config.toString(),
                "--data-dir",
                data.toString(),
                "--rtmp-port",
                Integer.toString(rtmpPort),
                "--http-port",
                Integer.toString(httpPort)));
        ProcessBuilder pb = new ProcessBuilder(launcher.apply(command));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        ServerProcess server = new ServerProcess(pb.start(), log, host, httpPort, token);
        try {
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(server::ready);
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    private boolean ready() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new AssertionError("server exited with " + process.exitValue() + "; log:\n" + log());
        }
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + "/readyz"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode()
                    == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** An authorised API call; {@code body} null for none. */
    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + path))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} parsed as JSON. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = call("GET", path, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /**
     * The channel events this node holds (its history, replayed by {@code GET /api/v1/events} from the first), each
     * as its JSON; the stream stays open, so it is read for at most {@code 1.5 s} after the last line.
     */
    List<JsonNode> events() throws IOException {
        return EventHistory.read("http://" + host + ":" + httpPort, token);
    }

    int httpPort() {
        return httpPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGSTOP: the process is frozen (a long GC pause, a frozen VM); {@link #resume()} lets it go on. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM: the way a service manager stops it. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: a crash, nothing runs on the way out. */
    void kill() {
        process.destroyForcibly();
    }

    /** Waits at most {@code timeout} for the process to end; its exit status, or empty if it still runs. */
    Optional<Integer> waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** Everything the server wrote so far (the log file may hold earlier runs too). */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Kills the process if it still runs and waits (bounded) until it is gone. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
