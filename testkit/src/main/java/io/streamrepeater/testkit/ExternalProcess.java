package io.streamrepeater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tool (ffmpeg, nginx, gst-launch…) run by a test, with its output in a log file, POSIX signals for
 * freezing and killing it, and waits that are always bounded. Every process still running when the JVM
 * exits is killed by a shutdown hook, so a test that forgets {@link #close()} leaves nothing behind.
 */
public final class ExternalProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalProcess.class);
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Set<ExternalProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> RUNNING.forEach(ExternalProcess::killQuietly), "testkit-process-reaper"));
    }

    private final String description;
    private final List<String> command;
    private final Process process;
    private final Path logFile;

    private ExternalProcess(String description, List<String> command, Process process, Path logFile) {
        this.description = description;
        this.command = List.copyOf(command);
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code logFile} and stdin empty.
     *
     * @param description what the process is for, used in log lines and error messages
     */
    public static ExternalProcess start(String description, List<String> command, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        return start(description, command, builder, logFile);
    }

    /** Starts {@code command} with stdout to {@code outputFile} (truncated) and stderr to {@code logFile}. */
    public static ExternalProcess startWithSeparateOutput(
            String description, List<String> command, Path outputFile, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(outputFile.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        return start(description, command, builder, logFile);
    }

    private static ExternalProcess start(
            String description, List<String> command, ProcessBuilder builder, Path logFile) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            ExternalProcess started = new ExternalProcess(description, command, builder.start(), logFile);
            RUNNING.add(started);
            LOG.debug(
                    "event=process-started what={} pid={} log={} command={}",
                    description,
                    started.pid(),
                    logFile,
                    String.join(" ", command));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start " + description + " (" + String.join(" ", command)
                            + "); are the test tools installed? run scripts/install-test-deps.sh",
                    e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> command() {
        return command;
    }

    public Path logFile() {
        return logFile;
    }

    /** The process's output so far (stderr, and stdout unless it went to a separate file). */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}, {@code INT}, {@code TERM}…) if the process still runs. */
    public void signal(String signalName) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signalName, Long.toString(pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signalName + " " + pid() + " did not return");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + signalName + " to " + description, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + description, e);
        }
    }

    /** Freezes the process (SIGSTOP): its sockets stay open but it sends and reads nothing. */
    public void pause() {
        signal("STOP");
    }

    /** Continues a process frozen by {@link #pause()} (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    /** Kills the process and its children at once (SIGKILL) and waits, bounded, until it is gone. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(KILL_WAIT);
        RUNNING.remove(this);
    }

    /** Waits at most {@code timeout} for the process to exit; the exit code, or empty if it still runs. */
    public Optional<Integer> waitFor(Duration timeout) {
        if (!awaitExit(timeout)) {
            return Optional.empty();
        }
        RUNNING.remove(this);
        return Optional.of(process.exitValue());
    }

    /**
     * Asks the process to end with {@code signalName} (continuing it first if it was paused), waits at most
     * {@code grace}, then kills it.
     */
    public void stop(String signalName, Duration grace) {
        if (process.isAlive()) {
            signal("CONT");
            signal(signalName);
            if (!awaitExit(grace)) {
                LOG.warn(
                        "event=process-kill what={} pid={} reason=no_exit_after_SIG{} grace_ms={}",
                        description,
                        pid(),
                        signalName,
                        grace.toMillis());
            }
        }
        kill();
    }

    /** Stops the process with SIGTERM, killing it if it has not exited within 5 s. */
    @Override
    public void close() {
        stop("TERM", DEFAULT_GRACE);
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void killQuietly(ExternalProcess running) {
        running.process.descendants().forEach(ProcessHandle::destroyForcibly);
        running.process.destroyForcibly();
    }

    @Override
    public String toString() {
        return description + " (pid " + pid() + ", log " + logFile + ")";
    }
}
