package io.streamrepeater.app;

import static org.awaitility.Awaitility.await;

import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import io.streamrepeater.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A Stream Repeater server started in-process by a test from a YAML text, on a free loopback port. */
final class RunningServer implements AutoCloseable {
    final Server server;
    final int rtmpPort;

    private RunningServer(Server server, int rtmpPort) {
        this.server = server;
        this.rtmpPort = rtmpPort;
    }

    static RunningServer start(Path dir, String yaml, Path trustCa) throws IOException {
        return start(dir, yaml, trustCa, false);
    }

    /** @param withHttp also serve the HTTP API on a free port ({@link Server#httpPort()}) */
    static RunningServer start(Path dir, String yaml, Path trustCa, boolean withHttp) throws IOException {
        return start(dir, yaml, trustCa, withHttp, null);
    }

    /**
     * @param withHttp also serve the HTTP API on a free port ({@link Server#httpPort()})
     * @param database JDBC URL of the configuration store ({@code --database}), or null for SQLite in {@code dir/data}
     */
    static RunningServer start(Path dir, String yaml, Path trustCa, boolean withHttp, String database)
            throws IOException {
        return start(dir, yaml, trustCa, withHttp, database, false);
    }

    /** @param withSrt also listen for SRT on a free UDP port ({@link #srtUrl}) */
    static RunningServer start(Path dir, String yaml, Path trustCa, boolean withHttp, String database, boolean withSrt)
            throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("stream-repeater.yaml");
        Files.writeString(config, yaml);
        int port = FreePorts.loopback();
        int http = withHttp ? FreePorts.loopback() : 0; // no fixed port: the default 8080 may be taken
        ServerOptions options = new ServerOptions(config, dir.resolve("data"), port, http, trustCa, database);
        // no fixed port: SRT on a free UDP port when asked for, else none (the default 9000 may be taken)
        Server s = Server.start(options.withSrtPort(withSrt ? FreePorts.loopbackUdp() : 0));
        return new RunningServer(s, s.rtmpPort());
    }

    String ingestUrl(String key) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/live/" + key;
    }

    /** The SRT caller URL of an input (ffmpeg's spelling), when the server listens for SRT. */
    String srtUrl(String key) {
        return "srt://127.0.0.1:" + server.srtPort() + "?mode=caller&streamid=" + key;
    }

    ChannelStatus channel(String name) {
        return server.status().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    DestinationStatus destination(String channel, String name) {
        return channel(channel).destinations().stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    ChannelRelay relay(String channel) {
        return server.relay(channel);
    }

    void awaitDestinationLive(String channel, String name, Duration timeout) {
        await().atMost(timeout).until(() -> destination(channel, name).state() == DestinationState.LIVE);
    }

    /** Waits until the destination has been sent {@code packets} more media messages than now. */
    void awaitPacketsSent(String channel, String name, long packets, Duration timeout) {
        long start = destination(channel, name).packetsSent();
        await().atMost(timeout).until(() -> destination(channel, name).packetsSent() >= start + packets);
    }

    void awaitDestinationsLive(String channel, Duration timeout) {
        await().atMost(timeout)
                .until(() ->
                        channel(channel).destinations().stream().allMatch(d -> d.state() == DestinationState.LIVE));
    }

    @Override
    public void close() {
        server.stop();
    }
}
