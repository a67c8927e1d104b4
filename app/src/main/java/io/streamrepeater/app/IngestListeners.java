package io.streamrepeater.app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.streamrepeater.control.config.LimitsConfig;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.config.TlsConfig;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.limits.ChunkLimitGuard;
import io.streamrepeater.rtmp.limits.ConnectionCap;
import io.streamrepeater.rtmp.limits.IngestLimitEvents;
import io.streamrepeater.rtmp.pipeline.IngestChannelInitializer;
import io.streamrepeater.rtmp.session.IngestSession;
import io.streamrepeater.srt.SrtException;
import io.streamrepeater.srt.SrtIngestServer;
import io.streamrepeater.srt.SrtIngestSettings;
import io.streamrepeater.srt.SrtLibrary;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest listeners: RTMP, RTMPS (the same pipeline behind TLS, its certificate reloaded when the files change) and
 * SRT, with the guards of {@code server.limits} (connection cap, deadlines, chunk limits, the server-wide budgets)
 * shared by RTMP and RTMPS. Logs under the server's name, as before the split.
 */
final class IngestListeners {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    /** How often the RTMPS certificate files are checked for a change. */
    static final Duration TLS_RELOAD_POLL = Duration.ofSeconds(2);
    /** A libsrt to load instead of the system's (comma-separated file names or paths), e.g. a newer build in /opt. */
    static final String LIBSRT_PROPERTY = "streamrepeater.libsrt";

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final boolean epoll;
    private final KeyDirectory keys;
    private final Path configDir;
    private final LimitsConfig limits;
    /** Counts and logs every ingest connection a {@code server.limits} limit closed. */
    private final IngestLimitEvents limitEvents = IngestLimitEvents.onSystemClock();
    /** One cap for RTMP and RTMPS together: maxConnections counts every ingest connection. */
    private final ConnectionCap connectionCap;

    private final ChunkLimitGuard chunkLimitGuard = new ChunkLimitGuard(limitEvents);
    /** The server-wide allowances of partly received RTMP messages, before and after a publish is accepted (one pair for RTMP and RTMPS together). */
    private final IngestBudgets ingestBudgets;
    /** Every open RTMP/RTMPS ingest connection (closed ones leave by themselves), so a stop can tell each encoder. */
    private final ChannelGroup ingestConnections = new DefaultChannelGroup("ingest", GlobalEventExecutor.INSTANCE);

    private Channel rtmpListener;
    private int rtmpPort;
    /** The RTMPS listener and its certificate; null (and port 0) when RTMPS ingest is off. */
    private Channel rtmpsListener;

    private ReloadingSslContext ingestTls;
    private int rtmpsPort;
    private SrtIngestServer srtListener;
    private int srtPort;
    /** The one address every listener listens on; null: every interface. */
    private InetAddress bindAddress;

    IngestListeners(
            EventLoopGroup boss,
            EventLoopGroup workers,
            boolean epoll,
            KeyDirectory keys,
            Path configDir,
            LimitsConfig limits) {
        this.boss = boss;
        this.workers = workers;
        this.epoll = epoll;
        this.keys = keys;
        this.configDir = configDir;
        this.limits = limits;
        this.connectionCap = new ConnectionCap(limits.maxConnections(), limits.maxConnectionsPerAddress(), limitEvents);
        this.ingestBudgets = IngestBudgets.of(limits);
    }

    /**
     * Binds RTMP, RTMPS and SRT as the options and the configuration say (a port of 0 or less: that one is off), on
     * the address of {@code --bind} or {@code server.bind}, else on every interface.
     */
    void start(ServerOptions options, ServerConfig server) {
        bindAddress = listenAddress(options.bind() != null ? options.bind() : server.bind());
        int port = options.rtmpPort() != null ? options.rtmpPort() : server.rtmpPort();
        if (port > 0) {
            rtmpListener = bindRtmp(port, null);
            rtmpPort = ((InetSocketAddress) rtmpListener.localAddress()).getPort();
        } else {
            LOG.info("event=rtmp-disabled");
        }
        startRtmps(options, server);
        startSrt(options, server);
    }

    int rtmpPort() {
        return rtmpPort;
    }

    /**
     * @param bind an IP literal or {@code localhost} (checked with the configuration), or null
     * @return the address to listen on; null for every interface
     */
    static InetAddress listenAddress(String bind) {
        if (bind == null) {
            return null;
        }
        try {
            return InetAddress.getByName(bind); // a literal or localhost: no DNS lookup
        } catch (UnknownHostException e) {
            throw new StartupException("cannot listen on " + bind + ": " + e.getMessage(), e);
        }
    }

    /** @return the socket address of a listener on this port, on the bind address if there is one */
    private InetSocketAddress listenOn(int port) {
        return bindAddress == null ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port);
    }

    int rtmpsPort() {
        return rtmpsPort;
    }

    int srtPort() {
        return srtPort;
    }

    /** Every open RTMP/RTMPS ingest connection (a test adds a broken one to see a stop survive it). */
    ChannelGroup connectionGroup() {
        return ingestConnections;
    }

    /** Open ingest connections now. */
    int connections() {
        return ingestConnections.size();
    }

    /** Counts of closed connections by limit, for the metrics. */
    IngestLimitEvents limitEvents() {
        return limitEvents;
    }

    /** The first step of a stop: no new connection is accepted (RTMP, RTMPS, SRT; SRT publishes end). */
    void closeListeners(ShutdownDeadline deadline) {
        for (Channel listener : Arrays.asList(rtmpListener, rtmpsListener)) {
            if (listener != null) {
                deadline.await("listener " + listener.localAddress(), listener.close());
            }
        }
        if (srtListener != null) {
            // stops accepting and ends every SRT publish (its input ends as on a disconnect)
            deadline.run("srt listener", srtListener::close);
        }
    }

    /** Tells every publishing encoder {@code status} ({@code NetStream.Unpublish.Success}) and lets it go. */
    void endEncoders(ShutdownDeadline deadline, String status) {
        Map<String, Future<?>> closing = new LinkedHashMap<>();
        for (Channel ch : ingestConnections) {
            try {
                IngestSession session = ch.pipeline().get(IngestSession.class);
                closing.put(
                        "encoder " + ch.remoteAddress(), session != null ? session.endByServer(status) : ch.close());
            } catch (RuntimeException | Error e) {
                // one broken connection must not keep the others, the destinations and the store from stopping
                LOG.warn("event=shutdown-step-failed step=\"encoder connection\" reason=\"{}\"", e.toString());
            }
        }
        closing.forEach(deadline::await);
    }

    /** Stops watching the RTMPS certificate files. */
    void closeTls() {
        if (ingestTls != null) {
            ingestTls.close();
        }
    }

    /** @return the RTMPS listener's watched certificate (HTTPS shares it), null without RTMPS ingest */
    ReloadingSslContext tls() {
        return ingestTls;
    }

    /** RTMPS ingest: the RTMP pipeline behind TLS, with a certificate reloaded when its files change. */
    private void startRtmps(ServerOptions options, ServerConfig server) {
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
        rtmpsListener = bindRtmp(port, ingestTls);
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

    /**
     * The SRT listener (UDP) on {@code server.srtPort}. A server without libsrt runs without it and says so once;
     * a port that cannot be bound stops the start, as for RTMP.
     */
    private void startSrt(ServerOptions options, ServerConfig server) {
        int port = options.srtPort() != null ? options.srtPort() : server.srtPort();
        if (port <= 0) {
            LOG.info("event=srt-disabled");
            return;
        }
        String candidates = System.getProperty(LIBSRT_PROPERTY);
        SrtLibrary library = candidates == null || candidates.isBlank()
                ? SrtLibrary.load()
                : SrtLibrary.load(List.of(candidates.split(",")));
        if (!library.available()) {
            LOG.warn(
                    "event=srt-unavailable port={} reason=\"{}\" effect=\"no SRT ingest; RTMP ingest works\"",
                    port,
                    library.unavailableReason().orElse("unknown"));
            return;
        }
        try {
            srtListener = SrtIngestServer.start(
                    library, listenOn(port), SrtIngestSettings.defaults().withLatencyMs(server.srtLatencyMs()), keys);
        } catch (SrtException e) {
            throw new StartupException("cannot listen for SRT on port " + port + ": " + e.getMessage(), e);
        }
        srtPort = srtListener.localAddress().getPort();
    }

    /** @param tls the certificate of an RTMPS listener, null for plain RTMP */
    private Channel bindRtmp(int port, ReloadingSslContext tls) {
        String protocol = tls == null ? "rtmp" : "rtmps";
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        // The handshake deadline of server.limits closes first; the handler's own one is only a safety net.
        Duration handshakeBackstop =
                Duration.ofMillis(limits.handshakeTimeoutMs()).plusSeconds(1);
        ChunkLimits chunkLimits = new ChunkLimits(
                limits.maxChunkSize(),
                limits.maxMessageSize(),
                ChunkLimits.DEFAULT.maxChunkStreams(),
                limits.maxPendingBytes());
        ChunkLimits beforePublish = IngestBudgets.beforePublish(chunkLimits, limits.prePublishMaxMessageSize());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(type)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(ingestPipeline(tls, handshakeBackstop, chunkLimits, beforePublish));
        Channel listener;
        try {
            listener = b.bind(listenOn(port)).sync().channel();
        } catch (Exception e) {
            throw new StartupException(
                    "cannot listen for " + protocol.toUpperCase(Locale.ROOT) + " on "
                            + (bindAddress == null ? "" : bindAddress.getHostAddress() + " ") + "port " + port + ": "
                            + e.getMessage(),
                    e);
        }
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        LOG.info(
                "event={}-listening address={} port={}",
                protocol,
                bound.getAddress().getHostAddress(),
                bound.getPort());
        return listener;
    }

    /**
     * The ingest pipeline with the guards of {@code server.limits}: the connection cap and the handshake and publish
     * deadlines in front (a refused connection is closed before anything of it is read; the deadlines count from the
     * accept), the chunk limit guard right behind the chunk decoder.
     */
    private IngestChannelInitializer ingestPipeline(
            ReloadingSslContext tls, Duration handshakeBackstop, ChunkLimits chunkLimits, ChunkLimits beforePublish) {
        IngestChannelInitializer.Builder pipeline = IngestChannelInitializer.builder(handshakeBackstop, keys)
                .onAccept(ingestConnections::add)
                .connectionCap(connectionCap)
                .deadlines(
                        Duration.ofMillis(limits.handshakeTimeoutMs()),
                        Duration.ofMillis(limits.publishTimeoutMs()),
                        limitEvents)
                .chunkLimits(beforePublish, ingestBudgets.beforePublish())
                .chunkLimitGuard(chunkLimitGuard)
                .publishLimits(chunkLimits, ingestBudgets.publishing());
        if (tls != null) {
            pipeline.front("tls", ch -> tls.newHandler(ch.alloc()));
        }
        return pipeline.build();
    }

    /** How often each ingest limit closed a connection since start, by its label (e.g. {@code handshake-timeout}). */
    Map<String, Long> ingestLimitHits() {
        return limitEvents.countsByLabel();
    }
}
