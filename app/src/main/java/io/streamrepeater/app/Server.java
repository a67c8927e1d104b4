package io.streamrepeater.app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.streamrepeater.channel.FailoverPolicy;
import io.streamrepeater.channel.InputSpec;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.control.config.ConfigWriter;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.control.config.FirstRun;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.RelayConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.config.DestinationMode;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.FlvFileReader;
import io.streamrepeater.relay.BackupMode;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.DestinationSpec;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.relay.SupervisionSettings;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.handshake.HandshakeServerHandler;
import io.streamrepeater.rtmp.session.IngestSession;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.RehearsalReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The composition root: wires ingest, channels and relays, and owns their lifecycle. */
public final class Server {
    private static final Logger log = LoggerFactory.getLogger(Server.class);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Map<String, LiveChannel> channels = new LinkedHashMap<>();
    private final Map<String, ChannelRelay> relays = new LinkedHashMap<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private Channel rtmpListener;
    private int rtmpPort;

    private Server(EventLoopGroup boss, EventLoopGroup workers) {
        this.boss = boss;
        this.workers = workers;
    }

    /** Loads the configuration, binds the listeners and starts every channel's destinations. */
    public static Server start(ServerOptions options) {
        Loaded loaded = loadConfig(options);
        StreamRepeaterConfig config = loaded.config();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Server server = new Server(new MultiThreadIoEventLoopGroup(1, io), new MultiThreadIoEventLoopGroup(0, io));
        try {
            server.wire(config, options, epoll);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        if (loaded.firstRun()) {
            server.printFirstRun(config);
        }
        return server;
    }

    private record Loaded(StreamRepeaterConfig config, boolean firstRun) {
    }

    private static Loaded loadConfig(ServerOptions options) {
        if (options.configFile() != null) {
            return new Loaded(ConfigLoader.load(options.configFile()), false);
        }
        Path dataDir = options.dataDir() != null ? options.dataDir() : Path.of("data");
        Path file = dataDir.resolve("config.yaml");
        if (Files.exists(file)) {
            return new Loaded(ConfigLoader.load(file), false);
        }
        StreamRepeaterConfig fresh = FirstRun.defaultConfig(new SecureRandom());
        try {
            Files.createDirectories(dataDir);
            Path tmp = dataDir.resolve("config.yaml.tmp");
            Files.writeString(tmp, ConfigWriter.toYaml(fresh));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StartupException("cannot write the first-run configuration to " + file + ": " + e.getMessage(), e);
        }
        return new Loaded(fresh, true);
    }

    private void wire(StreamRepeaterConfig config, ServerOptions options, boolean epoll) {
        Path configDir = options.configFile() != null && options.configFile().toAbsolutePath().getParent() != null
                ? options.configFile().toAbsolutePath().getParent() : Path.of(".").toAbsolutePath();
        OutboundConnector connector = new OutboundConnector(
                epoll ? EpollSocketChannel.class : NioSocketChannel.class, clientTls(options.trustCa()));
        KeyDirectory keys = new KeyDirectory();
        for (ChannelConfig cc : config.channels()) {
            EventLoop loop = workers.next();
            List<InputSpec> specs = new ArrayList<>();
            for (InputConfig ic : cc.inputs()) {
                specs.add(new InputSpec(ic.name(), ic.allowTakeover()));
            }
            LiveChannel channel = new LiveChannel(cc.name(), specs, failoverPolicy(cc.failover()), loop, Clock.systemUTC());
            ChannelRelay relay = new ChannelRelay(channel, loop, connector, PooledByteBufAllocator.DEFAULT,
                    supervisionSettings(cc.relay()));
            channels.put(cc.name(), channel);
            relays.put(cc.name(), relay);
            for (InputConfig ic : cc.inputs()) {
                keys.register(ic.key(), channel, ic.name());
            }
            for (DestinationConfig dc : cc.destinations()) {
                relay.addDestination(new DestinationSpec(dc.name(), RtmpUrl.parse(dc.url()),
                        dc.backupUrl() == null ? null : RtmpUrl.parse(dc.backupUrl()),
                        dc.mode() == DestinationMode.FALLBACK ? BackupMode.FALLBACK : BackupMode.BOTH, dc.enabled()));
            }
            if (cc.slate() != null) {
                channel.useSlate(readSlate(cc, configDir));
            }
            channel.start();
            log.info("event=channel-started channel={} inputs={} destinations={}", cc.name(), cc.inputs().size(),
                    cc.destinations().size());
        }
        int port = options.rtmpPort() != null ? options.rtmpPort() : config.server().rtmpPort();
        if (port > 0) {
            bindRtmp(port, keys, epoll);
        } else {
            log.info("event=rtmp-disabled");
        }
    }

    /** Slate files may be large, but a slate is a short loop: refuse anything absurd. */
    static final long MAX_SLATE_BYTES = 256L << 20;

    /** Reads a channel's slate; a relative path is resolved against the configuration file's folder. */
    private static FlvFile readSlate(ChannelConfig cc, Path configDir) {
        Path file = configDir.resolve(cc.slate());
        try {
            FlvFile flv = FlvFileReader.read(file, PooledByteBufAllocator.DEFAULT, MAX_SLATE_BYTES);
            if (!flv.hasVideoKeyframe()) {
                flv.close();
                throw new StartupException("slate " + file + " of channel " + cc.name() + " has no video keyframe", null);
            }
            log.info("event=slate-loaded channel={} file={} packets={} loopMs={}", cc.name(), file, flv.packets().size(), flv.durationMs());
            return flv;
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new StartupException("cannot use the slate of channel " + cc.name() + ": " + e.getMessage(), e);
        }
    }

    /** The channel's {@code relay:} section over the defaults of destination supervision. */
    static SupervisionSettings supervisionSettings(RelayConfig r) {
        return SupervisionSettings.defaults().withBackoffCapMs(r.retryMaxMs()).withStallTimeoutMs(r.stallTimeoutMs());
    }

    static FailoverPolicy failoverPolicy(FailoverConfig f) {
        return new FailoverPolicy(f.inputLossMs(),
                switch (f.failback()) {
                    case STICKY -> FailoverPolicy.Failback.STICKY;
                    case AUTO -> FailoverPolicy.Failback.AUTO;
                    case MANUAL -> FailoverPolicy.Failback.MANUAL;
                },
                f.clearMs(),
                switch (f.start()) {
                    case CACHED -> FailoverPolicy.StartMode.CACHED;
                    case NEXT_KEYFRAME -> FailoverPolicy.StartMode.NEXT_KEYFRAME;
                },
                switch (f.timeline()) {
                    case CONTINUOUS -> FailoverPolicy.Timeline.CONTINUOUS;
                    case REALTIME -> FailoverPolicy.Timeline.REALTIME;
                });
    }

    private void bindRtmp(int port, KeyDirectory keys, boolean epoll) {
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(type)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("handshake", new HandshakeServerHandler(HANDSHAKE_TIMEOUT));
                        // The encoder sits nearer the socket: the decoder writes acknowledgements through it.
                        p.addLast("chunkEncoder", new ChunkEncoder());
                        p.addLast("chunkDecoder", new ChunkDecoder(ChunkLimits.DEFAULT));
                        p.addLast("session", new IngestSession(keys));
                    }
                });
        try {
            rtmpListener = b.bind(port).sync().channel();
        } catch (Exception e) {
            throw new StartupException("cannot listen for RTMP on port " + port + ": " + e.getMessage(), e);
        }
        rtmpPort = ((InetSocketAddress) rtmpListener.localAddress()).getPort();
        log.info("event=rtmp-listening port={}", rtmpPort);
    }

    private static SslContext clientTls(Path trustCa) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (trustCa != null) {
                b.trustManager(trustCa.toFile());
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new StartupException("cannot set up TLS for rtmps destinations"
                    + (trustCa == null ? "" : " with CA " + trustCa) + ": " + e.getMessage(), e);
        }
    }

    private void printFirstRun(StreamRepeaterConfig config) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nStream Repeater is running for the first time. Point your encoders at:\n");
        for (ChannelConfig cc : config.channels()) {
            for (InputConfig ic : cc.inputs()) {
                sb.append(String.format("  channel %-8s %-8s rtmp://HOST:%d/live/%s%n", cc.name(), ic.name(), rtmpPort, ic.key()));
            }
        }
        sb.append("(HOST is this machine's address.)\n");
        if (config.server().adminToken() != null) {
            sb.append("Admin token: ").append(config.server().adminToken()).append('\n');
        }
        sb.append("This configuration is saved in the data directory; these keys are shown only now.\n");
        System.out.println(sb);
    }

    /** The bound RTMP port (useful when 0 was given to pick a free one). */
    public int rtmpPort() {
        return rtmpPort;
    }

    /** Status of every channel; safe from any thread. */
    public List<ChannelStatus> status() {
        List<ChannelStatus> list = new ArrayList<>();
        channels.forEach((name, ch) -> list.add(new ChannelStatus(name, ch.activeInput(), ch.inputStatus(),
                relays.get(name).status(), ch.compatibility())));
        return list;
    }

    /** The live channel of that name (in-process API for the operator's switch and drills). */
    public LiveChannel channel(String name) {
        LiveChannel ch = channels.get(name);
        if (ch == null) {
            throw new IllegalArgumentException("no channel '" + name + "'");
        }
        return ch;
    }

    /**
     * Runs a failover drill on a channel: its active input is treated as failed for {@code duration};
     * the report adds how often each destination reconnected meanwhile (expected: never).
     */
    public CompletableFuture<RehearsalReport> rehearse(String channelName, Duration duration) {
        LiveChannel ch = channel(channelName);
        ChannelRelay relay = relays.get(channelName);
        Map<String, Long> before = reconnects(relay);
        CompletableFuture<RehearsalReport> result = new CompletableFuture<>();
        ch.rehearse(duration).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            Map<String, Long> after = reconnects(relay);
            Map<String, Long> delta = new LinkedHashMap<>();
            after.forEach((d, n) -> delta.put(d, n - before.getOrDefault(d, 0L)));
            result.complete(((RehearsalReport) f.getNow()).withDestinationReconnects(delta));
        });
        return result;
    }

    private static Map<String, Long> reconnects(ChannelRelay relay) {
        Map<String, Long> m = new LinkedHashMap<>();
        relay.status().forEach(d -> m.put(d.name(), d.reconnects()));
        return m;
    }

    /** The relay of a channel: add, remove, enable and disable its destinations while live. */
    public ChannelRelay relay(String channelName) {
        ChannelRelay relay = relays.get(channelName);
        if (relay == null) {
            throw new IllegalArgumentException("no channel named '" + channelName + "'");
        }
        return relay;
    }

    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting, closes the destinations and encoders, and releases the event loops. */
    public void stop() {
        if (terminated.getCount() == 0) {
            return;
        }
        log.info("event=stopping");
        if (rtmpListener != null) {
            rtmpListener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        relays.values().forEach(ChannelRelay::close);
        for (LiveChannel ch : channels.values()) {
            ch.loop().submit(ch::close).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        terminated.countDown();
        log.info("event=stopped");
    }
}
