package io.streamrepeater.bench.load;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** CPU time and peak resident memory of one process, read from {@code /proc} (Linux). */
final class ProcessFigures {
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessFigures() {}

    /** utime + stime of every thread of {@code pid}, in seconds. */
    static double cpuSeconds(long pid) {
        double[] us = userSystemSeconds(pid);
        return us[0] + us[1];
    }

    /** utime + stime of every thread of every process in {@code pids}, in seconds. */
    static double cpuSeconds(List<Long> pids) {
        double[] us = userSystemSeconds(pids);
        return us[0] + us[1];
    }

    /** {utime, stime} summed over the processes {@code pids}, in seconds. */
    static double[] userSystemSeconds(List<Long> pids) {
        double[] sum = new double[2];
        for (long pid : pids) {
            double[] us = userSystemSeconds(pid);
            sum[0] += us[0];
            sum[1] += us[1];
        }
        return sum;
    }

    /** {@link #cpuSecondsByThread(long)} over several processes, thread groups of the same name added up. */
    static Map<String, Double> cpuSecondsByThread(List<Long> pids) {
        Map<String, Double> byName = new TreeMap<>();
        for (long pid : pids) {
            cpuSecondsByThread(pid).forEach((name, cpu) -> byName.merge(name, cpu, Double::sum));
        }
        return byName;
    }

    /**
     * The peak resident sets of {@code pids} added up, in bytes: an upper bound of the peak of the whole (the
     * processes need not peak at the same moment), exact for one process.
     */
    static long peakRssBytes(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += peakRssBytes(pid);
        }
        return sum;
    }

    /** {utime, stime} of every thread of {@code pid}, in seconds. */
    static double[] userSystemSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new double[] {
            Long.parseLong(fields[11]) / TICKS_PER_SECOND, Long.parseLong(fields[12]) / TICKS_PER_SECOND
        };
    }

    /**
     * CPU seconds per thread group of {@code pid}: thread names with their numbers blanked
     * ({@code epollEventLoopGroup-3-1} counts as {@code epollEventLoopGroup-#-#}), from /proc/PID/task.
     */
    static Map<String, Double> cpuSecondsByThread(long pid) {
        Map<String, Double> byName = new TreeMap<>();
        File[] tasks = new File("/proc/" + pid + "/task").listFiles();
        if (tasks == null) {
            return byName;
        }
        for (File task : tasks) {
            try {
                String stat = Files.readString(task.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                        .replaceAll("\\d+", "#");
                String[] fields =
                        stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                byName.merge(name, cpu, Double::sum);
            } catch (IOException e) {
                // the thread ended between the listing and the read: its time is gone with it
            }
        }
        return byName;
    }

    /** {@code after - before} per thread group, largest first, as "name 1.23 s" items. */
    static String describeDelta(Map<String, Double> before, Map<String, Double> after) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** VmHWM (peak resident set) of {@code pid}, in bytes. */
    static long peakRssBytes(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** VmRSS (resident set now) of {@code pid}, in bytes. */
    static long rssBytes(long pid) {
        return statusField(pid, "VmRSS:");
    }

    private static long statusField(long pid, String field) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith(field)) {
                String kb = line.substring(field.length()).trim().split("\\s+")[0];
                return Long.parseLong(kb) * 1024;
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (has the process exited?)", e);
        }
    }
}
