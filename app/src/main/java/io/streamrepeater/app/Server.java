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
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.streamrepeater.channel.FailoverPolicy;
import io.streamrepeater.channel.InputSpec;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.control.api.ApiServer;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ConfigException;
import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.control.config.FirstRun;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.LimitsConfig;
import io.streamrepeater.control.config.RelayConfig;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.config.TlsConfig;
import io.streamrepeater.control.config.WebhookConfig;
import io.streamrepeater.control.metrics.StatusMetrics;
import io.streamrepeater.control.store.AdminTokenHash;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.webhooks.WebhookDispatcher;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.FlvFileReader;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.DestinationSpec;
import io.streamrepeater.relay.LatencyHistogram;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.relay.SupervisionSettings;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.handshake.HandshakeCompleted;
import io.streamrepeater.rtmp.handshake.HandshakeServerHandler;
import io.streamrepeater.rtmp.limits.ChunkLimitGuard;
import io.streamrepeater.rtmp.limits.ConnectionCap;
import io.streamrepeater.rtmp.limits.IngestDeadline;
import io.streamrepeater.rtmp.limits.IngestLimit;
import io.streamrepeater.rtmp.limits.IngestLimitEvents;
import io.streamrepeater.rtmp.limits.PublishLimits;
import io.streamrepeater.rtmp.session.IngestSession;
import io.streamrepeater.rtmp.session.PublishStarted;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.srt.SrtException;
import io.streamrepeater.srt.SrtIngestServer;
import io.streamrepeater.srt.SrtIngestSettings;
import io.streamrepeater.srt.SrtLibrary;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.RehearsalReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: wires ingest, channels and relays, and owns their lifecycle. */
public final class Server {
    private static final Logger log = LoggerFactory.getLogger(Server.class);
    /** How often the RTMPS certificate files are checked for a change. */
    static final Duration TLS_RELOAD_POLL = Duration.ofSeconds(2);
    /** A stop ends within this, whatever is still pending then (logged). */
    static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(5);
    /** The status text an encoder gets when a stop ends its publish. */
    static final String SHUTDOWN_STATUS = "Server shutting down.";

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Map<String, LiveChannel> channels = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, ChannelRelay> relays = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, ChannelConfig> configs = new LinkedHashMap<>();
    private final List<java.util.function.Consumer<io.streamrepeater.status.ChannelEvent>> eventListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private OutboundConnector connector;
    private KeyDirectory keys;
    private Path configDir;
    private ServerConfig serverConfig;
    /** Where the configuration lives; every change is written here, in one transaction, before it goes live. */
    private ConfigStore store;

    private final CountDownLatch terminated = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean stoppedCleanly;
    /** Every open RTMP/RTMPS ingest connection (closed ones leave by themselves), so a stop can tell each encoder. */
    private final ChannelGroup ingestConnections = new DefaultChannelGroup("ingest", GlobalEventExecutor.INSTANCE);

    private volatile boolean ready;
    private Channel rtmpListener;
    private int rtmpPort;
    /** The RTMPS listener and its certificate; null (and port 0) when RTMPS ingest is off. */
    private Channel rtmpsListener;

    private ReloadingSslContext ingestTls;
    private int rtmpsPort;
    /** A libsrt to load instead of the system's (comma-separated file names or paths), e.g. a newer build in /opt. */
    static final String LIBSRT_PROPERTY = "streamrepeater.libsrt";

    private SrtIngestServer srtListener;
    private int srtPort;
    private int httpPort;
    private ApiServer api;
    private volatile Thumbnails thumbnails;
    private StatusMetrics metrics;
    /** Ingest-to-socket-write latency of every channel's destination writes (shared, lock-free). */
    private final LatencyHistogram relayLatency = new LatencyHistogram();
    /** Sends every channel's events to its webhooks, off the event loops. */
    private final WebhookDispatcher webhooks = new WebhookDispatcher();
    /** Counts and logs every ingest connection a {@code server.limits} limit closed. */
    private final IngestLimitEvents limitEvents = IngestLimitEvents.onSystemClock();

    private ConnectionCap connectionCap;
    private final ChunkLimitGuard chunkLimitGuard = new ChunkLimitGuard(limitEvents);
    /** The server-wide allowances of partly received RTMP messages, before and after a publish is accepted. */
    private IngestBudgets ingestBudgets;

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
        // One worker loop per core (Netty's default is two): the relay's work is short non-blocking steps, and fewer
        // loops mean fewer hand-offs between threads for a packet on its way from an encoder to its channel.
        Server server = new Server(
                new MultiThreadIoEventLoopGroup(1, io),
                new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io));
        server.store = loaded.store();
        try {
            server.wire(config, options, epoll);
            server.ready = true;
        } catch (RuntimeException e) {
            if (loaded.firstRun()) {
                // nobody saw the keys and the token of this first start: take them back, so that the next start
                // is a first start again and prints new ones, instead of a store whose token no one knows
                try {
                    loaded.store().undoFirstRun();
                    log.warn(
                            "event=first-run-undone reason=\"{}\" note=\"the next start is a first start again\"",
                            e.getMessage());
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
            }
            server.stop();
            throw e;
        }
        if (loaded.firstRun()) {
            server.printFirstRun(config, loaded.adminTokenToPrint());
        } else {
            if (loaded.adminTokenToPrint() != null) {
                System.out.println("Admin token for the HTTP API (generated now, stored hashed, shown only once): "
                        + loaded.adminTokenToPrint());
            }
            server.printRunning(config);
        }
        return server;
    }

    /**
     * @param adminTokenToPrint a token made up at this start, shown once (null when none was made)
     */
    private record Loaded(StreamRepeaterConfig config, boolean firstRun, ConfigStore store, String adminTokenToPrint) {}

    /**
     * The store is the home of the configuration: SQLite in the data directory by default, or the
     * database named by {@code --database}. A {@code --config} file's channels are applied into it at
     * start-up; without one, the first start creates channel {@code main}.
     */
    private static Loaded loadConfig(ServerOptions options) {
        StreamRepeaterConfig file = options.configFile() != null ? ConfigLoader.load(options.configFile()) : null;
        ServerConfig server = file != null ? file.server() : ServerConfig.defaults();
        Path dataDir = options.dataDir() != null ? options.dataDir() : server.dataDir();
        SecureRandom random = new SecureRandom();
        ConfigStore store;
        try {
            Files.createDirectories(dataDir);
            store = options.database() != null
                    ? ConfigStore.open(options.database(), dataDir)
                    : ConfigStore.openInDataDirectory(dataDir);
        } catch (IOException | RuntimeException e) {
            throw new StartupException(
                    "cannot open the configuration store" + (options.database() != null ? "" : " in " + dataDir) + ": "
                            + e.getMessage(),
                    e);
        }
        boolean firstRun = false;
        String token = server.adminToken();
        String tokenToPrint = null;
        try {
            if (file != null) {
                for (ChannelConfig c : file.channels()) {
                    store.upsertChannel(c);
                }
            } else if (store.isEmpty()) {
                Path legacy = dataDir.resolve("config.yaml");
                if (Files.exists(legacy)) {
                    // An earlier version kept the configuration in data/config.yaml: move it into the store.
                    StreamRepeaterConfig old = ConfigLoader.load(legacy);
                    store.replaceChannels(old.channels());
                    server = old.server();
                    token = old.server().adminToken();
                    Files.move(
                            legacy,
                            dataDir.resolve("config.yaml.imported"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    log.info(
                            "event=config-imported file={} channels={}",
                            legacy,
                            old.channels().size());
                } else {
                    StreamRepeaterConfig fresh = FirstRun.defaultConfig(random);
                    store.replaceChannels(fresh.channels());
                    token = fresh.server().adminToken();
                    tokenToPrint = token;
                    firstRun = true;
                }
            }
            if (token != null) {
                if (!store.verifyAdminToken(token)) {
                    store.setAdminTokenHash(AdminTokenHash.of(token, random));
                }
            } else if (store.adminTokenHash().isEmpty()) {
                token = FirstRun.newAdminToken(random);
                store.setAdminTokenHash(AdminTokenHash.of(token, random));
                tokenToPrint = token;
            }
            return new Loaded(store.load(server), firstRun, store, tokenToPrint);
        } catch (IOException | RuntimeException e) {
            store.close();
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new StartupException("cannot load the configuration: " + e.getMessage(), e);
        }
    }

    private void wire(StreamRepeaterConfig config, ServerOptions options, boolean epoll) {
        configDir = options.configFile() != null
                        && options.configFile().toAbsolutePath().getParent() != null
                ? options.configFile().toAbsolutePath().getParent()
                : Path.of(".").toAbsolutePath();
        connector = new OutboundConnector(
                epoll ? EpollSocketChannel.class : NioSocketChannel.class, clientTls(options.trustCa()));
        keys = new KeyDirectory(new WrongKeyThrottle(Clock.systemUTC()));
        serverConfig = inForce(config.server(), options, configDir);
        for (ChannelConfig cc : config.channels()) {
            startChannel(cc);
        }
        int port = options.rtmpPort() != null
                ? options.rtmpPort()
                : config.server().rtmpPort();
        if (port > 0) {
            rtmpListener = bindRtmp(port, keys, epoll, null);
            rtmpPort = ((InetSocketAddress) rtmpListener.localAddress()).getPort();
        } else {
            log.info("event=rtmp-disabled");
        }
        startRtmps(options, config.server(), epoll);
        startSrt(options, config.server());
        int http = options.httpPort() != null
                ? options.httpPort()
                : config.server().httpPort();
        if (http > 0) {
            startHttp(http, config);
        } else {
            log.info("event=http-disabled");
        }
    }

    /**
     * The server settings in force: the configuration file's (or the defaults), with the command line's overrides,
     * the data directory and the certificate files as absolute paths. This is what {@code export} writes, so that
     * the file it gives, fed back to {@code serve --config}, starts this same server.
     */
    static ServerConfig inForce(ServerConfig file, ServerOptions options, Path configDir) {
        TlsConfig tls = file.tls() == null
                ? null
                : new TlsConfig(
                        configDir
                                .resolve(file.tls().certFile())
                                .toAbsolutePath()
                                .normalize(),
                        configDir.resolve(file.tls().keyFile()).toAbsolutePath().normalize());
        if (options.tlsCertFile() != null && options.tlsKeyFile() != null) {
            tls = new TlsConfig(
                    options.tlsCertFile().toAbsolutePath().normalize(),
                    options.tlsKeyFile().toAbsolutePath().normalize());
        }
        Path dataDir = options.dataDir() != null ? options.dataDir() : file.dataDir();
        return new ServerConfig(
                options.rtmpPort() != null ? options.rtmpPort() : file.rtmpPort(),
                options.srtPort() != null ? options.srtPort() : file.srtPort(),
                options.httpPort() != null ? options.httpPort() : file.httpPort(),
                dataDir.toAbsolutePath().normalize(),
                file.adminToken(),
                options.rtmpsPort() != null ? options.rtmpsPort() : file.rtmpsPort(),
                tls,
                file.limits(),
                file.srtLatencyMs(),
                file.webhookHosts());
    }

    /**
     * Listens to the events of every channel, including channels created later (SSE clients, metrics).
     * A listener runs on a channel's event loop and must not block.
     */
    public synchronized void addEventListener(
            java.util.function.Consumer<io.streamrepeater.status.ChannelEvent> listener) {
        eventListeners.add(listener);
        channels.values().forEach(ch -> ch.events().addListener(listener));
    }

    public synchronized void removeEventListener(
            java.util.function.Consumer<io.streamrepeater.status.ChannelEvent> listener) {
        eventListeners.remove(listener);
        channels.values().forEach(ch -> ch.events().removeListener(listener));
    }

    private void startChannel(ChannelConfig cc) {
        EventLoop loop = workers.next();
        LiveChannel channel =
                new LiveChannel(cc.name(), inputSpecs(cc), failoverPolicy(cc.failover()), loop, Clock.systemUTC());
        eventListeners.forEach(l -> channel.events().addListener(l));
        ChannelRelay relay = new ChannelRelay(
                channel,
                loop,
                connector,
                PooledByteBufAllocator.DEFAULT,
                supervisionSettings(cc.relay()),
                relayLatency);
        if (cc.slate() != null) {
            channel.useSlate(readSlate(cc, configDir));
        }
        webhooks.configure(cc.name(), cc.webhooks());
        channel.events().addListener(webhooks::publish);
        channels.put(cc.name(), channel);
        relays.put(cc.name(), relay);
        configs.put(cc.name(), cc);
        for (InputConfig ic : cc.inputs()) {
            keys.register(ic.key(), channel, ic.name(), ic.srtPassphrase());
        }
        for (DestinationConfig dc : cc.destinations()) {
            relay.addDestination(destinationSpec(dc));
        }
        channel.start();
        log.info(
                "event=channel-started channel={} inputs={} destinations={}",
                cc.name(),
                cc.inputs().size(),
                cc.destinations().size());
    }

    private static List<InputSpec> inputSpecs(ChannelConfig cc) {
        List<InputSpec> specs = new ArrayList<>();
        for (InputConfig ic : cc.inputs()) {
            specs.add(new InputSpec(ic.name(), ic.allowTakeover()));
        }
        return specs;
    }

    /** The configuration in force: what {@code export} writes and the API changes. */
    public synchronized StreamRepeaterConfig currentConfig() {
        return new StreamRepeaterConfig(serverConfig, new ArrayList<>(configs.values()));
    }

    /**
     * Creates or updates a channel while live. Unchanged destinations are untouched; a changed one
     * reconnects; inputs keep their encoders by name; the failover policy applies at once.
     *
     * @throws IllegalArgumentException when an input key is already used by another channel
     */
    public synchronized void applyChannel(ChannelConfig cc) {
        for (WebhookConfig webhook : cc.webhooks()) {
            StreamRepeaterConfig.requireWebhookHostAllowed(serverConfig, cc.name(), webhook);
        }
        for (ChannelConfig other : configs.values()) {
            if (other.name().equals(cc.name())) {
                continue;
            }
            for (InputConfig mine : cc.inputs()) {
                for (InputConfig theirs : other.inputs()) {
                    if (theirs.key().equals(mine.key())) {
                        throw new IllegalArgumentException("key of input " + mine.name() + " is already used by input "
                                + theirs.name() + " of channel " + other.name());
                    }
                }
            }
        }
        ChannelConfig old = configs.get(cc.name());
        store.upsertChannel(cc); // durable first: a change that cannot be saved does not go live
        if (old == null) {
            startChannel(cc);
            log.info("event=channel-created channel={}", cc.name());
            return;
        }
        LiveChannel channel = channels.get(cc.name());
        ChannelRelay relay = relays.get(cc.name());
        channel.policy(failoverPolicy(cc.failover()));
        if (!old.inputs().equals(cc.inputs())) {
            channel.updateInputs(inputSpecs(cc)).awaitUninterruptibly(5, TimeUnit.SECONDS);
            keys.unregister(channel);
            for (InputConfig ic : cc.inputs()) {
                keys.register(ic.key(), channel, ic.name(), ic.srtPassphrase());
            }
        }
        if (!old.webhooks().equals(cc.webhooks())) {
            webhooks.configure(cc.name(), cc.webhooks());
        }
        if (!java.util.Objects.equals(old.slate(), cc.slate())) {
            channel.replaceSlate(cc.slate() == null ? null : readSlate(cc, configDir))
                    .awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (!old.relay().equals(cc.relay())) {
            // New supervision settings: a new relay for the channel; its destinations reconnect once.
            log.info(
                    "event=relay-settings-changed channel={} destinationsReconnect={}",
                    cc.name(),
                    cc.destinations().size());
            relay.close();
            relay = new ChannelRelay(
                    channel,
                    (EventLoop) channel.loop(),
                    connector,
                    PooledByteBufAllocator.DEFAULT,
                    supervisionSettings(cc.relay()),
                    relayLatency);
            relays.put(cc.name(), relay);
            old = old.withDestinations(List.of());
        }
        Map<String, DestinationConfig> before = new LinkedHashMap<>();
        old.destinations().forEach(d -> before.put(d.name(), d));
        for (DestinationConfig d : cc.destinations()) {
            DestinationConfig was = before.remove(d.name());
            if (was == null) {
                relay.addDestination(destinationSpec(d));
            } else if (!was.equals(d)) {
                if (sameExceptEnabled(was, d)) {
                    if (d.enabled()) {
                        relay.enableDestination(d.name());
                    } else {
                        relay.disableDestination(d.name());
                    }
                } else {
                    relay.removeDestination(d.name());
                    relay.addDestination(destinationSpec(d));
                }
            }
        }
        before.keySet().forEach(relay::removeDestination);
        configs.put(cc.name(), cc);
        log.info("event=channel-updated channel={}", cc.name());
    }

    private static boolean sameExceptEnabled(DestinationConfig a, DestinationConfig b) {
        return a.url().equals(b.url())
                && java.util.Objects.equals(a.backupUrl(), b.backupUrl())
                && java.util.Objects.equals(a.mode(), b.mode())
                && a.enabled() != b.enabled()
                && a.equals(withEnabled(b, a.enabled()));
    }

    static DestinationConfig withEnabled(DestinationConfig d, boolean enabled) {
        return new DestinationConfig(d.name(), d.url(), enabled, d.backupUrl(), d.mode());
    }

    /** Stops a channel: its destinations are closed and its encoders disconnected. */
    public synchronized boolean deleteChannel(String name) {
        if (!channels.containsKey(name)) {
            return false;
        }
        store.deleteChannel(name);
        LiveChannel channel = channels.remove(name);
        relays.remove(name).close();
        webhooks.remove(name);
        keys.unregister(channel);
        channel.loop().submit(channel::close).awaitUninterruptibly(5, TimeUnit.SECONDS);
        configs.remove(name);
        log.info("event=channel-deleted channel={}", name);
        return true;
    }

    static DestinationSpec destinationSpec(DestinationConfig dc) {
        return new DestinationSpec(
                dc.name(),
                RtmpUrl.parse(dc.url()),
                dc.backupUrl() == null ? null : RtmpUrl.parse(dc.backupUrl()),
                dc.mode() == null ? DestinationMode.BOTH : dc.mode(), // no backup address: the mode is not used
                dc.enabled());
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
                throw new StartupException(
                        "slate " + file + " of channel " + cc.name() + " has no video keyframe", null);
            }
            log.info(
                    "event=slate-loaded channel={} file={} packets={} loopMs={}",
                    cc.name(),
                    file,
                    flv.packets().size(),
                    flv.durationMs());
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
        return new FailoverPolicy(
                f.inputLossMs(),
                f.failback(),
                f.clearMs(),
                f.start(),
                f.timeline(),
                f.lowBitrate() == null
                        ? null
                        : new FailoverPolicy.LowBitrate(
                                f.lowBitrate().belowKbps(), f.lowBitrate().forMs()));
    }

    private void startHttp(int port, StreamRepeaterConfig config) {
        ServerControl control = new ServerControl(this);
        metrics = new StatusMetrics(control);
        metrics.watchWebhookDeliveries(webhooks::deliveryCounts);
        metrics.watchIngestRejections(limitEvents::countsByLabel);
        PooledByteBufAllocator pool = PooledByteBufAllocator.DEFAULT;
        io.micrometer.core.instrument.Gauge.builder(
                        "netty_pooled_used_direct_memory_bytes",
                        pool,
                        a -> a.metric().usedDirectMemory())
                .description("Direct memory held by Netty's pooled allocator")
                .register(metrics.registry());
        io.micrometer.core.instrument.Gauge.builder(
                        "netty_pooled_used_heap_memory_bytes",
                        pool,
                        a -> a.metric().usedHeapMemory())
                .description("Heap memory held by Netty's pooled allocator")
                .register(metrics.registry());
        thumbnails = Thumbnails.start(channels::get);
        api = new ApiServer(control, store::verifyAdminToken, metrics::scrape);
        try {
            httpPort = api.start("0.0.0.0", port);
        } catch (RuntimeException e) {
            throw new StartupException("cannot listen for HTTP on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The latest picture of an input (empty without HTTP, without ffmpeg, or before the first one). */
    java.util.Optional<byte[]> thumbnail(String channel, String input) {
        Thumbnails t = thumbnails;
        return t == null ? java.util.Optional.empty() : t.latest(channel, input);
    }

    /** Whether ffmpeg ran for input pictures; null before that check (or without HTTP). */
    Boolean thumbnailsAvailable() {
        Thumbnails t = thumbnails;
        return t == null ? null : t.ffmpegFound();
    }

    /** Live channels by name, for the control port. */
    Map<String, LiveChannel> channels() {
        return channels;
    }

    /** True between a complete start and the beginning of a stop (the readiness check). */
    public boolean ready() {
        return ready;
    }

    /** The bound HTTP port, 0 when disabled. */
    public int httpPort() {
        return httpPort;
    }

    /** RTMPS ingest: the RTMP pipeline behind TLS, with a certificate reloaded when its files change. */
    private void startRtmps(ServerOptions options, ServerConfig server, boolean epoll) {
        int port = options.rtmpsPort() != null ? options.rtmpsPort() : server.rtmpsPort();
        if (port <= 0) {
            return;
        }
        TlsConfig files = tlsFiles(options, server, port);
        try {
            ingestTls = ReloadingSslContext.start(files.certFile(), files.keyFile(), TLS_RELOAD_POLL);
        } catch (TlsFileException e) {
            throw new StartupException("cannot use the RTMPS certificate: " + e.getMessage(), e);
        }
        rtmpsListener = bindRtmp(port, keys, epoll, ingestTls);
        rtmpsPort = ((InetSocketAddress) rtmpsListener.localAddress()).getPort();
    }

    /** Command-line files as given; files of the configuration relative to its folder, like the slate. */
    private TlsConfig tlsFiles(ServerOptions options, ServerConfig server, int port) {
        if (options.tlsCertFile() != null || options.tlsKeyFile() != null) {
            if (options.tlsCertFile() == null || options.tlsKeyFile() == null) {
                throw new StartupException("--tls-cert and --tls-key go together: give both or neither", null);
            }
            return new TlsConfig(options.tlsCertFile(), options.tlsKeyFile());
        }
        if (server.tls() == null) {
            throw new StartupException(
                    "RTMPS port " + port + " needs a certificate: set server.tls { certFile, keyFile }"
                            + " in the configuration or give --tls-cert and --tls-key",
                    null);
        }
        return new TlsConfig(
                configDir.resolve(server.tls().certFile()),
                configDir.resolve(server.tls().keyFile()));
    }

    /** @param tls the certificate of an RTMPS listener, null for plain RTMP */
    /**
     * The SRT listener (UDP) on {@code server.srtPort}. A server without libsrt runs without it and says so once;
     * a port that cannot be bound stops the start, as for RTMP.
     */
    private void startSrt(ServerOptions options, ServerConfig server) {
        int port = options.srtPort() != null ? options.srtPort() : server.srtPort();
        if (port <= 0) {
            log.info("event=srt-disabled");
            return;
        }
        String candidates = System.getProperty(LIBSRT_PROPERTY);
        SrtLibrary library = candidates == null || candidates.isBlank()
                ? SrtLibrary.load()
                : SrtLibrary.load(List.of(candidates.split(",")));
        if (!library.available()) {
            log.warn(
                    "event=srt-unavailable port={} reason=\"{}\" effect=\"no SRT ingest; RTMP ingest works\"",
                    port,
                    library.unavailableReason().orElse("unknown"));
            return;
        }
        try {
            srtListener = SrtIngestServer.start(
                    library,
                    new InetSocketAddress(port),
                    SrtIngestSettings.defaults().withLatencyMs(server.srtLatencyMs()),
                    keys);
        } catch (SrtException e) {
            throw new StartupException("cannot listen for SRT on port " + port + ": " + e.getMessage(), e);
        }
        srtPort = srtListener.localAddress().getPort();
    }

    private Channel bindRtmp(int port, KeyDirectory keys, boolean epoll, ReloadingSslContext tls) {
        String protocol = tls == null ? "rtmp" : "rtmps";
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        LimitsConfig limits = serverConfig.limits();
        if (connectionCap == null) {
            // One cap for RTMP and RTMPS together: maxConnections counts every ingest connection.
            connectionCap = new ConnectionCap(limits.maxConnections(), limits.maxConnectionsPerAddress(), limitEvents);
        }
        // The handshake deadline of server.limits closes first; the handler's own one is only a safety net.
        Duration handshakeBackstop =
                Duration.ofMillis(limits.handshakeTimeoutMs()).plusSeconds(1);
        ChunkLimits chunkLimits = new ChunkLimits(
                limits.maxChunkSize(),
                limits.maxMessageSize(),
                ChunkLimits.DEFAULT.maxChunkStreams(),
                limits.maxPendingBytes());
        ChunkLimits beforePublish = IngestBudgets.beforePublish(chunkLimits, limits.prePublishMaxMessageSize());
        if (ingestBudgets == null) {
            // one pair for RTMP and RTMPS together
            ingestBudgets = IngestBudgets.of(limits);
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(type)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ingestConnections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        p.addLast("handshake", new HandshakeServerHandler(handshakeBackstop));
                        // The encoder sits nearer the socket: the decoder writes acknowledgements through it.
                        p.addLast("chunkEncoder", new ChunkEncoder());
                        p.addLast("chunkDecoder", new ChunkDecoder(beforePublish, ingestBudgets.beforePublish()));
                        p.addLast("publishLimits", new PublishLimits(chunkLimits, ingestBudgets.publishing()));
                        p.addLast("session", new IngestSession(keys));
                        addLimitHandlers(p, limits);
                    }
                });
        Channel listener;
        try {
            listener = b.bind(port).sync().channel();
        } catch (Exception e) {
            throw new StartupException(
                    "cannot listen for " + protocol.toUpperCase(java.util.Locale.ROOT) + " on port " + port + ": "
                            + e.getMessage(),
                    e);
        }
        log.info("event={}-listening port={}", protocol, ((InetSocketAddress) listener.localAddress()).getPort());
        return listener;
    }

    /**
     * The guards of {@code server.limits} around an ingest pipeline: the connection cap and the handshake and publish
     * deadlines in front (a refused connection is closed before anything of it is read; the deadlines count from the
     * accept), the chunk limit guard right behind the chunk decoder.
     */
    private void addLimitHandlers(ChannelPipeline p, LimitsConfig limits) {
        p.addFirst(
                "publishDeadline",
                new IngestDeadline(
                        IngestLimit.PUBLISH_TIMEOUT,
                        Duration.ofMillis(limits.publishTimeoutMs()),
                        PublishStarted.class,
                        limitEvents));
        p.addFirst(
                "handshakeDeadline",
                new IngestDeadline(
                        IngestLimit.HANDSHAKE_TIMEOUT,
                        Duration.ofMillis(limits.handshakeTimeoutMs()),
                        HandshakeCompleted.class,
                        limitEvents));
        p.addFirst("connectionCap", connectionCap);
        p.addAfter("chunkDecoder", "chunkLimitGuard", chunkLimitGuard);
    }

    /** How often each ingest limit closed a connection since start, by its label (e.g. {@code handshake-timeout}). */
    Map<String, Long> ingestLimitHits() {
        return limitEvents.countsByLabel();
    }

    private static SslContext clientTls(Path trustCa) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (trustCa != null) {
                b.trustManager(trustCa.toFile());
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new StartupException(
                    "cannot set up TLS for rtmps destinations" + (trustCa == null ? "" : " with CA " + trustCa) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** What a normal start prints: where the dashboard and the ingest are (keys are not shown again). */
    private void printRunning(StreamRepeaterConfig config) {
        StringBuilder sb = new StringBuilder("Stream Repeater is running: ")
                .append(config.channels().size())
                .append(config.channels().size() == 1 ? " channel" : " channels");
        if (rtmpPort > 0) {
            sb.append(", RTMP ingest rtmp://HOST:").append(rtmpPort).append("/live/STREAM-KEY");
        }
        if (httpPort > 0) {
            sb.append(", dashboard http://HOST:").append(httpPort).append("/");
        }
        System.out.println(sb.append(" (HOST is this machine's address; a lost admin token: admin-token --reset)"));
    }

    private void printFirstRun(StreamRepeaterConfig config, String adminToken) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nStream Repeater is running for the first time. Point your encoders at:\n");
        for (ChannelConfig cc : config.channels()) {
            for (InputConfig ic : cc.inputs()) {
                sb.append(String.format(
                        "  channel %-8s %-8s rtmp://HOST:%d/live/%s%n", cc.name(), ic.name(), rtmpPort, ic.key()));
                if (rtmpsPort > 0) {
                    sb.append(String.format(
                            "  channel %-8s %-8s rtmps://HOST:%d/live/%s%n",
                            cc.name(), ic.name(), rtmpsPort, ic.key()));
                }
                if (srtPort > 0) {
                    sb.append(String.format(
                            "  channel %-8s %-8s srt://HOST:%d?streamid=%s (MPEG-TS)%n",
                            cc.name(), ic.name(), srtPort, ic.key()));
                }
            }
        }
        sb.append("(HOST is this machine's address.)\n");
        if (adminToken != null) {
            sb.append("Admin token: ").append(adminToken).append(" (stored hashed: note it now)\n");
        }
        if (httpPort > 0) {
            sb.append("Dashboard: http://HOST:").append(httpPort).append("/ (sign in with the admin token)\n");
            sb.append("HTTP API: http://HOST:")
                    .append(httpPort)
                    .append("/api/v1/channels (Authorization: Bearer ADMIN-TOKEN)\n");
        }
        sb.append("This configuration is saved in the data directory; these keys are shown only now.\n");
        System.out.println(sb);
    }

    /** The bound RTMP port (useful when 0 was given to pick a free one). */
    LatencyHistogram relayLatency() {
        return relayLatency;
    }

    public int rtmpPort() {
        return rtmpPort;
    }

    /** The bound RTMPS port, 0 when RTMPS ingest is off. */
    public int rtmpsPort() {
        return rtmpsPort;
    }

    /** The bound SRT port (UDP), 0 when there is no SRT listener (disabled, or libsrt missing). */
    public int srtPort() {
        return srtPort;
    }

    /** Status of every channel; safe from any thread. */
    public List<ChannelStatus> status() {
        List<ChannelStatus> list = new ArrayList<>();
        channels.forEach((name, ch) -> {
            ChannelRelay relay = relays.get(name);
            if (relay != null) { // null only for a moment while the channel is being deleted
                list.add(new ChannelStatus(
                        name, ch.activeInput(), ch.inputStatus(), relay.status(), ch.compatibility()));
            }
        });
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
        CompletableFuture<RehearsalReport> result = new CompletableFuture<>();
        // on the channel's loop, in this order: the destinations' counting starts just before the drill does
        ch.loop().execute(() -> {
            Map<String, Long> reconnectsAtStart = relay.openDeliveryWindows();
            ch.rehearse(duration).addListener(f -> {
                if (!f.isSuccess()) {
                    result.completeExceptionally(f.cause());
                    return;
                }
                // the listener runs on the channel's loop, where the destinations count
                result.complete(((RehearsalReport) f.getNow()).withDestinations(relay.deliveries(reconnectsAtStart)));
            });
        });
        return result;
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

    /**
     * Stops in the order that lets every peer see a clean end, within {@link #SHUTDOWN_DEADLINE}: (a) no new
     * connection is accepted; (b) every publishing encoder is told {@code NetStream.Unpublish.Success} and let go;
     * (c) every live destination is unpublished ({@code FCUnpublish}, {@code deleteStream}) and closed; (d) the API,
     * channels, event loops and store stop. Whatever is not done by the deadline is logged and left behind.
     *
     * @return true when every step finished within the deadline (a later call waits for the first and answers the same)
     */
    public boolean stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitTermination();
            return stoppedCleanly;
        }
        try {
            return stopOnce();
        } catch (RuntimeException | Error e) {
            // whatever broke, a later stop() (the shutdown hook, a second signal) must not wait forever for this one
            stoppedCleanly = false;
            log.error("event=shutdown-failed reason=\"{}\"", e.toString(), e);
            throw e;
        } finally {
            terminated.countDown();
        }
    }

    private boolean stopOnce() {
        ready = false;
        ShutdownDeadline deadline = new ShutdownDeadline(SHUTDOWN_DEADLINE);
        log.info(
                "event=shutdown-started ingestConnections={} channels={} deadlineMs={}",
                ingestConnections.size(),
                relays.size(),
                SHUTDOWN_DEADLINE.toMillis());
        for (Channel listener : java.util.Arrays.asList(rtmpListener, rtmpsListener)) {
            if (listener != null) {
                deadline.await("listener " + listener.localAddress(), listener.close());
            }
        }
        if (srtListener != null) {
            // stops accepting and ends every SRT publish (its input ends as on a disconnect)
            deadline.run("srt listener", srtListener::close);
        }
        Map<String, io.netty.util.concurrent.Future<?>> closing = new LinkedHashMap<>();
        for (Channel ch : ingestConnections) {
            try {
                IngestSession session = ch.pipeline().get(IngestSession.class);
                closing.put(
                        "encoder " + ch.remoteAddress(),
                        session != null ? session.endByServer(SHUTDOWN_STATUS) : ch.close());
            } catch (RuntimeException | Error e) {
                // one broken connection must not keep the others, the destinations and the store from stopping
                log.warn("event=shutdown-step-failed step=\"encoder connection\" reason=\"{}\"", e.toString());
            }
        }
        closing.forEach(deadline::await);
        closing.clear();
        relays.forEach((name, relay) -> closing.put("destinations of channel " + name, relay.close()));
        closing.forEach(deadline::await);
        if (api != null) {
            deadline.run("http api", api::close);
        }
        if (thumbnails != null) {
            deadline.run("thumbnails", thumbnails::close);
        }
        if (ingestTls != null) {
            ingestTls.close();
        }
        channels.forEach(
                (name, ch) -> deadline.await("channel " + name, ch.loop().submit(ch::close)));
        deadline.run("webhooks", webhooks::close);
        deadline.await("boss event loop", boss.shutdownGracefully(0, 1, TimeUnit.SECONDS));
        if (store != null) {
            deadline.run("store", store::close);
        }
        deadline.await("worker event loops", workers.shutdownGracefully(0, 1, TimeUnit.SECONDS));
        List<String> pending = deadline.pending();
        stoppedCleanly = pending.isEmpty();
        if (!stoppedCleanly) {
            log.warn(
                    "event=shutdown-pending deadlineMs={} what=\"{}\"",
                    SHUTDOWN_DEADLINE.toMillis(),
                    String.join(", ", pending));
        }
        log.info("event=shutdown-complete elapsedMs={} pending={}", deadline.elapsedMs(), pending.size());
        return stoppedCleanly;
    }
}
