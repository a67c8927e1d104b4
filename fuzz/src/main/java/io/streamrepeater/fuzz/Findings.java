package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves inputs that crashed, hung or leaked as hex files, with a header saying what happened and how to replay them
 * ({@code fuzz/run.sh --replay FILE}).
 */
final class Findings {
    private final Path directory;
    private int saved;

    Findings(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /**
     * @param kind "crash", "hang" or "leak"
     * @param detail the exception's stack, the worker's stack, or the leak count
     * @return the file written
     */
    synchronized Path save(
            String target, String kind, long runSeed, long iteration, long splitSeed, byte[] input, String detail) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(target + "-" + kind + "-" + iteration + ".hex");
            StringBuilder text = new StringBuilder();
            text.append("# target=")
                    .append(target)
                    .append(" kind=")
                    .append(kind)
                    .append(" seed=")
                    .append(runSeed)
                    .append(" iteration=")
                    .append(iteration)
                    .append(" split-seed=")
                    .append(splitSeed)
                    .append(" length=")
                    .append(input.length)
                    .append('\n');
            for (String line : detail.split("\n")) {
                text.append("# ").append(line).append('\n');
            }
            for (int i = 0; i < input.length; i += 32) {
                text.append(ByteBufUtil.hexDump(input, i, Math.min(32, input.length - i)))
                        .append('\n');
            }
            Files.writeString(file, text);
            saved++;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save a finding under " + directory, e);
        }
    }

    synchronized int saved() {
        return saved;
    }

    static String stackOf(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
