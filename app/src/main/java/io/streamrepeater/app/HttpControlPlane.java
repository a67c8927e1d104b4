package io.streamrepeater.app;

import io.micrometer.core.instrument.Gauge;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.control.api.ApiServer;
import io.streamrepeater.control.api.HttpListeners;
import io.streamrepeater.control.config.HttpsConfig;
import io.streamrepeater.control.config.TlsConfig;
import io.streamrepeater.control.metrics.StatusMetrics;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.webhooks.WebhookDispatcher;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operator's HTTP side of a server: the REST API and the dashboard, the Prometheus metrics (the channels', the
 * webhooks', the ingest guards', the cluster's, and the memory of Netty's pooled allocator) and the input thumbnails
 * the dashboard shows. Apart from {@link Server} so that the composition root only says which parts exist and in which
 * order they start and stop. Each piece is kept as soon as it runs, so a start that fails half-way (the HTTP port is
 * taken) still leaves everything it started to {@link #close}.
 */
final class HttpControlPlane {
    private final ServerControl control;
    /** Where the admin token's hash is checked. */
    private final ConfigStore store;

    private volatile Thumbnails thumbnails;
    private volatile ApiServer api;
    /** The HTTPS listener's certificate, watched on disk, when this plane started the watch; null otherwise. */
    private volatile ReloadingSslContext ownTls;

    private volatile int port;
    private volatile int httpsPort;

    HttpControlPlane(ServerControl control, ConfigStore store) {
        this.control = control;
        this.store = store;
    }

    /**
     * Registers the metrics, starts the thumbnails and binds the API.
     *
     * @param port the plain HTTP port; 0: no plain HTTP (then HTTPS must be on)
     * @param https the HTTPS port and what plain HTTP serves beside it
     * @param tls the certificate files of HTTPS (null without HTTPS)
     * @param bind the address to listen on (an IP literal or localhost); null: every IPv4 interface, as before
     * @param cluster cluster mode's coordinator, whose metrics join the others; null when the server runs alone
     * @param channels the live channel of a name (null if none), for the thumbnails
     * @throws StartupException when the HTTP port cannot be bound
     */
    void start(
            int port,
            HttpsConfig https,
            TlsConfig tls,
            String bind,
            WebhookDispatcher webhooks,
            IngestListeners ingest,
            ClusterCoordinator cluster,
            Function<String, LiveChannel> channels) {
        StatusMetrics metrics = new StatusMetrics(control);
        metrics.watchWebhookDeliveries(webhooks::deliveryCounts);
        metrics.watchIngestRejections(ingest.limitEvents()::countsByLabel);
        PooledByteBufAllocator pool = PooledByteBufAllocator.DEFAULT;
        Gauge.builder(
                        "netty_pooled_used_direct_memory_bytes",
                        pool,
                        a -> a.metric().usedDirectMemory())
                .description("Direct memory held by Netty's pooled allocator")
                .register(metrics.registry());
        Gauge.builder(
                        "netty_pooled_used_heap_memory_bytes",
                        pool,
                        a -> a.metric().usedHeapMemory())
                .description("Heap memory held by Netty's pooled allocator")
                .register(metrics.registry());
        if (cluster != null) {
            cluster.bindMetrics(metrics.registry());
        }
        thumbnails = Thumbnails.start(channels);
        String host = bind != null ? bind : "0.0.0.0";
        HttpListeners listeners;
        ReloadingSslContext httpsTls = null;
        if (https.httpsPort() == 0) {
            listeners = HttpListeners.plain(host, port);
        } else {
            // the same files as RTMPS ingest: one watch for both when RTMPS runs, else one of its own
            httpsTls = ingest.tls();
            if (httpsTls == null) {
                try {
                    httpsTls =
                            ReloadingSslContext.start(tls.certFile(), tls.keyFile(), IngestListeners.TLS_RELOAD_POLL);
                } catch (TlsFileException e) {
                    throw new StartupException("HTTPS port " + https.httpsPort() + ": " + e.getMessage(), e);
                }
                ownTls = httpsTls;
            }
            HttpsConfig.Http http = port == 0 ? HttpsConfig.Http.OFF : https.http();
            listeners = new HttpListeners(
                    host, port, http, https.httpsPort(), httpsTls.current().jdkContext());
        }
        ApiServer server = new ApiServer(control, new ApiTokenCheck(store), metrics::scrape, listeners);
        api = server;
        if (httpsTls != null) {
            httpsTls.onReload(next -> server.reloadTls(next.jdkContext()));
        }
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new StartupException(
                    "cannot listen for HTTP on port " + port
                            + (https.httpsPort() == 0 ? "" : " or HTTPS on port " + https.httpsPort()) + ": "
                            + e.getMessage(),
                    e);
        }
        this.port = server.httpPort();
        this.httpsPort = server.httpsPort();
    }

    /** The bound plain HTTP port; 0 before the API listens, or when plain HTTP is off. */
    int port() {
        return port;
    }

    /** The bound HTTPS port; 0 before the API listens, or without HTTPS. */
    int httpsPort() {
        return httpsPort;
    }

    /** The latest picture of an input (empty without ffmpeg, or before the first one). */
    Optional<byte[]> thumbnail(String channel, String input) {
        Thumbnails t = thumbnails;
        return t == null ? Optional.empty() : t.latest(channel, input);
    }

    /** Whether ffmpeg ran for input pictures; null before that check. */
    Boolean thumbnailsAvailable() {
        Thumbnails t = thumbnails;
        return t == null ? null : t.ffmpegFound();
    }

    /** Stops the API, then the thumbnails (whichever of them started), each within what is left of the deadline. */
    void close(ShutdownDeadline deadline) {
        ApiServer a = api;
        if (a != null) {
            deadline.run("http api", a::close);
        }
        ReloadingSslContext own = ownTls;
        if (own != null) {
            own.close();
        }
        Thumbnails t = thumbnails;
        if (t != null) {
            deadline.run("thumbnails", t::close);
        }
    }
}
