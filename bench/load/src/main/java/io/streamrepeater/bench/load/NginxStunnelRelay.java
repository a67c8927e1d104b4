package io.streamrepeater.bench.load;

import io.streamrepeater.testkit.ExternalProcess;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.NginxRtmp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx-rtmp pushing to RTMPS destinations the way its users do, since it cannot speak TLS itself: each {@code push}
 * goes to a local stunnel client tunnel ({@code rtmp://127.0.0.1:TUNNEL/dN}), one tunnel per destination in one stunnel
 * process, which verifies the destination's certificate and name like the other relays do. Both processes are counted.
 */
final class NginxStunnelRelay implements RelayUnderTest {
    private static final Duration STUNNEL_READY = Duration.ofSeconds(15);

    private final NginxRtmp nginx;
    private final ExternalProcess stunnel;

    private NginxStunnelRelay(NginxRtmp nginx, ExternalProcess stunnel) {
        this.nginx = nginx;
        this.stunnel = stunnel;
    }

    static NginxStunnelRelay start(Path dir, int port, Workload w, Sinks sinks) {
        Path stunnelDir = dir.resolve("stunnel");
        StringBuilder conf = new StringBuilder()
                .append("foreground = yes\npid =\ndebug = notice\noutput = ")
                .append(stunnelDir.resolve("stunnel.log"))
                .append('\n');
        List<String> destinations = new ArrayList<>();
        for (int d = 1; d <= w.destinations(); d++) {
            int tunnel = FreePorts.loopback();
            conf.append("[d")
                    .append(d)
                    .append("]\nclient = yes\naccept = 127.0.0.1:")
                    .append(tunnel)
                    .append("\nconnect = 127.0.0.1:")
                    .append(sinks.tlsPort())
                    .append("\nsni = localhost\nverifyChain = yes\ncheckHost = localhost\nCAfile = ")
                    .append(sinks.caCertFile())
                    .append('\n');
            destinations.add("rtmp://127.0.0.1:" + tunnel + "/d" + d);
        }
        ExternalProcess stunnel;
        try {
            Files.createDirectories(stunnelDir);
            Path file = stunnelDir.resolve("stunnel.conf");
            Files.writeString(file, conf);
            stunnel = ExternalProcess.start(
                    "stunnel", List.of("stunnel", file.toString()), stunnelDir.resolve("stunnel.out"));
            awaitConfigured(stunnel, stunnelDir.resolve("stunnel.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up stunnel in " + stunnelDir, e);
        }
        try {
            return new NginxStunnelRelay(
                    Sinks.forLoad(dir, port)
                            .withPushApplication("live", destinations)
                            .start(),
                    stunnel);
        } catch (RuntimeException e) {
            stunnel.close();
            throw e;
        }
    }

    /** stunnel logs "Configuration successful" once every tunnel listens. */
    private static void awaitConfigured(ExternalProcess stunnel, Path log) throws IOException {
        long deadline = System.nanoTime() + STUNNEL_READY.toNanos();
        while (!Files.exists(log) || !Files.readString(log).contains("Configuration successful")) {
            if (!stunnel.isAlive() || System.nanoTime() > deadline) {
                stunnel.kill();
                throw new IllegalStateException("stunnel did not start; its log:\n"
                        + (Files.exists(log) ? Files.readString(log) : "") + stunnel.log());
            }
            Pause.millis(100);
        }
    }

    @Override
    public String label() {
        return "nginx-rtmp + stunnel";
    }

    @Override
    public String ingestUrl(int channel) {
        return nginx.rtmpUrl("live", "ch" + channel);
    }

    @Override
    public List<Long> pids() {
        return List.of(nginx.pid(), stunnel.pid());
    }

    @Override
    public void close() {
        nginx.close();
        stunnel.close();
    }
}
