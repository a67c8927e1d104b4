package io.streamrepeater.control.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.streamrepeater.control.config.HttpsConfig;
import io.streamrepeater.control.store.StoreException;
import io.streamrepeater.control.web.DashboardAssets;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LowResourceMonitor;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API under {@code /api/v1} (bearer admin token), plus {@code /healthz}, {@code /readyz} and
 * {@code /metrics} without a token, and the dashboard's static assets at {@code /} ({@link DashboardAssets}). JSON in
 * and out; errors are {@code {"error": "..."}} with a status that fits.
 *
 * <p>This class is the server: what answers without a token, the guards in front of {@code /api/*} in the order they
 * run (the body limit while the body is read, then {@link ApiAuth}), and how an error becomes a response. The routes
 * live in one class per resource, each registering its own handlers: {@link ChannelRoutes}, {@link InputRoutes},
 * {@link DestinationRoutes}, {@link SwitchRoutes}, {@link ConfigRoutes}, {@link DiagnosticsRoutes} and
 * {@link EventRoutes}; what they read from a request they read through {@link ApiRequests}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String PLAIN = "http";
    private static final String SECURE = "https";
    /** HSTS on every HTTPS answer: browsers keep to HTTPS for a year (no includeSubDomains: the host may be an IP). */
    static final long HSTS_MAX_AGE_SECONDS = 31_536_000;
    /** The largest request body the API reads: a configuration of many channels fits many times over. */
    static final int MAX_BODY_BYTES = 1_000_000;

    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Javalin app;
    private final HttpListeners listeners;
    /** The HTTPS listener's TLS, replaced on a certificate reload; null without HTTPS. */
    private final SslContextFactory.Server tls;

    /**
     * @param authenticate who a presented token belongs to (the admin token, or a named token with its role)
     * @param metrics renders the Prometheus text exposition for {@code GET /metrics}
     * @param listeners where to listen: plain HTTP, HTTPS, or both
     */
    public ApiServer(
            ControlPort port,
            Function<String, Optional<Principal>> authenticate,
            Supplier<String> metrics,
            HttpListeners listeners) {
        this.listeners = listeners;
        this.tls = listeners.https() ? new SslContextFactory.Server() : null;
        if (tls != null) {
            tls.setSslContext(listeners.tls());
            // clients check the certificate against the name they asked for; the server need not refuse an address
            tls.setSniRequired(false);
        }
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.useVirtualThreads = false;
            // Javalin's default server carries Jetty's low-resources monitor, which wakes a scheduler thread every
            // second to look at the thread pool, with no limits set for it to act on: the largest part of an idle
            // server's wake-ups after the JVM's own (docs/performance.md, seventh pass)
            cfg.jetty.modifyServer(
                    server -> server.getBeans(LowResourceMonitor.class).forEach(server::removeBean));
            cfg.staticFiles.add(DashboardAssets::configure);
            // the body limit holds while the body is read, chunked or not (Javalin's own check trusts Content-Length)
            cfg.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new FilterHolder(new BodyLimitFilter(MAX_BODY_BYTES)),
                    "/api/*",
                    EnumSet.of(DispatcherType.REQUEST)));
            if (listeners.http() != HttpsConfig.Http.OFF) {
                cfg.jetty.addConnector((server, httpConfig) -> {
                    exactHeaders(httpConfig);
                    if (listeners.https()) {
                        httpConfig.setSecureScheme("https");
                    }
                    ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                    plain.setName(PLAIN);
                    plain.setHost(listeners.host());
                    plain.setPort(listeners.httpPort());
                    return plain;
                });
            }
            if (tls != null) {
                cfg.jetty.addConnector((server, httpConfig) -> {
                    HttpConfiguration secure = new HttpConfiguration(exactHeaders(httpConfig));
                    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
                    customizer.setSniHostCheck(false);
                    customizer.setStsMaxAge(HSTS_MAX_AGE_SECONDS);
                    secure.addCustomizer(customizer);
                    ServerConnector connector = new ServerConnector(
                            server,
                            new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
                            new HttpConnectionFactory(secure));
                    connector.setName(SECURE);
                    connector.setHost(listeners.host());
                    connector.setPort(listeners.httpsPort());
                    return connector;
                });
            }
        });
        if (listeners.http() == HttpsConfig.Http.REDIRECT) {
            app.before(new PlainHttpGate(this::httpsPort));
        }
        withoutToken(port, metrics);
        app.before("/api/*", new ApiAuth(authenticate));
        app.after("/api/*", new ApiRequestLog(port));
        ApiRequests requests = new ApiRequests(port, json);
        new ChannelRoutes(port, requests).register(app);
        new SwitchRoutes(port, requests).register(app);
        new InputRoutes(port, requests).register(app);
        new DestinationRoutes(port, requests).register(app);
        new ConfigRoutes(port).register(app);
        new DiagnosticsRoutes(port).register(app);
        new ClusterRoutes(port).register(app);
        new EventRoutes(port, json).register(app);
        new TokenRoutes(port, requests).register(app);
        app.get(
                "/api/v1/openapi.json",
                ctx -> ctx.contentType("application/json").result(openApi()));
        errors();
    }

    /**
     * @return every route the server answers, as {@code METHOD /path} with Javalin's {@code {param}} path syntax (the
     *     OpenAPI document's too); the guards before and after them are not routes
     */
    public java.util.SortedSet<String> routes() {
        java.util.SortedSet<String> routes = new java.util.TreeSet<>();
        for (var endpoint : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            io.javalin.http.HandlerType method = endpoint.getEndpoint().getMethod();
            if (method.isHttpMethod()) {
                routes.add(method.name() + " " + endpoint.getEndpoint().getPath());
            }
        }
        return routes;
    }

    /** Starts listening. */
    public void start() {
        app.start();
        if (listeners.http() != HttpsConfig.Http.OFF) {
            LOG.info(
                    "event=http-listening port={} serves={}",
                    httpPort(),
                    listeners.http().label());
        }
        if (tls != null) {
            LOG.info("event=https-listening port={}", httpsPort());
        }
    }

    /** @return the bound plain HTTP port (useful with 0); 0 when plain HTTP is off or before {@link #start()} */
    public int httpPort() {
        return boundPort(PLAIN);
    }

    /** @return the bound HTTPS port (useful with 0); 0 without HTTPS or before {@link #start()} */
    public int httpsPort() {
        return boundPort(SECURE);
    }

    private int boundPort(String name) {
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (name.equals(c.getName()) && c instanceof ServerConnector s) {
                return Math.max(0, s.getLocalPort());
            }
        }
        return 0;
    }

    /**
     * The certificate changed on disk: HTTPS connections that start from now on get {@code next}; open ones keep
     * theirs.
     */
    public void reloadTls(SSLContext next) {
        if (tls == null) {
            return;
        }
        try {
            tls.reload(factory -> factory.setSslContext(next));
        } catch (Exception e) {
            LOG.warn("event=https-reload-failed error=\"{}\"", e.toString());
        }
    }

    /**
     * Jetty keeps the header lines it saw on a connection and reuses them for the next request on that connection;
     * that cache compares letters case-insensitively by default, so a bearer token differing from an accepted one
     * only in the case of its letters was read as the accepted one (found by ApiRolesEndToEndTest, one run in ~64).
     * The cache must compare bytes exactly.
     */
    private static HttpConfiguration exactHeaders(HttpConfiguration config) {
        config.setHeaderCacheCaseSensitive(true);
        return config;
    }

    /** What probes and scrapers read: liveness, readiness and the metrics. */
    private void withoutToken(ControlPort port, Supplier<String> metrics) {
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", ctx -> {
            boolean ready = port.ready();
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .json(Map.of("status", ready ? "ready" : "not ready"));
        });
        app.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.get()));
    }

    /**
     * Every error as {@code {"error": "..."}}: the routes' own answers, bad arguments as 400, a store that does not
     * answer as 503, the rest as 500.
     */
    private void errors() {
        app.exception(HttpResponseException.class, (e, ctx) -> {
            ctx.status(e.getStatus()).json(Map.of("error", e.getMessage()));
        });
        app.exception(
                IllegalArgumentException.class,
                (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage())));
        app.exception(StoreException.class, (e, ctx) -> {
            LOG.warn(
                    "event=api-store-unavailable method={} path={} error=\"{}\"",
                    ctx.method(),
                    ctx.path(),
                    e.getMessage());
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", storeUnavailable(e)));
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("event=api-error method={} path={} error=\"{}\"", ctx.method(), ctx.path(), e.toString(), e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .json(Map.of("error", "internal error: " + e.getClass().getSimpleName()));
        });
    }

    /**
     * What a client is told when the configuration store does not answer (PostgreSQL stopped, the network to it cut):
     * every change is written to the store before it goes live, so nothing changed, and the running configuration
     * stays as it was.
     */
    static String storeUnavailable(StoreException e) {
        return "the configuration store does not answer, so nothing was changed (the running configuration stays as"
                + " it was); try again once the database is reachable: " + e.getMessage();
    }

    private static String openApi() {
        try (InputStream in = ApiServer.class.getResourceAsStream("/openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.json is missing from the build", e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }

    /** @return the components of the embedded HTTP server of the given type (for tests of its set-up) */
    <T> java.util.Collection<T> serverComponents(Class<T> type) {
        return app.jettyServer().server().getContainedBeans(type);
    }
}
