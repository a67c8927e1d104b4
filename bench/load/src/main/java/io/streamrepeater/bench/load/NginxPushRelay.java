package io.streamrepeater.bench.load;

import io.streamrepeater.testkit.NginxRtmp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx-rtmp as the reference relay: application {@code live} pushes every stream to each destination
 * application ({@code push rtmp://SINK/dN;} keeps the stream name), the way nginx-rtmp users restream.
 */
final class NginxPushRelay implements RelayUnderTest {
    private final NginxRtmp nginx;

    private NginxPushRelay(NginxRtmp nginx) {
        this.nginx = nginx;
    }

    static NginxPushRelay start(Path dir, int port, Workload w, Sinks sinks) {
        List<String> destinations = new ArrayList<>();
        for (int d = 1; d <= w.destinations(); d++) {
            destinations.add(sinks.applicationUrl(d));
        }
        return new NginxPushRelay(Sinks.forLoad(dir, port)
                .withPushApplication("live", destinations)
                .start());
    }

    @Override
    public String label() {
        return "nginx-rtmp";
    }

    @Override
    public String ingestUrl(int channel) {
        return nginx.rtmpUrl("live", "ch" + channel);
    }

    @Override
    public List<Long> pids() {
        return List.of(nginx.pid());
    }

    @Override
    public void close() {
        nginx.close();
    }
}
