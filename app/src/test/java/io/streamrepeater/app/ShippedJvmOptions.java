package io.streamrepeater.app;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM options the launcher runs the server with ({@code jvm.options} beside {@code ./stream-repeater}), as a
 * {@code java} argument, so that tests which start the server as its own process run it as shipped.
 */
public final class ShippedJvmOptions {
    private ShippedJvmOptions() {}

    /** {@code @/path/to/jvm.options}, found from the working directory (a module's or the repository's) upwards. */
    public static String argument() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path options = dir.resolve("jvm.options");
            if (Files.isRegularFile(options) && Files.isRegularFile(dir.resolve("stream-repeater"))) {
                return "@" + options;
            }
        }
        throw new IllegalStateException(
                "no jvm.options beside ./stream-repeater above " + Path.of("").toAbsolutePath());
    }
}
