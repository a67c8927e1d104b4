package io.streamrepeater.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.testkit.ExternalProcess;
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
import java.util.Optional;

/** Stream Repeater as built ({@code app/target/stream-repeater.jar}), its own JVM, configured by a YAML file. */
final class StreamRepeaterRelay implements RelayUnderTest {
    private static final String TOKEN = "bench-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JVM option that keeps Netty on the JDK's TLS engine although BoringSSL (netty-tcnative) is shipped. */
    static final String JDK_TLS = "-Dio.netty.handler.ssl.noOpenSsl=true";

    private final ExternalProcess process;
    private final int rtmpPort;
    private final int httpPort;
    private final String label;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StreamRepeaterRelay(ExternalProcess process, int rtmpPort, int httpPort, String label) {
        this.process = process;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
        this.label = label;
    }

    /**
     * Starts the server with one channel per publisher ({@code ch1..chN}, input key {@code load-bench-key-chK}), each with
     * the workload's destinations ({@code rtmp://SINK/dJ/chK}), and waits until its API answers.
     *
     * @param backupFor channels that also get a backup input ({@code load-bench-key-chK-backup}), for a switch under load
     * @param jdkTls whether to keep TLS on the JDK's engine ({@link #JDK_TLS}) rather than BoringSSL
     */
    static StreamRepeaterRelay start(
            Path dir,
            Path jar,
            List<String> javaCommand,
            int rtmpPort,
            int httpPort,
            Workload w,
            Sinks sinks,
            List<Integer> backupFor,
            boolean jdkTls)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder yaml = new StringBuilder()
                .append("server:\n  rtmpPort: ")
                .append(rtmpPort)
                .append("\n  srtPort: 0\n  httpPort: ")
                .append(httpPort)
                .append("\n  dataDir: ")
                .append(dir.resolve("data"))
                .append("\n  adminToken: ")
                .append(TOKEN)
                // Every publisher comes from 127.0.0.1: lift the per-address cap (default 20) above the workload.
                .append("\n  limits: { maxConnectionsPerAddress: ")
                .append(Math.max(20, 2 * w.channels() + 10))
                .append(" }")
                .append("\nchannels:\n");
        for (int c = 1; c <= w.channels(); c++) {
            yaml.append("  - name: ch")
                    .append(c)
                    .append("\n    inputs:\n      - { name: primary, key: load-bench-key-ch")
                    .append(c)
                    .append(" }\n");
            if (backupFor.contains(c)) {
                yaml.append("      - { name: backup, key: load-bench-key-ch")
                        .append(c)
                        .append("-backup }\n");
            }
            yaml.append("    failover: { inputLossMs: 1000, failback: sticky }\n    destinations:\n");
            for (int d = 1; d <= w.destinations(); d++) {
                yaml.append("      - { name: d")
                        .append(d)
                        .append(", url: \"")
                        .append(sinks.applicationUrl(d))
                        .append("/ch")
                        .append(c)
                        .append("\" }\n");
            }
        }
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, yaml);
        List<String> command = new ArrayList<>(javaCommand);
        if (jdkTls) {
            command.add(JDK_TLS);
        }
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString()));
        if (sinks.tls()) {
            command.addAll(List.of("--trust-ca", sinks.caCertFile().toString()));
        }
        ExternalProcess p = ExternalProcess.start("stream-repeater", command, dir.resolve("server.log"));
        StreamRepeaterRelay relay = new StreamRepeaterRelay(
                p, rtmpPort, httpPort, jdkTls ? "stream-repeater (JDK TLS)" : "stream-repeater");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!relay.ready()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.kill();
                throw new IllegalStateException("stream-repeater did not become ready; log:\n" + p.log());
            }
            Pause.millis(200);
        }
        return relay;
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(uri("/readyz")).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The sum of every Prometheus series whose line starts with {@code prefix} (e.g. a name and some labels). */
    double metricSum(String prefix) {
        double sum = 0;
        for (String line : metricsText().split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Runs a full GC in the server ({@code jcmd PID GC.run}), so heap figures show what is live. */
    void fullGc() {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid()), "GC.run")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("jcmd GC.run did not finish within 30 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String metricsText() {
        try {
            return http.send(HttpRequest.newBuilder(uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of one Prometheus series line (name with labels, exactly), or NaN when absent. */
    double metric(String series) {
        try {
            String text = http.send(
                            HttpRequest.newBuilder(uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String line : text.split("\n")) {
                if (line.startsWith(series + " ")) {
                    return Double.parseDouble(
                            line.substring(series.length() + 1).trim());
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(uri(path))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void delete(String path) {
        try {
            http.send(
                    HttpRequest.newBuilder(uri(path))
                            .DELETE()
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String ingestUrl(int channel) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/live/load-bench-key-ch" + channel;
    }

    String backupIngestUrl(int channel) {
        return ingestUrl(channel) + "-backup";
    }

    long pid() {
        return process.pid();
    }

    @Override
    public List<Long> pids() {
        return List.of(process.pid());
    }

    @Override
    public void windowStarts() {
        delete("/api/v1/diagnostics/relay-latency");
    }

    @Override
    public Optional<JsonNode> latency() {
        return Optional.of(get("/api/v1/diagnostics/relay-latency"));
    }

    @Override
    public long selfReportedDroppedFrames() {
        long dropped = 0;
        for (JsonNode channel : get("/api/v1/channels")) {
            for (JsonNode d : channel.path("destinations")) {
                dropped += d.path("framesDropped").asLong();
            }
        }
        return dropped;
    }

    /** Destinations in state LIVE over all channels. */
    int liveDestinations() {
        int live = 0;
        for (JsonNode channel : get("/api/v1/channels")) {
            for (JsonNode d : channel.path("destinations")) {
                if ("LIVE".equals(d.path("state").asText())) {
                    live++;
                }
            }
        }
        return live;
    }

    @Override
    public void close() {
        process.stop("TERM", Duration.ofSeconds(10));
    }
}
