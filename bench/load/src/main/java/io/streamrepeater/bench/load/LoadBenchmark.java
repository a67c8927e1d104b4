package io.streamrepeater.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs each workload through Stream Repeater and through nginx-rtmp ({@code push}) in one run, alternating
 * which goes first, and prints the figures and the ratio. See bench/load.sh for the options.
 *
 * <p>Why it is over 400 lines: it is one script (start the sinks, the relay, the encoders, wait, measure, stop, in
 * that order for each relay and workload, then the idle measurements and the report); the options, the measuring, the
 * relays, the processes and the plot are in their own classes.
 */
public final class LoadBenchmark {
    private static final int FPS = 30;
    /** Destinations of each channel of an idle server. */
    private static final int IDLE_DESTINATIONS = 4;
    /** The length of one slice of the warm-up curve. */
    static final int WARMUP_SLICE_SECONDS = 10;

    private static final Duration MEDIA_LENGTH = Duration.ofSeconds(120);
    private static final Duration ALL_LIVE_TIMEOUT = Duration.ofSeconds(90);
    /** A recording past this size holds media, not just the headers of a connected but idle stream. */
    private static final long MEDIA_FLOWING_BYTES = 256 * 1024;

    private final Options options;
    private final List<RunResult> results = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private String idleReport;
    private String idleCpuReport;

    private LoadBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        new LoadBenchmark(options).run();
        // ExternalProcess leaves nothing behind (shutdown hook), but say it loudly if something lingers.
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(options.out());
        System.out.printf(
                Locale.ROOT,
                "load benchmark %s: workloads %s, reps %d, warm-up %d s (nginx %d s), window %d s,"
                        + " JVM %s, %d cores, load average %s%n",
                Instant.now(),
                options.workloads().stream().map(Workload::name).toList(),
                options.reps(),
                options.warmupSeconds(),
                options.nginxWarmupSeconds(),
                options.windowSeconds(),
                options.javaCommand(),
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim());
        for (int rep = 1; rep <= options.reps(); rep++) {
            for (Workload w : options.workloads()) {
                List<String> order = new ArrayList<>(options.relays());
                if (rep % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (String relay : order) {
                    RunResult r;
                    try {
                        r = runOne(relay, w, rep);
                    } catch (IllegalStateException e) {
                        // one workload that cannot run (media never reached every destination) does not end the others
                        String failure = String.format(
                                Locale.ROOT, "%s %s rep %d FAILED: %s", w.name(), relay, rep, e.getMessage());
                        System.out.println(failure);
                        failures.add(failure);
                        continue;
                    }
                    results.add(r);
                    System.out.println(RunResult.header().lines().findFirst().orElseThrow());
                    System.out.println(r.row());
                    if (r.switchReport() != null) {
                        System.out.println("switch under load: " + r.switchReport());
                    }
                }
            }
        }
        if (options.idleChannels() > 0) {
            idleChannelMemory(options.idleChannels());
        }
        if (options.idleCpuChannels() > 0) {
            idleCpu(options.idleCpuChannels());
        }
        String report = report();
        System.out.println(report);
        Files.writeString(options.out().resolve("results.md"), report);
        if (options.plot() != null) {
            ScalePlot.write(results, options.plot(), plotTitle());
            System.out.println("plot of CPU and peak RSS against channels: " + options.plot());
        }
    }

    private RunResult runOne(String kind, Workload w, int rep) throws Exception {
        Path dir = options.out().resolve("rep" + rep + "-" + w.name().replace('@', '-') + "-" + kind);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path media = TestMedia.h264Aac(MEDIA_LENGTH, 2 * FPS, w.size(), FPS, w.videoBitrate());
        boolean switchUnderLoad = kind.equals("sr") && options.switchUnderLoad() && w.channels() > 1;
        System.out.printf(Locale.ROOT, "%s %s rep %d: starting%n", w.name(), kind, rep);
        List<FfmpegPublisher> publishers = new ArrayList<>();
        FfmpegPublisher primaryToKill = null;
        try (Sinks sinks = Sinks.start(dir.resolve("sink"), FreePorts.loopback(), w.destinations(), options.rtmps())) {
            RelayUnderTest relay = startRelay(kind, dir.resolve("relay"), w, sinks, switchUnderLoad);
            try {
                startPublishers(media, relay, w, switchUnderLoad, publishers);
                if (switchUnderLoad) {
                    primaryToKill = publishers.get(0);
                    publishers.add(FfmpegPublisher.start(media, ((StreamRepeaterRelay) relay).backupIngestUrl(1)));
                }
                relay.publishersStarted();
                awaitAllRecording(sinks, w);
                double startupCpu = ProcessFigures.cpuSeconds(relay.pids());
                Map<String, Double> threadsAtStart = ProcessFigures.cpuSecondsByThread(relay.pids());
                // The JVM compiles its hot code during the first minutes; nginx has nothing to warm up. The warm-up
                // is measured too, in slices from the moment media reaches every destination.
                double[] warmupCurve = warmUp(
                        relay.pids(),
                        w,
                        (kind.startsWith("sr") ? options.warmupSeconds() : options.nginxWarmupSeconds()));
                System.out.printf(
                        Locale.ROOT,
                        "  CPU before media flowed (start-up): %.2f s; warm-up, ms per stream-second per destination"
                                + " in %d s slices: %s%n",
                        startupCpu,
                        WARMUP_SLICE_SECONDS,
                        RunResult.describeCurve(warmupCurve));
                System.out.println("  CPU by thread over the warm-up: "
                        + ProcessFigures.describeDelta(
                                threadsAtStart, ProcessFigures.cpuSecondsByThread(relay.pids())));
                double[] us0 = ProcessFigures.userSystemSeconds(relay.pids());
                double cpu0 = us0[0] + us0[1];
                Map<String, Double> threads0 = ProcessFigures.cpuSecondsByThread(relay.pids());
                relay.windowStarts();
                long t0 = System.nanoTime();
                Pause.millis(options.windowSeconds() * 1000L);
                double[] us1 = ProcessFigures.userSystemSeconds(relay.pids());
                double cpu1 = us1[0] + us1[1];
                double window = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "  CPU over the window: user %.2f s, system %.2f s%n",
                        us1[0] - us0[0],
                        us1[1] - us0[1]);
                System.out.println("  CPU by thread over the window: "
                        + ProcessFigures.describeDelta(threads0, ProcessFigures.cpuSecondsByThread(relay.pids())));
                long[] latency =
                        relay.latency().map(LoadBenchmark::latencyMicros).orElse(null);
                long selfDrops = relay.selfReportedDroppedFrames();
                String switchReport = null;
                if (primaryToKill != null) {
                    switchReport = switchUnderLoad((StreamRepeaterRelay) relay, primaryToKill);
                }
                long peakRss = ProcessFigures.peakRssBytes(relay.pids());
                for (FfmpegPublisher p : publishers) {
                    p.close();
                }
                publishers.clear();
                relay.close();
                sinks.close();
                // ffprobe on every recording, as many at once as there are cores (the relays have stopped)
                List<RecordingGaps> gaps = sinks.recordings().parallelStream()
                        .map(f -> RecordingGaps.of(f, FPS))
                        .toList();
                // counted: the recordings go (200 x 4 records ~14 GB in two minutes; a series of runs filled a disk)
                deleteRecursively(dir.resolve("sink").resolve("rec"));
                if (switchReport != null) {
                    long ch1Gap = gaps.stream()
                            .filter(g -> g.file().getFileName().toString().startsWith("ch1-"))
                            .mapToLong(RecordingGaps::largestGapMs)
                            .max()
                            .orElse(-1);
                    switchReport += "; largest video DTS step in ch1's recordings " + ch1Gap + " ms";
                }
                return new RunResult(
                        relay.label(),
                        w,
                        rep,
                        cpu1 - cpu0,
                        window,
                        peakRss,
                        gaps.size(),
                        gaps.stream().mapToLong(RecordingGaps::videoFrames).sum(),
                        gaps.stream().mapToLong(RecordingGaps::missingFrames).sum(),
                        selfDrops,
                        latency,
                        switchReport,
                        startupCpu,
                        warmupCurve);
            } finally {
                publishers.forEach(FfmpegPublisher::close);
                relay.close();
            }
        }
    }

    /**
     * One ffmpeg per channel, or with {@code --tee N} one ffmpeg per N channels (channel 1 on its own when the switch
     * under load kills it): at 200 channels, 200 publishers would cost about 1.5 cores of the 2 measured on.
     */
    private void startPublishers(
            Path media, RelayUnderTest relay, Workload w, boolean switchUnderLoad, List<FfmpegPublisher> publishers) {
        int first = 1;
        if (switchUnderLoad || options.channelsPerPublisher() == 1) {
            publishers.add(FfmpegPublisher.start(media, relay.ingestUrl(1)));
            first = 2;
        }
        for (int c = first; c <= w.channels(); c += options.channelsPerPublisher()) {
            if (options.channelsPerPublisher() == 1) {
                publishers.add(FfmpegPublisher.start(media, relay.ingestUrl(c)));
            } else {
                List<String> urls = new ArrayList<>();
                for (int k = c; k < c + options.channelsPerPublisher() && k <= w.channels(); k++) {
                    urls.add(relay.ingestUrl(k));
                }
                publishers.add(FfmpegPublisher.startToMany(media, urls));
            }
        }
    }

    /** Starts the relay {@code kind} names (see {@link Options#relays()}) for workload {@code w} onto {@code sinks}. */
    private RelayUnderTest startRelay(String kind, Path dir, Workload w, Sinks sinks, boolean switchUnderLoad)
            throws IOException {
        return switch (kind) {
            case "sr", "sr-jdk" ->
                StreamRepeaterRelay.start(
                        dir,
                        options.jar(),
                        options.javaCommand(),
                        FreePorts.loopback(),
                        FreePorts.loopback(),
                        w,
                        sinks,
                        switchUnderLoad ? List.of(1) : List.of(),
                        kind.equals("sr-jdk"));
            case "nginx" ->
                sinks.tls()
                        ? NginxStunnelRelay.start(dir, FreePorts.loopback(), w, sinks)
                        : NginxPushRelay.start(dir, FreePorts.loopback(), w, sinks);
            case "ffmpeg" -> FfmpegPerDestinationRelay.start(dir, FreePorts.loopback(), w, sinks);
            default -> throw new IllegalArgumentException("unknown relay " + kind);
        };
    }

    /**
     * Memory per idle channel (2 inputs without encoders, 4 destinations connected): live heap after a full GC and
     * Netty's pooled direct memory, with 1 channel and with {@code channels}, the difference divided out.
     */
    private void idleChannelMemory(int channels) throws Exception {
        double[] one = idleFigures(1);
        double[] many = idleFigures(channels);
        String line = String.format(
                Locale.ROOT,
                "Idle channels (2 inputs, 4 destinations each, no encoder): 1 channel: heap %.1f MiB,"
                        + " direct %.1f MiB, RSS %.0f MiB; %d channels: heap %.1f MiB, direct %.1f MiB, RSS %.0f MiB;"
                        + " per extra channel: heap %.0f KiB, direct %.0f KiB, RSS %.0f KiB",
                one[0] / (1 << 20),
                one[1] / (1 << 20),
                one[2] / (1 << 20),
                channels,
                many[0] / (1 << 20),
                many[1] / (1 << 20),
                many[2] / (1 << 20),
                (many[0] - one[0]) / 1024 / (channels - 1),
                (many[1] - one[1]) / 1024 / (channels - 1),
                (many[2] - one[2]) / 1024 / (channels - 1));
        System.out.println(line);
        idleReport = line;
    }

    /**
     * CPU of a server with {@code channels} channels (2 inputs, 4 destinations connected each) and no encoder, over the
     * window after 20 s of settling: what a relay costs while it waits for the show.
     */
    private void idleCpu(int channels) throws Exception {
        String line = withIdleServer("idle-cpu-", channels, 20_000, relay -> {
            double before = ProcessFigures.cpuSeconds(relay.pid());
            Map<String, Double> threads0 = ProcessFigures.cpuSecondsByThread(relay.pid());
            long t0 = System.nanoTime();
            Pause.millis(options.windowSeconds() * 1000L);
            double cpu = ProcessFigures.cpuSeconds(relay.pid()) - before;
            double seconds = (System.nanoTime() - t0) / 1e9;
            return String.format(
                    Locale.ROOT,
                    "Idle CPU (%d channels, 2 inputs and %d live destinations each, no encoder): %.3f %% of one core"
                            + " (%.2f s over %.0f s; by thread: %s)",
                    channels,
                    IDLE_DESTINATIONS,
                    cpu * 100 / seconds,
                    cpu,
                    seconds,
                    ProcessFigures.describeDelta(threads0, ProcessFigures.cpuSecondsByThread(relay.pid())));
        });
        System.out.println(line);
        idleCpuReport = line;
    }

    /** What is measured on an idle server. */
    private interface IdleMeasure<T> {
        T of(StreamRepeaterRelay relay) throws Exception;
    }

    /**
     * Runs a server with {@code channels} channels (2 inputs without encoders, {@link #IDLE_DESTINATIONS} destinations
     * each), waits until every destination is live and then {@code settleMs}, and measures it.
     */
    private <T> T withIdleServer(String dirPrefix, int channels, long settleMs, IdleMeasure<T> measure)
            throws Exception {
        Workload w = new Workload("idle", channels, IDLE_DESTINATIONS, "960x540", "1400k");
        Path dir = options.out().resolve(dirPrefix + channels);
        deleteRecursively(dir);
        try (Sinks sinks = Sinks.start(dir.resolve("sink"), FreePorts.loopback(), w.destinations(), false);
                StreamRepeaterRelay relay = StreamRepeaterRelay.start(
                        dir.resolve("relay"),
                        options.jar(),
                        options.javaCommand(),
                        FreePorts.loopback(),
                        FreePorts.loopback(),
                        w,
                        sinks,
                        java.util.stream.IntStream.rangeClosed(1, channels)
                                .boxed()
                                .toList(),
                        false)) {
            long deadline = System.nanoTime() + ALL_LIVE_TIMEOUT.toNanos();
            while (relay.liveDestinations() < w.streams() && System.nanoTime() < deadline) {
                Pause.millis(250);
            }
            Pause.millis(settleMs);
            return measure.of(relay);
        }
    }

    private double[] idleFigures(int channels) throws Exception {
        return withIdleServer("idle-", channels, 5000, relay -> {
            relay.fullGc();
            relay.fullGc();
            return new double[] {
                relay.metricSum("jvm_memory_used_bytes{area=\"heap\""),
                relay.metricSum("netty_pooled_used_direct_memory_bytes"),
                ProcessFigures.rssBytes(relay.pid())
            };
        });
    }

    /**
     * Waits {@code seconds}, reading the relay's CPU every {@link #WARMUP_SLICE_SECONDS}: the CPU of each slice in ms per
     * stream-second per destination (a last, shorter slice is left out).
     */
    private static double[] warmUp(List<Long> pids, Workload w, int seconds) {
        int slices = seconds / WARMUP_SLICE_SECONDS;
        double[] curve = new double[slices];
        double before = ProcessFigures.cpuSeconds(pids);
        long sliceStart = System.nanoTime();
        for (int i = 0; i < slices; i++) {
            Pause.millis(WARMUP_SLICE_SECONDS * 1000L);
            double now = ProcessFigures.cpuSeconds(pids);
            long end = System.nanoTime();
            curve[i] = (now - before) * 1000 / ((end - sliceStart) / 1e9 * w.streams());
            before = now;
            sliceStart = end;
        }
        Pause.millis((seconds % WARMUP_SLICE_SECONDS) * 1000L);
        return curve;
    }

    /** Kills channel 1's primary encoder and reads what the relay measured about the switch. */
    private static String switchUnderLoad(StreamRepeaterRelay relay, FfmpegPublisher primary) {
        primary.kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"backup"
                .equals(relay.get("/api/v1/channels/ch1").path("activeInput").asText())) {
            if (System.nanoTime() > deadline) {
                return "no switch to the backup within 30 s";
            }
            Pause.millis(100);
        }
        Pause.millis(5000); // let the destinations record past the switch
        double gapSeconds = relay.metric("streamrepeater_channel_last_switch_gap_seconds{channel=\"ch1\"}");
        return String.format(
                Locale.ROOT,
                "ch1 switched to the backup; output gap at the switch (relay's figure) %.0f ms",
                gapSeconds * 1000);
    }

    private static long[] latencyMicros(JsonNode l) {
        return new long[] {
            l.path("p50Micros").asLong(),
            l.path("p99Micros").asLong(),
            l.path("maxMicros").asLong(),
            l.path("count").asLong()
        };
    }

    /**
     * Waits until every destination has a recording with media in it (more than {@link #MEDIA_FLOWING_BYTES}): a
     * destination publishes as soon as its channel starts, so an empty file only says the connection is up.
     */
    private static void awaitAllRecording(Sinks sinks, Workload w) throws IOException {
        long deadline = System.nanoTime() + ALL_LIVE_TIMEOUT.toNanos();
        while (true) {
            long flowing = 0;
            for (Path recording : sinks.recordings()) {
                if (Files.size(recording) > MEDIA_FLOWING_BYTES) {
                    flowing++;
                }
            }
            if (flowing >= w.streams()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "media reached only " + flowing + " of " + w.streams() + " destination streams within "
                                + ALL_LIVE_TIMEOUT + " (a publisher refused? see the relay's log)");
            }
            Pause.millis(250);
        }
    }

    private String report() {
        StringBuilder out = new StringBuilder(RunResult.header()).append('\n');
        results.forEach(r -> out.append(r.row()).append('\n'));
        failures.forEach(f -> out.append("\n").append(f).append('\n'));
        out.append("\nRatio of Stream Repeater to the cheapest other relay (CPU per stream-second per destination,"
                + " mean over reps):\n");
        for (Workload w : options.workloads()) {
            // mean per relay label, in the order the relays first ran
            Map<String, double[]> byRelay = new java.util.LinkedHashMap<>();
            results.stream().filter(r -> r.workload().name().equals(w.name())).forEach(r -> {
                double[] acc = byRelay.computeIfAbsent(r.relay(), k -> new double[2]);
                acc[0] += r.cpuMsPerStreamSecond();
                acc[1]++;
            });
            Map.Entry<String, Double> cheapestOther = byRelay.entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("stream-repeater"))
                    .map(e -> Map.entry(e.getKey(), e.getValue()[0] / e.getValue()[1]))
                    .min(Map.Entry.comparingByValue())
                    .orElse(null);
            if (cheapestOther == null) {
                continue;
            }
            byRelay.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("stream-repeater"))
                    .forEach(e -> {
                        double sr = e.getValue()[0] / e.getValue()[1];
                        out.append(String.format(
                                Locale.ROOT,
                                "- %s: %s %.3f / %s %.3f ms = %.2f%n",
                                w.name(),
                                e.getKey(),
                                sr,
                                cheapestOther.getKey(),
                                cheapestOther.getValue(),
                                sr / cheapestOther.getValue()));
                    });
        }
        out.append("\nWarm-up (CPU ms per stream-second per destination in ")
                .append(WARMUP_SLICE_SECONDS)
                .append(" s slices from when media reached every destination; first 60 s against the window):\n");
        results.forEach(r -> out.append(r.warmupLine()).append('\n'));
        if (idleReport != null) {
            out.append('\n').append(idleReport).append('\n');
        }
        if (idleCpuReport != null) {
            out.append('\n').append(idleCpuReport).append('\n');
        }
        results.stream()
                .filter(r -> r.switchReport() != null)
                .forEach(r -> out.append("\nSwitch under load (")
                        .append(r.workload().name())
                        .append("): ")
                        .append(r.switchReport())
                        .append('\n'));
        return out.toString();
    }

    /** E.g. "channels × 4 destinations, 1.5 Mb/s": what the plot's points have in common. */
    private String plotTitle() {
        List<String> shapes = options.workloads().stream()
                .map(w -> w.destinations() + " destinations, "
                        + w.name().substring(w.name().indexOf('@') + 1).replace("M", " Mb/s"))
                .distinct()
                .toList();
        return "channels × " + String.join(" / ", shapes);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
