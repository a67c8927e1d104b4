package io.streamrepeater.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of issue 8: the real server in a JVM of its own with Netty's leak detector on, one channel fed by
 * a primary and a backup ffmpeg encoder, relaying to 4 nginx-rtmp destinations, for {@code soak.minutes}
 * (default 5) while the primary encoder is killed every 2 minutes (and started again 20 s later) and one
 * destination after the other is stopped and started again every 3 minutes (see {@link SoakPlan}).
 *
 * <p>Every 10 s a full GC is run in the server ({@code jcmd GC.run}) and its heap and direct memory are read
 * from {@code /metrics} into {@code target/soak/memory.csv}. At the end: reconnects per destination (API),
 * switches (metrics), decode errors in every recording (ffprobe), {@code LEAK:} lines in the server's log, and
 * whether heap and direct memory stayed flat; the table goes to {@code target/soak/summary.md}, and the test
 * fails on the conditions of {@link SoakSummary#failures()}.
 *
 * <p>Not part of the test suite: tagged {@code nightly}, run by {@code bench/soak.sh [minutes]} or
 * {@code mvn -Pnightly -pl app -am test}. Options (system properties): {@code soak.minutes},
 * {@code soak.leakLevel} (default paranoid), {@code soak.failback} (default: the channel's default),
 * {@code soak.serverHeap} (default 512m).
 */
@Tag("nightly")
class Soak {
    static final int MINUTES = Integer.getInteger("soak.minutes", 5);
    static final String LEAK_LEVEL = System.getProperty("soak.leakLevel", "paranoid");
    static final String FAILBACK = System.getProperty("soak.failback", "");
    static final String SERVER_HEAP = System.getProperty("soak.serverHeap", "512m");
    static final int MAX_MINUTES = 120;
    static final int DESTINATIONS = 4;
    static final String CHANNEL = "soak";
    static final String SWITCHES_METRIC = "streamrepeater_channel_switches_total";
    static final String PRIMARY_KEY = "soak-primary-key-aaaa";
    static final String BACKUP_KEY = "soak-backup-key-bbbb";
    static final String ADMIN_TOKEN = "soak-admin-token-cccc";
    static final Duration SETTLE = Duration.ofSeconds(30);
    static final Duration END_LIVE_WAIT = Duration.ofSeconds(60);
    static final Duration PLAN_OVERRUN = Duration.ofMinutes(10);

    private final List<MemorySample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stepErrors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<FfmpegPublisher> primary = new AtomicReference<>();
    private long startNanos;

    @Test
    @Timeout(value = MAX_MINUTES + 30, unit = TimeUnit.MINUTES)
    void soak(@TempDir Path tmp) throws Exception {
        assertThat(MINUTES).as("soak.minutes").isBetween(1, MAX_MINUTES);
        Duration length = Duration.ofMinutes(MINUTES);
        Path out = outputDirectory();
        String machineAtStart = MachineDescription.cpu() + "; load average " + MachineDescription.loadAverage();
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "640x360", 30, "600k");
        SoakPlan plan = SoakPlan.issueDefaults(length, DESTINATIONS);

        List<NginxRtmp> destinations = new ArrayList<>();
        FfmpegPublisher backup = null;
        SoakServer server = null;
        try {
            for (int i = 0; i < DESTINATIONS; i++) {
                destinations.add(NginxRtmp.start(tmp.resolve("dest-" + (i + 1))));
            }
            server = SoakServer.start(
                    out.resolve("server"),
                    configuration(destinations),
                    ADMIN_TOKEN,
                    List.of("-Xmx" + SERVER_HEAP, "-Dio.netty.leakDetection.level=" + LEAK_LEVEL));
            SoakServer s = server;
            await().atMost(SETTLE).until(() -> liveDestinations(s.channel(CHANNEL)) == DESTINATIONS);
            primary.set(FfmpegPublisher.start(media, server.ingestUrl(PRIMARY_KEY)));
            await().atMost(SETTLE)
                    .until(() -> "primary"
                            .equals(s.channel(CHANNEL).path("activeInput").asText()));
            backup = FfmpegPublisher.start(media, server.ingestUrl(BACKUP_KEY));
            await().atMost(SETTLE).until(() -> "STANDBY".equals(inputState(s.channel(CHANNEL), "backup")));

            // the first activation of the primary counts as a switch too: count only what the plan caused
            Map<String, Double> switchesBefore = server.metrics().sumBy(SWITCHES_METRIC, "reason");
            runPlan(plan, server, destinations, media, out.resolve("memory.csv"));

            Map<String, String> stateAtEnd = awaitLiveAtEnd(server);
            JsonNode channel = server.channel(CHANNEL);
            Map<String, Long> reconnects = new LinkedHashMap<>();
            for (JsonNode d : channel.path("destinations")) {
                reconnects.put(d.path("name").asText(), d.path("reconnects").asLong());
            }
            Map<String, Long> switches = new LinkedHashMap<>();
            server.metrics().sumBy(SWITCHES_METRIC, "reason").forEach((reason, count) -> {
                long during = Math.round(count - switchesBefore.getOrDefault(reason, 0.0));
                if (during > 0) {
                    switches.put(reason, during);
                }
            });

            primary.get().close();
            backup.close();
            server.close();
            int leaks = server.leakReports().size();

            List<DestinationOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < DESTINATIONS; i++) {
                String name = destinationName(i);
                outcomes.add(analyse(
                        name,
                        destinations.get(i),
                        stateAtEnd.getOrDefault(name, "MISSING"),
                        reconnects.getOrDefault(name, -1L)));
            }
            long warmUp = Math.min(60, length.toSeconds() / 5);
            SoakSummary summary = new SoakSummary(
                    length,
                    failbackLabel(),
                    plan.count(SoakPlan.Action.KILL_PRIMARY),
                    plan.count(SoakPlan.Action.STOP_DESTINATION),
                    samples.size(),
                    warmUp,
                    MemoryTrend.of(samples, warmUp, MemorySample::heapUsedBytes),
                    MemoryTrend.of(samples, warmUp, MemorySample::directBufferBytes),
                    MemoryTrend.of(samples, warmUp, MemorySample::nettyPooledDirectBytes),
                    switches,
                    outcomes,
                    leaks,
                    LEAK_LEVEL,
                    stepErrors,
                    machineAtStart + " at the start, " + MachineDescription.loadAverage() + " at the end");
            String markdown = summary.markdown();
            Files.writeString(out.resolve("summary.md"), markdown);
            System.out.println(markdown);
            assertThat(summary.failures())
                    .as(
                            "soak verdict; server log %s; first leak reports %s",
                            server.logFile(),
                            server.leakReports().stream().limit(3).toList())
                    .isEmpty();
        } finally {
            FfmpegPublisher p = primary.get();
            if (p != null) {
                p.close();
            }
            if (backup != null) {
                backup.close();
            }
            if (server != null) {
                server.close();
            }
            destinations.forEach(NginxRtmp::close);
        }
    }

    /** Runs every step of the plan at its time on one thread, and waits (bounded) until the last one is done. */
    private void runPlan(SoakPlan plan, SoakServer server, List<NginxRtmp> destinations, Path media, Path csv)
            throws IOException, InterruptedException {
        Files.writeString(csv, MemorySample.CSV_HEADER + "\n");
        ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "soak-plan"));
        startNanos = System.nanoTime();
        for (SoakPlan.Step step : plan.steps()) {
            scheduler.schedule(
                    () -> runStep(step, server, destinations, media, csv),
                    step.at().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        scheduler.shutdown(); // already scheduled steps still run
        Duration bound = plan.length().plus(PLAN_OVERRUN);
        if (!scheduler.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            scheduler.shutdownNow();
            stepErrors.add("the plan did not finish within " + bound + " (steps took longer than planned)");
        }
    }

    private void runStep(SoakPlan.Step step, SoakServer server, List<NginxRtmp> destinations, Path media, Path csv) {
        long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        try {
            switch (step.action()) {
                case SAMPLE -> {
                    MemorySample sample = sample(server, elapsed);
                    samples.add(sample);
                    Files.writeString(csv, sample.csvLine() + "\n", StandardOpenOption.APPEND);
                    System.out.printf(
                            Locale.ROOT,
                            "soak %5d s heap %6.1f MiB direct %6.1f MiB active %s live %d%n",
                            elapsed,
                            sample.heapUsedBytes() / 1048576.0,
                            sample.directBufferBytes() / 1048576.0,
                            sample.activeInput(),
                            sample.liveDestinations());
                }
                case KILL_PRIMARY -> {
                    primary.get().kill();
                    System.out.printf(Locale.ROOT, "soak %5d s primary encoder killed%n", elapsed);
                }
                case START_PRIMARY -> {
                    primary.set(FfmpegPublisher.start(media, server.ingestUrl(PRIMARY_KEY)));
                    System.out.printf(Locale.ROOT, "soak %5d s primary encoder started%n", elapsed);
                }
                case STOP_DESTINATION -> {
                    destinations.get(step.destination()).stop();
                    System.out.printf(
                            Locale.ROOT,
                            "soak %5d s destination %s stopped%n",
                            elapsed,
                            destinationName(step.destination()));
                }
                case FLOOD -> {
                    // 40 keyless connections from 4 addresses, each starting a 16 MiB message and sending 1 MiB of it
                    int closed = io.streamrepeater.app.PartialMessageFlood.run(server.rtmpPort(), 4, 10, 1 << 20);
                    System.out.printf(
                            Locale.ROOT,
                            "soak %5d s keyless flood: %d of 40 connections closed by the server%n",
                            elapsed,
                            closed);
                    if (closed != 40) {
                        throw new AssertionError(
                                "the server kept " + (40 - closed) + " keyless flood connections open");
                    }
                }
                case START_DESTINATION -> {
                    destinations.get(step.destination()).start();
                    System.out.printf(
                            Locale.ROOT,
                            "soak %5d s destination %s started%n",
                            elapsed,
                            destinationName(step.destination()));
                }
            }
        } catch (Exception | AssertionError e) {
            String error = "at " + elapsed + " s " + step.action() + ": " + e;
            stepErrors.add(error);
            System.out.println("soak " + error);
        }
    }

    private static MemorySample sample(SoakServer server, long elapsed) throws IOException {
        server.collectGarbage();
        PrometheusText metrics = server.metrics();
        JsonNode channel = server.channel(CHANNEL);
        String active = channel.path("activeInput").isTextual()
                ? channel.path("activeInput").asText()
                : "none";
        return new MemorySample(
                elapsed,
                Math.round(metrics.sum("jvm_memory_used_bytes", Map.of("area", "heap"))),
                Math.round(metrics.sum("jvm_buffer_memory_used_bytes", Map.of("id", "direct"))),
                Math.round(metrics.sum("netty_pooled_used_direct_memory_bytes", Map.of())),
                active,
                liveDestinations(channel));
    }

    /** Waits (bounded) until every destination is LIVE again; their states then, by name. */
    private static Map<String, String> awaitLiveAtEnd(SoakServer server) throws IOException {
        try {
            await().atMost(END_LIVE_WAIT).until(() -> liveDestinations(server.channel(CHANNEL)) == DESTINATIONS);
        } catch (ConditionTimeoutException notAllLive) {
            // reported per destination below
        }
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode d : server.channel(CHANNEL).path("destinations")) {
            states.put(d.path("name").asText(), d.path("state").asText());
        }
        return states;
    }

    /** Waits (bounded) for nginx to close its recordings, then has ffprobe decode every one. */
    private static DestinationOutcome analyse(String name, NginxRtmp nginx, String stateAtEnd, long reconnects) {
        try {
            await().atMost(SETTLE)
                    .until(() ->
                            count(nginx, PublishEvent.Kind.PUBLISH_DONE) >= count(nginx, PublishEvent.Kind.PUBLISH));
        } catch (ConditionTimeoutException stillOpen) {
            // the recording is still analysed; a cut-off last tag would show as a decode error
        }
        long videoPackets = 0;
        long decodeErrors = 0;
        int nonMonotonic = 0;
        List<Path> recordings = nginx.recordings();
        for (Path recording : recordings) {
            MediaReport report = Ffprobe.analyze(recording);
            videoPackets += report.videoPackets();
            decodeErrors += report.decodeErrorLines().size();
            if (!report.decodeErrorLines().isEmpty()) {
                System.out.println("soak decode errors in " + recording + ": "
                        + report.decodeErrorLines().stream().limit(5).toList());
            }
            if (!report.videoDtsMonotonic() || !report.audioDtsMonotonic()) {
                nonMonotonic++;
            }
        }
        return new DestinationOutcome(
                name,
                stateAtEnd,
                reconnects,
                count(nginx, PublishEvent.Kind.PUBLISH),
                recordings.size(),
                videoPackets,
                decodeErrors,
                nonMonotonic);
    }

    private static long count(NginxRtmp nginx, PublishEvent.Kind kind) {
        return nginx.publishSessions().stream().filter(e -> e.kind() == kind).count();
    }

    private static int liveDestinations(JsonNode channel) {
        return (int) StreamSupport.stream(channel.path("destinations").spliterator(), false)
                .filter(d -> "LIVE".equals(d.path("state").asText()))
                .count();
    }

    private static String inputState(JsonNode channel, String input) {
        return StreamSupport.stream(channel.path("inputs").spliterator(), false)
                .filter(i -> input.equals(i.path("name").asText()))
                .findFirst()
                .map(i -> i.path("state").asText())
                .orElse("MISSING");
    }

    private static String destinationName(int index) {
        return "d" + (index + 1);
    }

    private static String configuration(List<NginxRtmp> destinations) {
        StringBuilder yaml = new StringBuilder("""
                server: { rtmpPort: 1935, httpPort: 8080, srtPort: 0, adminToken: "%s" }
                channels:
                  - name: %s
                    inputs:
                      - { name: primary, key: "%s" }
                      - { name: backup, key: "%s" }
                """.formatted(ADMIN_TOKEN, CHANNEL, PRIMARY_KEY, BACKUP_KEY));
        if (!FAILBACK.isEmpty()) {
            yaml.append("    failover: { failback: ").append(FAILBACK).append(" }\n");
        }
        yaml.append("    destinations:\n");
        for (int i = 0; i < destinations.size(); i++) {
            yaml.append("      - { name: ")
                    .append(destinationName(i))
                    .append(", url: \"")
                    .append(destinations.get(i).rtmpUrl("live", "out"))
                    .append("\" }\n");
        }
        return yaml.toString();
    }

    private static String failbackLabel() {
        return FAILBACK.isEmpty()
                ? FailoverConfig.DEFAULT_FAILBACK.name().toLowerCase(Locale.ROOT) + " (channel default)"
                : FAILBACK + " (soak.failback)";
    }

    private static Path outputDirectory() throws IOException {
        String basedir = System.getProperty("basedir");
        Path out = (basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath())
                .resolve("target")
                .resolve("soak");
        Files.createDirectories(out);
        for (String old : List.of("memory.csv", "summary.md")) {
            Files.deleteIfExists(out.resolve(old));
        }
        Path serverDir = out.resolve("server"); // log and store of the last soak's server
        if (Files.exists(serverDir)) {
            try (var files = Files.walk(serverDir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        return out;
    }
}
