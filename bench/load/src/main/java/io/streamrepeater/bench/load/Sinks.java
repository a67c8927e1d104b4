package io.streamrepeater.bench.load;

import io.streamrepeater.testkit.NginxRtmp;
import java.nio.file.Path;
import java.util.List;

/**
 * The destinations: one nginx-rtmp with applications {@code d1..dN}, each recording every stream it
 * receives (one file per publish session), so frames lost on the way can be counted afterwards; no session hooks (a
 * forked shell per destination connecting would stall the sink at the start of a large workload). With TLS, nginx's
 * stream module terminates TLS in front of it ({@code rtmps://localhost:TLSPORT/dN}), the way RTMPS platforms do.
 */
final class Sinks implements AutoCloseable {
    private final NginxRtmp nginx;
    private final boolean tls;

    private Sinks(NginxRtmp nginx, boolean tls) {
        this.nginx = nginx;
        this.tls = tls;
    }

    static Sinks start(Path dir, int port, int destinations, boolean tls) {
        String[] applications = new String[destinations];
        for (int d = 1; d <= destinations; d++) {
            applications[d - 1] = "d" + d;
        }
        // a TLS front takes free ports of its own choosing (the builder retries when one is taken meanwhile)
        NginxRtmp.Builder b = (tls ? forLoad(dir) : forLoad(dir, port))
                .withoutApplication("live")
                .withApplications(applications)
                .withRecordingsPerApplication()
                .withoutSessionHooks();
        return new Sinks((tls ? b.withTls() : b).start(), tls);
    }

    /**
     * An nginx-rtmp set up for load in {@code dir} on {@code port}: room for thousands of connections, warnings only
     * in its log, stopped gracefully so that the record module closes its files.
     */
    static NginxRtmp.Builder forLoad(Path dir, int port) {
        return forLoad(dir).onPort(port);
    }

    private static NginxRtmp.Builder forLoad(Path dir) {
        return NginxRtmp.builder(dir)
                .withWorkerConnections(4096)
                .withErrorLogLevel("warn")
                .withGracefulStop();
    }

    /**
     * A destination application, the stream name appended by the caller: {@code rtmp://127.0.0.1:PORT/dN}, or with TLS
     * {@code rtmps://localhost:TLSPORT/dN}.
     */
    String applicationUrl(int destination) {
        return tls
                ? "rtmps://localhost:" + nginx.tlsPort() + "/d" + destination
                : "rtmp://127.0.0.1:" + nginx.port() + "/d" + destination;
    }

    boolean tls() {
        return tls;
    }

    /** The TLS front's port on 127.0.0.1 (with TLS only). */
    int tlsPort() {
        return nginx.tlsPort();
    }

    /** The CA that signed the TLS front's certificate for localhost (with TLS only). */
    Path caCertFile() {
        return nginx.caCertFile();
    }

    List<Path> recordings() {
        return nginx.recordings();
    }

    @Override
    public void close() {
        nginx.close();
    }
}
