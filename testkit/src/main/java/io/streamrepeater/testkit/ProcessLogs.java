package io.streamrepeater.testkit;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Names log files of test processes under {@code target/test-logs/}, unique across parallel tests and JVMs. */
final class ProcessLogs {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private ProcessLogs() {}

    static Path next(String prefix) {
        return BuildDirectory.resolve("test-logs")
                .resolve(prefix + "-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis() + "-"
                        + SEQUENCE.incrementAndGet() + ".log");
    }
}
