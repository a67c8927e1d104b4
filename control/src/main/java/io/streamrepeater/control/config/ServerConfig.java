package io.streamrepeater.control.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code server:} section: listening ports and where state lives.
 *
 * @param rtmpPort RTMP ingest port (TCP); 0 disables RTMP ingest
 * @param srtPort SRT ingest port (UDP); 0 disables SRT ingest
 * @param httpPort HTTP API and dashboard port (TCP); 0 disables HTTP
 * @param dataDir directory of the store and generated state
 * @param adminToken bearer token of the API; null means "generate at first start and print once"
 * @param rtmpsPort RTMPS (RTMP over TLS) ingest port (TCP); 0 disables RTMPS ingest, the default
 *     (the usual port, 443, is privileged)
 * @param tls certificate and key of the RTMPS listener; null when there is none (then rtmpsPort must be 0)
 * @param limits what ingest connections may hold ({@code server.limits})
 * @param srtLatencyMs the SRT receive latency (the buffer SRT uses to retransmit lost packets in time); the larger
 *     of this and the encoder's own setting applies. About 4 × the round-trip time of the worst link (120 ms on a
 *     LAN, the SRT default; 500–2000 ms for cellular and intercontinental links)
 * @param webhookHosts where webhooks may be sent ({@link WebhookHosts}); empty (the default): anywhere
 * @param database the store's JDBC URL ({@code jdbc:sqlite:PATH} or {@code jdbc:postgresql://...}); null (the
 *     default): the embedded SQLite store in {@code dataDir}. Its password is a secret
 * @param bind the address every listener listens on (an IP literal or {@code localhost}); null (the default):
 *     every interface
 * @param cluster this node's part in a cluster of nodes sharing a PostgreSQL store; null (the default): one node
 *     on its own
 * @param https the HTTPS port of the dashboard, API and metrics, and what plain HTTP still serves
 */
public record ServerConfig(
        int rtmpPort,
        int srtPort,
        int httpPort,
        Path dataDir,
        String adminToken,
        int rtmpsPort,
        TlsConfig tls,
        LimitsConfig limits,
        int srtLatencyMs,
        List<String> webhookHosts,
        String database,
        String bind,
        ClusterConfig cluster,
        HttpsConfig https) {
    public static final int DEFAULT_RTMP_PORT = 1935;
    public static final int DEFAULT_SRT_PORT = 9000;
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("./data");
    public static final int DEFAULT_SRT_LATENCY_MS = 120;

    public ServerConfig {
        ConfigRules.requirePort("rtmpPort", rtmpPort);
        ConfigRules.requirePort("srtPort", srtPort);
        ConfigRules.requirePort("httpPort", httpPort);
        ConfigRules.requirePort("rtmpsPort", rtmpsPort);
        if (httpPort != 0 && httpPort == rtmpPort) {
            throw new IllegalArgumentException("httpPort " + httpPort + " is already used by rtmpPort");
        }
        ConfigRules.requireRtmpsPort(rtmpsPort, rtmpPort, httpPort, tls != null);
        Objects.requireNonNull(dataDir, "dataDir");
        ConfigRules.requireAdminTokenOrNull(adminToken);
        Objects.requireNonNull(limits, "limits");
        ConfigRules.requireSrtLatency(srtLatencyMs);
        webhookHosts = List.copyOf(webhookHosts);
        webhookHosts.forEach(WebhookHosts::requireRule);
        ConfigRules.requireDatabaseOrNull(database);
        ConfigRules.requireBindOrNull(bind);
        if (cluster != null) {
            ConfigRules.requireClusterPort(cluster.clusterPort(), rtmpPort, rtmpsPort, httpPort);
            if (database != null && !database.startsWith(ConfigRules.POSTGRESQL_URL_PREFIX)) {
                throw new IllegalArgumentException(
                        "server.cluster needs a PostgreSQL database; database is not one (jdbc:postgresql://...)");
            }
        }
        Objects.requireNonNull(https, "https");
        if (https.httpsPort() != 0) {
            ConfigRules.requireHttpsPort(https.httpsPort(), rtmpPort, rtmpsPort, httpPort, tls != null);
            if (cluster != null && cluster.clusterPort() == https.httpsPort()) {
                throw new IllegalArgumentException(
                        "httpsPort " + https.httpsPort() + " is already used by the cluster's clusterPort");
            }
        }
    }

    /** Without HTTPS. */
    public ServerConfig(
            int rtmpPort,
            int srtPort,
            int httpPort,
            Path dataDir,
            String adminToken,
            int rtmpsPort,
            TlsConfig tls,
            LimitsConfig limits,
            int srtLatencyMs,
            List<String> webhookHosts,
            String database,
            String bind,
            ClusterConfig cluster) {
        this(
                rtmpPort,
                srtPort,
                httpPort,
                dataDir,
                adminToken,
                rtmpsPort,
                tls,
                limits,
                srtLatencyMs,
                webhookHosts,
                database,
                bind,
                cluster,
                HttpsConfig.NONE);
    }

    /** One node on the embedded store in {@code dataDir}, listening on every interface. */
    public ServerConfig(
            int rtmpPort,
            int srtPort,
            int httpPort,
            Path dataDir,
            String adminToken,
            int rtmpsPort,
            TlsConfig tls,
            LimitsConfig limits,
            int srtLatencyMs,
            List<String> webhookHosts) {
        this(
                rtmpPort,
                srtPort,
                httpPort,
                dataDir,
                adminToken,
                rtmpsPort,
                tls,
                limits,
                srtLatencyMs,
                webhookHosts,
                null,
                null,
                null);
    }

    /** Webhooks may go anywhere. */
    public ServerConfig(
            int rtmpPort,
            int srtPort,
            int httpPort,
            Path dataDir,
            String adminToken,
            int rtmpsPort,
            TlsConfig tls,
            LimitsConfig limits,
            int srtLatencyMs) {
        this(rtmpPort, srtPort, httpPort, dataDir, adminToken, rtmpsPort, tls, limits, srtLatencyMs, List.of());
    }

    /** With the default SRT latency. */
    public ServerConfig(
            int rtmpPort,
            int srtPort,
            int httpPort,
            Path dataDir,
            String adminToken,
            int rtmpsPort,
            TlsConfig tls,
            LimitsConfig limits) {
        this(rtmpPort, srtPort, httpPort, dataDir, adminToken, rtmpsPort, tls, limits, DEFAULT_SRT_LATENCY_MS);
    }

    /** Without RTMPS ({@code rtmpsPort} 0, no {@code tls} section) and with the default {@link LimitsConfig}. */
    public ServerConfig(int rtmpPort, int srtPort, int httpPort, Path dataDir, String adminToken) {
        this(rtmpPort, srtPort, httpPort, dataDir, adminToken, 0, null, LimitsConfig.defaults());
    }

    /** With the default {@link LimitsConfig}. */
    public ServerConfig(
            int rtmpPort, int srtPort, int httpPort, Path dataDir, String adminToken, int rtmpsPort, TlsConfig tls) {
        this(rtmpPort, srtPort, httpPort, dataDir, adminToken, rtmpsPort, tls, LimitsConfig.defaults());
    }

    /**
     * The rule of {@code server.bind}, for the same address given on the command line.
     *
     * @return the address
     * @throws IllegalArgumentException naming what a bind address may be
     */
    public static String requireBind(String address) {
        return ConfigRules.requireBindOrNull(address);
    }

    /** @return RTMP on 1935, SRT on 9000, HTTP on 8080, data under {@code ./data}, token to be generated */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_RTMP_PORT, DEFAULT_SRT_PORT, DEFAULT_HTTP_PORT, DEFAULT_DATA_DIR, null);
    }

    /** @return this configuration with the given admin token (null: generate one) */
    public ServerConfig withAdminToken(String token) {
        return copy().adminToken(token).build();
    }

    /** @return this configuration with another data directory */
    public ServerConfig withDataDir(Path directory) {
        return copy().dataDir(directory).build();
    }

    /** @return this configuration with other ingest limits */
    public ServerConfig withLimits(LimitsConfig newLimits) {
        return copy().limits(newLimits).build();
    }

    /** @return this configuration with another store (null: the embedded SQLite store in {@code dataDir}) */
    public ServerConfig withDatabase(String url) {
        return copy().database(url).build();
    }

    /** @return this configuration listening on another address (null: every interface) */
    public ServerConfig withBind(String address) {
        return copy().bind(address).build();
    }

    /** @return this configuration with another cluster setting (null: one node on its own) */
    public ServerConfig withCluster(ClusterConfig newCluster) {
        return copy().cluster(newCluster).build();
    }

    private Copy copy() {
        return new Copy(this);
    }

    /** A copy of a configuration with some settings changed, checked again as a whole by {@link #build()}. */
    private static final class Copy {
        private final ServerConfig from;
        private String adminToken;
        private Path dataDir;
        private LimitsConfig limits;
        private String database;
        private String bind;
        private ClusterConfig cluster;

        Copy(ServerConfig from) {
            this.from = from;
            this.adminToken = from.adminToken;
            this.dataDir = from.dataDir;
            this.limits = from.limits;
            this.database = from.database;
            this.bind = from.bind;
            this.cluster = from.cluster;
        }

        Copy adminToken(String value) {
            adminToken = value;
            return this;
        }

        Copy dataDir(Path value) {
            dataDir = value;
            return this;
        }

        Copy limits(LimitsConfig value) {
            limits = value;
            return this;
        }

        Copy database(String value) {
            database = value;
            return this;
        }

        Copy bind(String value) {
            bind = value;
            return this;
        }

        Copy cluster(ClusterConfig value) {
            cluster = value;
            return this;
        }

        ServerConfig build() {
            return new ServerConfig(
                    from.rtmpPort,
                    from.srtPort,
                    from.httpPort,
                    dataDir,
                    adminToken,
                    from.rtmpsPort,
                    from.tls,
                    limits,
                    from.srtLatencyMs,
                    from.webhookHosts,
                    database,
                    bind,
                    cluster,
                    from.https);
        }
    }

    /** Keeps the admin token and the database password out of logs. */
    @Override
    public String toString() {
        return "ServerConfig[rtmpPort=" + rtmpPort + ", srtPort=" + srtPort + ", httpPort=" + httpPort
                + ", dataDir=" + dataDir + ", adminToken=" + (adminToken == null ? "null" : DestinationUrl.MASK)
                + ", rtmpsPort=" + rtmpsPort + ", tls=" + tls + ", limits=" + limits
                + ", srtLatencyMs=" + srtLatencyMs + ", database="
                + (database == null ? "null" : ConfigRules.redactDatabase(database)) + ", bind=" + bind + ", cluster="
                + cluster + "]";
    }
}
