package io.streamrepeater.fuzz;

import io.streamrepeater.testkit.Hex;
import io.streamrepeater.testkit.TrackingAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The long fuzz run of the RTMP decoders (issue 8): the server handshake, the chunk decoder, the whole ingest pipeline
 * and the AMF0 reader, in turn, over random inputs and mutations of real ffmpeg and GStreamer sessions. Every input runs
 * under a watchdog (a hang is an input still running after {@value #HANG_SECONDS} s), every buffer is tracked, and
 * Netty's leak detector runs at PARANOID with a counting factory. Prints the seed first, a summary last; exits 1 if
 * anything crashed, hung or leaked.
 *
 * <pre>
 * FuzzRun [ITERATIONS] [--seed N] [--targets handshake,chunk,ingest,amf0,partial-flood] [--findings DIR]
 * FuzzRun --replay FINDING.hex
 * </pre>
 */
public final class FuzzRun {
    private static final long DEFAULT_ITERATIONS = 1_000_000;
    private static final int HANG_SECONDS = 2;
    private static final Duration ABORT_AFTER = Duration.ofSeconds(60);
    private static final int PRINTED_FAILURES = 5;

    private final long seed;
    private final List<FuzzTarget> targets;
    private final Map<String, TargetStats> stats = new LinkedHashMap<>();
    private final Findings findings;
    private final CountingLeakDetectorFactory leakDetectors;
    private volatile FuzzTarget currentTarget;
    private volatile byte[] currentInput;
    private volatile long currentSplitSeed;
    private volatile long currentIteration;
    private int printedFailures;
    private long startNanos;

    private FuzzRun(long seed, List<FuzzTarget> targets, Findings findings, CountingLeakDetectorFactory leakDetectors) {
        this.seed = seed;
        this.targets = targets;
        this.findings = findings;
        this.leakDetectors = leakDetectors;
        targets.forEach(t -> stats.put(t.name(), new TargetStats(t.name())));
    }

    public static void main(String[] args) throws Exception {
        // Before any Netty class loads: every buffer tracked, records kept on retain/release only (recording every
        // read would make PARANOID a thousand times slower without finding more leaks).
        System.setProperty("io.netty.leakDetection.level", "PARANOID");
        System.setProperty("io.netty.leakDetection.acquireAndReleaseOnly", "true");
        CountingLeakDetectorFactory leakDetectors = CountingLeakDetectorFactory.install();

        long iterations = DEFAULT_ITERATIONS;
        Long seed = null;
        String targetNames = "handshake,chunk,ingest,amf0";
        Path findingsDir = Path.of("fuzz", "target", "findings");
        Path replay = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--targets" -> targetNames = args[++i];
                case "--findings" -> findingsDir = Path.of(args[++i]);
                case "--replay" -> replay = Path.of(args[++i]);
                default -> iterations = Long.parseLong(args[i].replace("_", ""));
            }
        }
        SeedCorpus seeds = SeedCorpus.load();
        List<FuzzTarget> all = List.of(
                new HandshakeTarget(seeds),
                new ChunkDecoderTarget(seeds),
                new IngestPipelineTarget(seeds),
                new Amf0Target(seeds),
                new PartialFloodTarget(seeds));
        if (replay != null) {
            System.exit(replay(replay, all));
        }
        if (!leakDetectors.selfCheck()) {
            System.out.println("leak detector self-check failed: a deliberately leaked buffer was not reported;"
                    + " leaks would go unnoticed, giving up");
            System.exit(2);
        }
        List<FuzzTarget> chosen = new ArrayList<>();
        for (String name : targetNames.split(",")) {
            chosen.add(all.stream()
                    .filter(t -> t.name().equals(name.trim()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown target '" + name + "', known: handshake," + " chunk, ingest, amf0")));
        }
        long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        FuzzRun run = new FuzzRun(runSeed, chosen, new Findings(findingsDir), leakDetectors);
        System.exit(run.run(iterations));
    }

    private int run(long iterations) throws InterruptedException {
        System.out.printf(
                "fuzz: seed=%d iterations=%d targets=%s hang-bound=%ds leak-detection=PARANOID findings=%s%n",
                seed, iterations, String.join(",", stats.keySet()), HANG_SECONDS, findings.directory());
        System.out.printf("fuzz: reproduce with fuzz/run.sh %d --seed %d%n", iterations, seed);
        startNanos = System.nanoTime();
        long nextProgress = Math.max(1, iterations / 20);
        try (Watchdog watchdog = new Watchdog(
                Thread.currentThread(), Duration.ofSeconds(HANG_SECONDS), ABORT_AFTER, this::onHang, this::onAbort)) {
            for (long i = 0; i < iterations; i++) {
                FuzzTarget target = targets.get((int) (i % targets.size()));
                TargetStats counts = stats.get(target.name());
                Random random = new Random(seed * 0x9E3779B97F4A7C15L + i);
                byte[] input = target.nextInput(random);
                long splitSeed = random.nextLong();
                TrackingAllocator alloc = TrackingAllocator.pooledDirect();
                currentTarget = target;
                currentInput = input;
                currentSplitSeed = splitSeed;
                currentIteration = i;
                long started = System.nanoTime();
                watchdog.started(i);
                try {
                    if (target.run(input, splitSeed, alloc) == FuzzTarget.Outcome.ACCEPTED) {
                        counts.accepted++;
                    } else {
                        counts.refused++;
                    }
                } catch (Throwable crash) {
                    counts.crashes++;
                    Path file =
                            findings.save(target.name(), "crash", seed, i, splitSeed, input, Findings.stackOf(crash));
                    report("CRASH", target, i, crash.toString(), file);
                } finally {
                    watchdog.finished();
                    counts.nanos += System.nanoTime() - started;
                    counts.iterations++;
                }
                int leaked = alloc.releaseLeftovers();
                if (leaked > 0) {
                    counts.leaks++;
                    Path file = findings.save(
                            target.name(),
                            "leak",
                            seed,
                            i,
                            splitSeed,
                            input,
                            leaked + " buffer(s) not released after the input");
                    report("LEAK", target, i, leaked + " buffer(s) not released", file);
                }
                if ((i + 1) % nextProgress == 0) {
                    System.out.printf(
                            "fuzz: %d/%d inputs, %.0f s, crashes=%d hangs=%d leaks=%d%n",
                            i + 1,
                            iterations,
                            seconds(),
                            total(s -> s.crashes),
                            total(s -> s.hangs),
                            total(s -> s.leaks));
                }
            }
        }
        return summarize();
    }

    private void report(String what, FuzzTarget target, long iteration, String detail, Path file) {
        if (printedFailures++ < PRINTED_FAILURES) {
            System.out.printf(
                    "fuzz: %s in %s at iteration %d: %s (input saved to %s)%n",
                    what, target.name(), iteration, detail, file);
        }
    }

    /** Called by the watchdog thread while the input is still running. */
    private void onHang(String workerStack) {
        FuzzTarget target = currentTarget;
        stats.get(target.name()).hangs++;
        Path file = findings.save(
                target.name(),
                "hang",
                seed,
                currentIteration,
                currentSplitSeed,
                currentInput,
                "still running after " + HANG_SECONDS + " s at:\n" + workerStack);
        report("HANG", target, currentIteration, "still running after " + HANG_SECONDS + " s", file);
    }

    /** Called by the watchdog thread when an input runs so long that the run cannot go on. */
    private void onAbort() {
        System.out.printf(
                "fuzz: input %d of %s still running after %d s: giving up%n",
                currentIteration, currentTarget.name(), ABORT_AFTER.toSeconds());
        printSummary(-1);
        Runtime.getRuntime().halt(3);
    }

    private int summarize() throws InterruptedException {
        leakDetectors.flush();
        long reported = leakDetectors.leaks();
        printSummary(reported);
        long failures = total(s -> s.crashes) + total(s -> s.hangs) + total(s -> s.leaks) + reported;
        return failures == 0 ? 0 : 1;
    }

    private void printSummary(long nettyLeakReports) {
        System.out.println("fuzz: summary (seed " + seed + ")");
        stats.values().forEach(s -> System.out.println("  " + s.line()));
        System.out.printf(
                "  total      iterations=%d crashes=%d hangs=%d leaks=%d netty-leak-reports=%s elapsed=%.1f s%n",
                total(s -> s.iterations),
                total(s -> s.crashes),
                total(s -> s.hangs),
                total(s -> s.leaks),
                nettyLeakReports < 0 ? "n/a" : Long.toString(nettyLeakReports),
                seconds());
        if (nettyLeakReports > 0) {
            leakDetectors.firstRecords().forEach(record -> System.out.println("  LEAK " + record));
        }
        if (findings.saved() > 0) {
            System.out.println("  findings saved under " + findings.directory().toAbsolutePath());
        }
    }

    private long total(java.util.function.ToLongFunction<TargetStats> field) {
        return stats.values().stream().mapToLong(field).sum();
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Runs one saved finding again and says how it ends; 0 when it now ends the documented way. */
    private static int replay(Path file, List<FuzzTarget> targets) throws IOException {
        String text = Files.readString(file);
        String header = text.lines().findFirst().orElse("");
        String name = field(header, "target");
        long splitSeed = Long.parseLong(field(header, "split-seed"));
        FuzzTarget target = targets.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown target in " + file + ": " + name));
        byte[] input = Hex.bytes(text);
        TrackingAllocator alloc = TrackingAllocator.pooledDirect();
        try {
            FuzzTarget.Outcome outcome = target.run(input, splitSeed, alloc);
            alloc.describeUnreleased().forEach(buf -> System.out.println("not released: " + buf));
            int leaked = alloc.releaseLeftovers();
            System.out.printf("replay %s: %s, %d buffer(s) leaked%n", file, outcome, leaked);
            return leaked == 0 ? 0 : 1;
        } catch (Throwable crash) {
            System.out.println("replay " + file + ": CRASH");
            crash.printStackTrace(System.out);
            return 1;
        }
    }

    private static String field(String header, String name) {
        for (String part : header.substring(1).trim().split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("finding header has no " + name + ": " + header);
    }
}
