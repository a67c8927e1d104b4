package io.streamrepeater.bench.load;

import io.streamrepeater.testkit.NginxRtmp;
import java.nio.file.Path;
import java.util.List;

/**
 * The destinations: one nginx-rtmp with applications {@code d1..dN}, each recording every stream it
 * receives (one file per publish session), so frames lost on the way can be counted afterwards.
 */
final class Sinks implements AutoCloseable {
    private final NginxRtmp nginx;

    private Sinks(NginxRtmp nginx) {
        this.nginx = nginx;
    }

    static Sinks start(Path dir, int port, int destinations) {
        String[] applications = new String[destinations];
        for (int d = 1; d <= destinations; d++) {
            applications[d - 1] = "d" + d;
        }
        return new Sinks(forLoad(dir, port)
                .withoutApplication("live")
                .withApplications(applications)
                .withRecordingsPerApplication()
                .start());
    }

    /**
     * An nginx-rtmp set up for load in {@code dir} on {@code port}: room for thousands of connections, warnings only
     * in its log, stopped gracefully so that the record module closes its files.
     */
    static NginxRtmp.Builder forLoad(Path dir, int port) {
        return NginxRtmp.builder(dir)
                .onPort(port)
                .withWorkerConnections(4096)
                .withErrorLogLevel("warn")
                .withGracefulStop();
    }

    /** {@code rtmp://127.0.0.1:PORT/dN}: a destination application, the stream name appended by the caller. */
    String applicationUrl(int destination) {
        return "rtmp://127.0.0.1:" + nginx.port() + "/d" + destination;
    }

    List<Path> recordings() {
        return nginx.recordings();
    }

    @Override
    public void close() {
        nginx.close();
    }
}
