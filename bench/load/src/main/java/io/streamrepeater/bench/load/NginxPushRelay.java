package io.streamrepeater.bench.load;

import java.io.IOException;
import java.nio.file.Path;

/**
 * nginx-rtmp as the reference relay: application {@code live} pushes every stream to each destination
 * application ({@code push rtmp://SINK/dN;} keeps the stream name), the way nginx-rtmp users restream.
 */
final class NginxPushRelay implements RelayUnderTest {
    private final NginxProcess nginx;

    private NginxPushRelay(NginxProcess nginx) {
        this.nginx = nginx;
    }

    static NginxPushRelay start(Path dir, int port, Workload w, Sinks sinks) throws IOException {
        StringBuilder body = new StringBuilder("    application live {\n      live on;\n");
        for (int d = 1; d <= w.destinations(); d++) {
            body.append("      push ").append(sinks.applicationUrl(d)).append(";\n");
        }
        body.append("    }\n");
        return new NginxPushRelay(NginxProcess.start(dir, port, body.toString()));
    }

    @Override
    public String label() {
        return "nginx-rtmp";
    }

    @Override
    public String ingestUrl(int channel) {
        return "rtmp://127.0.0.1:" + nginx.port() + "/live/ch" + channel;
    }

    @Override
    public long pid() {
        return nginx.pid();
    }

    @Override
    public void close() {
        nginx.close();
    }
}
