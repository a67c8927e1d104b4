package io.streamrepeater.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The load benchmark's command-line options (see bench/load.sh). */
record Options(
        List<Workload> workloads,
        List<String> relays,
        int reps,
        int warmupSeconds,
        int nginxWarmupSeconds,
        int windowSeconds,
        /** The java binary, then the JVM options (the shipped ones, then --jvm's). */
        List<String> javaCommand,
        Path jar,
        Path out,
        boolean switchUnderLoad,
        int idleChannels,
        int idleCpuChannels,
        /** Whether the destinations are RTMPS (a TLS front before each sink). */
        boolean rtmps,
        /** Where to write the plot of CPU and RSS against channels, or null. */
        Path plot,
        /** Channels published by one ffmpeg (its tee muxer); 1 = one ffmpeg per channel. */
        int channelsPerPublisher) {

    static Options parse(String[] args) {
        List<Workload> workloads = Workload.ALL;
        List<String> relays = null;
        int reps = 1;
        int warmup = 90;
        int nginxWarmup = 10;
        int window = 30;
        List<String> jvm = List.of();
        // the benchmark's own Java by default; --java runs the server on another installed one
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar = Path.of("app/target/stream-repeater.jar");
        Path out = Path.of("bench/load/target/results");
        boolean switchUnderLoad = true;
        int idle = 0;
        int idleCpu = 0;
        boolean rtmps = false;
        Path plot = null;
        int tee = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--workloads" ->
                    workloads = Arrays.stream(args[++i].split(","))
                            .map(Workload::named)
                            .toList();
                case "--relays" -> relays = List.of(args[++i].split(","));
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--nginx-warmup" -> nginxWarmup = Integer.parseInt(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--jvm" ->
                    jvm = args[++i].isBlank()
                            ? List.of()
                            : List.of(args[i].trim().split("\\s+"));
                case "--jar" -> jar = Path.of(args[++i]);
                case "--java" -> java = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-switch" -> switchUnderLoad = false;
                case "--idle-channels" -> idle = Integer.parseInt(args[++i]);
                case "--idle-cpu" -> idleCpu = Integer.parseInt(args[++i]);
                case "--rtmps" -> rtmps = true;
                case "--plot" -> plot = Path.of(args[++i]).toAbsolutePath();
                case "--tee" -> tee = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + a + "; see bench/load.sh");
            }
        }
        if (relays == null) {
            relays = rtmps ? List.of("sr", "sr-jdk", "nginx", "ffmpeg") : List.of("sr", "nginx");
        }
        if (relays.equals(List.of("none"))) {
            relays = List.of();
        }
        for (String relay : relays) {
            if (!List.of("sr", "sr-jdk", "nginx", "ffmpeg").contains(relay)) {
                throw new IllegalArgumentException(
                        "unknown relay '" + relay + "'; known: sr, sr-jdk, nginx, ffmpeg (--rtmps only), none");
            }
        }
        if (relays.contains("ffmpeg") && !rtmps) {
            throw new IllegalArgumentException("the ffmpeg-per-destination relay is measured with --rtmps only");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no server jar at " + jar + "; build it first (bench/load.sh does)");
        }
        // the server runs as shipped: the JVM options of ./stream-repeater first, --jvm after them (the last wins)
        Path shipped = Path.of("jvm.options");
        if (!Files.isRegularFile(shipped)) {
            throw new IllegalArgumentException("no jvm.options in "
                    + Path.of("").toAbsolutePath() + "; run from the repository (bench/load.sh does)");
        }
        if (!Files.isExecutable(java)) {
            throw new IllegalArgumentException("--java " + java + " is not an executable");
        }
        List<String> allJvm = new ArrayList<>();
        allJvm.add(java.toString());
        allJvm.add("@" + shipped.toAbsolutePath());
        allJvm.addAll(jvm);
        return new Options(
                workloads,
                relays,
                reps,
                warmup,
                nginxWarmup,
                window,
                allJvm,
                jar.toAbsolutePath(),
                out.toAbsolutePath(),
                switchUnderLoad,
                idle,
                idleCpu,
                rtmps,
                plot,
                Math.max(1, tee));
    }
}
