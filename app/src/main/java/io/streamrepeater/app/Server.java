package io.streamrepeater.app;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.streamrepeater.app.cluster.LinkKey;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.cluster.ClusterNode;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ClusterConfig;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.store.ConfigChangeListener;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.store.SecretKeyFile;
import io.streamrepeater.control.webhooks.WebhookDispatcher;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.LatencyHistogram;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.ClusterStatus;
import io.streamrepeater.status.RehearsalReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the configuration, wires ingest, channels, relays and the control plane, and owns their
 * lifecycle (start, stop). Each part lives in its own class: {@link ConfigBootstrap} (the store at start),
 * {@link ChannelReconciler} (configuration to running channels), {@link StoredConfigFollower} (cluster mode: the other
 * nodes' changes), {@link IngestListeners} (RTMP, RTMPS, SRT), {@link HttpControlPlane} (API, metrics, thumbnails),
 * {@link FailoverDrill}, {@link StartupBanner} (what a start prints), {@link ShutdownSequence} (the order of a stop).
 */
public final class Server {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** How often the RTMPS certificate files are checked for a change. */
    static final Duration TLS_RELOAD_POLL = IngestListeners.TLS_RELOAD_POLL;
    /** A stop ends within this, whatever is still pending then (logged). */
    static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(5);
    /** The status text an encoder gets when a stop ends its publish. */
    static final String SHUTDOWN_STATUS = "Server shutting down.";
    /** A libsrt to load instead of the system's (comma-separated file names or paths), e.g. a newer build in /opt. */
    static final String LIBSRT_PROPERTY = IngestListeners.LIBSRT_PROPERTY;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ConfigStore store;
    /** Ingest-to-socket-write latency of every channel's destination writes (shared, lock-free). */
    private final LatencyHistogram relayLatency = new LatencyHistogram();
    /** Sends every channel's events to its webhooks, off the event loops. */
    private final WebhookDispatcher webhooks = new WebhookDispatcher();

    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean stoppedCleanly;
    private volatile boolean ready;
    /** The platform verdict checks, which run only while some input has an encoder; null before wiring. */
    private volatile VerdictChecks verdictChecks;

    private ChannelReconciler channels;
    private IngestListeners ingest;
    /** The API, metrics and thumbnails; null when HTTP is disabled (or before it starts). */
    private volatile HttpControlPlane http;
    /** Cluster mode's heartbeats and leases; null when the server runs alone. */
    private volatile ClusterCoordinator cluster;
    /** Cluster mode: the other nodes' configuration changes, heard from the shared store; null when alone. */
    private volatile ConfigChangeListener configChanges;

    private Server(EventLoopGroup boss, EventLoopGroup workers, ConfigStore store) {
        this.boss = boss;
        this.workers = workers;
        this.store = store;
    }

    /** Loads the configuration, binds the listeners and starts every channel's destinations. */
    public static Server start(ServerOptions options) {
        ConfigBootstrap.Loaded loaded = ConfigBootstrap.load(options);
        StreamRepeaterConfig config = loaded.config();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // One worker loop per core (Netty's default is two): the relay's work is short non-blocking steps, and fewer
        // loops mean fewer hand-offs between threads for a packet on its way from an encoder to its channel.
        Server server = new Server(
                new MultiThreadIoEventLoopGroup(1, io),
                new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io),
                loaded.store());
        QuietLoops.sleepUntilNeeded(server.boss);
        QuietLoops.sleepUntilNeeded(server.workers);
        try {
            server.wire(config, options, epoll);
            server.ready = true;
        } catch (RuntimeException e) {
            if (loaded.firstRun()) {
                // nobody saw the keys and the token of this first start: take them back, so that the next start
                // is a first start again and prints new ones, instead of a store whose token no one knows
                try {
                    loaded.store().undoFirstRun();
                    LOG.warn(
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
            StartupBanner.printFirstRun(
                    config,
                    loaded.adminTokenToPrint(),
                    server.rtmpPort(),
                    server.rtmpsPort(),
                    server.srtPort(),
                    server.httpPort());
        } else {
            if (loaded.adminTokenToPrint() != null) {
                System.out.println("Admin token for the HTTP API (generated now, stored hashed, shown only once): "
                        + loaded.adminTokenToPrint());
            }
            StartupBanner.printRunning(config, server.rtmpPort(), server.httpPort(), server.httpsPort());
        }
        return server;
    }

    private void wire(StreamRepeaterConfig config, ServerOptions options, boolean epoll) {
        Path configDir = options.configFile() != null
                        && options.configFile().toAbsolutePath().getParent() != null
                ? options.configFile().toAbsolutePath().getParent()
                : Path.of(".").toAbsolutePath();
        OutboundConnector connector = new OutboundConnector(
                epoll ? EpollSocketChannel.class : NioSocketChannel.class, clientTls(options.trustCa()));
        PublishAdmission admission = new PublishAdmission();
        KeyDirectory keys = new KeyDirectory(new WrongKeyThrottle(Clock.systemUTC()), admission);
        ServerConfig serverConfig = ConfigBootstrap.inForce(config.server(), options, configDir);
        ClusterConfig clusterConfig = serverConfig.cluster();
        channels = new ChannelReconciler(
                workers,
                connector,
                keys,
                configDir,
                serverConfig,
                store,
                webhooks,
                relayLatency,
                clusterConfig != null);
        for (ChannelConfig cc : config.channels()) {
            channels.startChannel(cc);
        }
        verdictChecks = VerdictChecks.start(channels, boss.next());
        ingest = new IngestListeners(boss, workers, epoll, keys, configDir, serverConfig.limits());
        ingest.start(options, config.server());
        if (clusterConfig != null) {
            cluster = ClusterCoordinator.start(
                    channels,
                    serverConfig.database(),
                    new ClusterNode(
                            clusterConfig.node(),
                            clusterConfig.address(),
                            clusterConfig.clusterPort(),
                            rtmpPort(),
                            version()),
                    clusterConfig.leaseMs(),
                    new ClusterCoordinator.Link(
                            LinkKey.from(SecretKeyFile.loadOrCreate(serverConfig.dataDir())),
                            connector,
                            serverConfig.bind() != null ? serverConfig.bind() : "0.0.0.0",
                            boss,
                            workers,
                            epoll),
                    admission,
                    keys::askToMove);
            configChanges = StoredConfigFollower.start(channels, store, serverConfig.database(), clusterConfig.node());
        }
        int httpPort = options.httpPort() != null
                ? options.httpPort()
                : config.server().httpPort();
        if (httpPort > 0 || serverConfig.https().httpsPort() > 0) {
            http = new HttpControlPlane(new ServerControl(this, store), store);
            http.start(
                    httpPort,
                    serverConfig.https(),
                    serverConfig.tls(),
                    serverConfig.bind(),
                    webhooks,
                    ingest,
                    cluster,
                    channels.channels()::get);
        } else {
            LOG.info("event=http-disabled");
        }
    }

    /**
     * Listens to the events of every channel, including channels created later (SSE clients, metrics).
     * A listener runs on a channel's event loop and must not block.
     */
    public void addEventListener(Consumer<ChannelEvent> listener) {
        channels.addEventListener(listener);
    }

    public void removeEventListener(Consumer<ChannelEvent> listener) {
        channels.removeEventListener(listener);
    }

    /** The configuration in force: what {@code export} writes and the API changes. */
    public StreamRepeaterConfig currentConfig() {
        return channels.currentConfig();
    }

    /**
     * Creates or updates a channel while live (see {@link ChannelReconciler#applyChannel}).
     *
     * @throws IllegalArgumentException when an input key is already used by another channel
     */
    public void applyChannel(ChannelConfig cc) {
        channels.applyChannel(cc);
    }

    /** Stops a channel: its destinations are closed and its encoders disconnected. */
    public boolean deleteChannel(String name) {
        return channels.deleteChannel(name);
    }

    /** The version this build says it is (the jar's manifest), or "dev" when run from classes. */
    static String version() {
        String v = Server.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    /** The latest picture of an input (empty without HTTP, without ffmpeg, or before the first one). */
    Optional<byte[]> thumbnail(String channel, String input) {
        HttpControlPlane h = http;
        return h == null ? Optional.empty() : h.thumbnail(channel, input);
    }

    /** Whether ffmpeg ran for input pictures; null before that check (or without HTTP). */
    Boolean thumbnailsAvailable() {
        HttpControlPlane h = http;
        return h == null ? null : h.thumbnailsAvailable();
    }

    /** Live channels by name, for the control port. */
    Map<String, LiveChannel> channels() {
        return channels.channels();
    }

    /** The ingest listeners (null before they start). */
    IngestListeners ingest() {
        return ingest;
    }

    /** True between a complete start and the beginning of a stop (the readiness check). */
    public boolean ready() {
        return ready;
    }

    /** The bound HTTP port, 0 when disabled. */
    public int httpPort() {
        HttpControlPlane h = http;
        return h == null ? 0 : h.port();
    }

    /** The bound HTTPS port of the dashboard and API, 0 without HTTPS. */
    public int httpsPort() {
        HttpControlPlane h = http;
        return h == null ? 0 : h.httpsPort();
    }

    /** How often each ingest limit closed a connection since start, by its label (e.g. {@code handshake-timeout}). */
    Map<String, Long> ingestLimitHits() {
        return ingest.limitEvents().countsByLabel();
    }

    private static SslContext clientTls(Path trustCa) {
        try {
            // TLS 1.3 first (fewer round trips, resumption by tickets); 1.2 for the servers that have no 1.3
            SslContextBuilder b = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2");
            if (trustCa != null) {
                b.trustManager(trustCa.toFile());
            }
            SslContext context = b.build();
            // BoringSSL (netty-tcnative) when its native library loads, else the JDK's engine: say which, the
            // RTMPS fan-out costs differ (docs/performance.md)
            if (OpenSsl.isAvailable()) {
                LOG.info("event=tls-engine engine=openssl version=\"{}\"", OpenSsl.versionString());
            } else {
                Throwable cause = OpenSsl.unavailabilityCause();
                LOG.info(
                        "event=tls-engine engine=jdk reason=\"{}\"",
                        cause == null ? "not available" : cause.getMessage());
            }
            return context;
        } catch (SSLException | IllegalArgumentException e) {
            throw new StartupException(
                    "cannot set up TLS for rtmps destinations" + (trustCa == null ? "" : " with CA " + trustCa) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    LatencyHistogram relayLatency() {
        return relayLatency;
    }

    /** The bound RTMP port (useful when 0 was given to pick a free one); 0 when RTMP ingest is off. */
    public int rtmpPort() {
        return ingest == null ? 0 : ingest.rtmpPort();
    }

    /** The bound RTMPS port, 0 when RTMPS ingest is off. */
    public int rtmpsPort() {
        return ingest == null ? 0 : ingest.rtmpsPort();
    }

    /** The bound SRT port (UDP), 0 when there is no SRT listener (disabled, or libsrt missing). */
    public int srtPort() {
        return ingest == null ? 0 : ingest.srtPort();
    }

    /** Status of every channel; safe from any thread. */
    public List<ChannelStatus> status() {
        ClusterCoordinator c = cluster;
        if (c == null) {
            return channels.status();
        }
        Map<String, String> owners = c.owners();
        return channels.status().stream()
                .map(s -> s.withOwner(owners.get(s.name())))
                .toList();
    }

    /**
     * The cluster as this node sees it; empty when the server runs alone.
     *
     * @throws IllegalStateException when the cluster's store does not answer
     */
    Optional<Boolean> setDraining(String node, boolean draining) {
        ClusterCoordinator c = cluster;
        return c == null ? Optional.empty() : Optional.of(c.setDraining(node, draining));
    }

    /**
     * The cluster as this node sees it; empty when the server runs alone.
     *
     * @throws IllegalStateException when the cluster's store does not answer
     */
    Optional<ClusterStatus> clusterStatus() {
        ClusterCoordinator c = cluster;
        return c == null ? Optional.empty() : Optional.of(c.status());
    }

    /** The live channel of that name (in-process API for the operator's switch and drills). */
    public LiveChannel channel(String name) {
        return channels.channel(name);
    }

    /**
     * Runs a failover drill on a channel: its active input is treated as failed for {@code duration};
     * the report adds how often each destination reconnected meanwhile (expected: never).
     */
    public CompletableFuture<RehearsalReport> rehearse(String channelName, Duration duration) {
        return FailoverDrill.run(channels.channel(channelName), channels.relay(channelName), duration);
    }

    /** Whether the platform verdict checks are scheduled: only while some input has an encoder (tests). */
    boolean verdictChecksRunning() {
        VerdictChecks v = verdictChecks;
        return v != null && v.running();
    }

    /** The relay of a channel: add, remove, enable and disable its destinations while live. */
    public ChannelRelay relay(String channelName) {
        return channels.relay(channelName);
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
     * channels, event loops and store stop (the steps: {@link ShutdownSequence}). Whatever is not done by the
     * deadline is logged and left behind.
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
            LOG.error("event=shutdown-failed reason=\"{}\"", e.toString(), e);
            throw e;
        } finally {
            terminated.countDown();
        }
    }

    private boolean stopOnce() {
        ready = false;
        stoppedCleanly = ShutdownSequence.run(
                new ShutdownSequence.Parts(
                        configChanges, ingest, channels, cluster, http, webhooks, boss, store, workers),
                SHUTDOWN_DEADLINE,
                SHUTDOWN_STATUS);
        return stoppedCleanly;
    }
}
