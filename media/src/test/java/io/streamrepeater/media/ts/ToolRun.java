package io.streamrepeater.media.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.testkit.ExternalProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Runs ffmpeg or ffprobe to completion within a bounded time and asserts that it succeeded. */
final class ToolRun {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private ToolRun() {}

    /**
     * @param stdout where standard output goes, or null to mix it into the log
     * @return what the tool wrote to standard error (and standard output when {@code stdout} is null)
     */
    static String run(Path dir, String tool, List<String> command, Path stdout) {
        Path log = dir.resolve(tool + "-" + System.nanoTime() + ".log");
        try (ExternalProcess process = stdout == null
                ? ExternalProcess.start(tool, command, log)
                : ExternalProcess.startWithSeparateOutput(tool, command, stdout, log)) {
            int exit = process.waitFor(TIMEOUT)
                    .orElseThrow(() ->
                            new IllegalStateException(tool + " did not finish within " + TIMEOUT + ": " + command));
            String text = process.log();
            assertThat(exit)
                    .as("%s exit code for %s; log:%n%s", tool, command, text)
                    .isZero();
            return text;
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
