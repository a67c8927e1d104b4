package io.streamrepeater.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What a benchmark ran on, for its report: processors, CPU model and load, from {@code /proc} where Linux has it. */
final class MachineDescription {

    private MachineDescription() {}

    /** e.g. {@code 2 processors, AMD EPYC}. */
    static String cpu() {
        String model = read(Path.of("/proc/cpuinfo"))
                .flatMap(text ->
                        text.lines().filter(l -> l.startsWith("model name")).findFirst())
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .orElse("unknown CPU model");
        return Runtime.getRuntime().availableProcessors() + " processors, " + model;
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code 0.52 0.61 0.70}, or {@code unknown}. */
    static String loadAverage() {
        return read(Path.of("/proc/loadavg"))
                .map(text -> {
                    String[] fields = text.trim().split("\\s+");
                    return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "unknown";
                })
                .orElse("unknown");
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
