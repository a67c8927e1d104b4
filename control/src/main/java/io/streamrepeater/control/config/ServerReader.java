package io.streamrepeater.control.config;

import io.streamrepeater.control.config.YamlBinding.Located;
import io.streamrepeater.control.config.YamlBinding.Scalar;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the {@code server:} section: ports, the bind address, the data directory, the store, the admin token, TLS,
 * limits, webhook hosts, the cluster and HTTPS.
 */
final class ServerReader {
    private final ConfigValues values;
    private final LimitsReader limitsReader;

    ServerReader(ConfigValues values) {
        this.values = values;
        this.limitsReader = new LimitsReader(values);
    }

    ServerConfig read(Located<ConfigShape.Server> node) {
        String path = "server";
        ConfigShape.Server server = ConfigValues.section(node);
        values.allowOnly(path);
        int rtmpPort = port(server.rtmpPort(), "rtmpPort", ServerConfig.DEFAULT_RTMP_PORT);
        int srtPort = port(server.srtPort(), "srtPort", ServerConfig.DEFAULT_SRT_PORT);
        int httpPort = port(server.httpPort(), "httpPort", ServerConfig.DEFAULT_HTTP_PORT);
        if (httpPort != 0 && httpPort == rtmpPort) {
            throw values.error(
                    server.httpPort().at(),
                    "httpPort " + httpPort + " is already used by rtmpPort; TCP ports must differ");
        }
        Path dataDir = ConfigValues.optional(server.dataDir())
                .map(value -> path(value, "dataDir", path, "", "dataDir must name a directory"))
                .orElse(ServerConfig.DEFAULT_DATA_DIR);
        String adminToken = ConfigValues.optional(server.adminToken())
                .map(value -> values.rule(
                        value, () -> ConfigRules.requireAdminTokenOrNull(values.text(value, "adminToken", path))))
                .orElse(null);
        TlsConfig tls = ConfigValues.optional(server.tls())
                .map(value -> tls(value, path + ".tls"))
                .orElse(null);
        int rtmpsPort = ConfigValues.optional(server.rtmpsPort())
                .map(value -> values.rule(
                        value,
                        () -> ConfigRules.requireRtmpsPort(
                                ConfigRules.requirePort("rtmpsPort", values.integer(value, "rtmpsPort", path)),
                                rtmpPort,
                                httpPort,
                                tls != null)))
                .orElse(0);
        LimitsConfig limits = ConfigValues.optional(server.limits())
                .map(value -> limitsReader.read(value, path + ".limits"))
                .orElseGet(LimitsConfig::defaults);
        int srtLatencyMs = ConfigValues.optional(server.srtLatencyMs())
                .map(value -> values.rule(
                        value, () -> ConfigRules.requireSrtLatency(values.integer(value, "srtLatencyMs", path))))
                .orElse(ServerConfig.DEFAULT_SRT_LATENCY_MS);
        List<String> webhookHosts = ConfigValues.optional(server.webhookHosts())
                .map(value -> ConfigValues.section(value).stream()
                        .map(item -> values.rule(
                                item, () -> WebhookHosts.requireRule(values.text(item, "webhookHosts", path))))
                        .toList())
                .orElse(List.of());
        String database = ConfigValues.optional(server.database())
                .map(value -> values.rule(
                        value, () -> ConfigRules.requireDatabaseOrNull(values.text(value, "database", path))))
                .orElse(null);
        String bind = ConfigValues.optional(server.bind())
                .map(value -> values.rule(value, () -> ConfigRules.requireBindOrNull(values.text(value, "bind", path))))
                .orElse(null);
        int httpsPort = ConfigValues.optional(server.httpsPort())
                .map(value -> values.rule(
                        value,
                        () -> ConfigRules.requireHttpsPort(
                                ConfigRules.requirePort("httpsPort", values.integer(value, "httpsPort", path)),
                                rtmpPort,
                                rtmpsPort,
                                httpPort,
                                tls != null)))
                .orElse(0);
        HttpsConfig.Http http = ConfigValues.optional(server.http())
                .map(value -> values.rule(value, () -> HttpsConfig.Http.of(values.text(value, "http", path))))
                .orElse(HttpsConfig.defaultHttp(httpsPort));
        // a mistake is the http line's: without it, the default always fits the port
        HttpsConfig https = ConfigValues.optional(server.http())
                .map(value -> values.rule(value, () -> new HttpsConfig(httpsPort, http)))
                .orElse(new HttpsConfig(httpsPort, http));
        ClusterConfig cluster = ConfigValues.optional(server.cluster())
                .map(value -> cluster(value, path + ".cluster", rtmpPort, rtmpsPort, httpPort))
                .orElse(null);
        if (cluster != null && database != null) {
            // with no database here, the command line may still give a PostgreSQL one: checked at start
            cluster.requirePostgresql(database, "server.database");
        }
        return values.build(
                node.at(),
                () -> new ServerConfig(
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
                        https));
    }

    private ClusterConfig cluster(
            Located<ConfigShape.Cluster> node, String path, int rtmpPort, int rtmpsPort, int httpPort) {
        ConfigShape.Cluster cluster = ConfigValues.section(node);
        values.allowOnly(path);
        Scalar nodeName = values.required(cluster.node(), node, "node", path);
        String name = values.rule(nodeName, () -> ClusterConfig.requireNode(values.text(nodeName, "node", path)));
        Scalar addressValue = values.required(cluster.address(), node, "address", path);
        String address = values.rule(
                addressValue, () -> ClusterConfig.requireAddress(values.text(addressValue, "address", path)));
        int clusterPort = ConfigValues.optional(cluster.clusterPort())
                .map(value -> values.rule(
                        value,
                        () -> ConfigRules.requireClusterPort(
                                ConfigRules.requirePort("clusterPort", values.integer(value, "clusterPort", path)),
                                rtmpPort,
                                rtmpsPort,
                                httpPort)))
                .orElseGet(() -> values.rule(
                        node.at(),
                        () -> ConfigRules.requireClusterPort(
                                ClusterConfig.DEFAULT_CLUSTER_PORT, rtmpPort, rtmpsPort, httpPort)));
        int leaseMs = values.between(
                cluster.leaseMs(),
                "leaseMs",
                path,
                ClusterConfig.DEFAULT_LEASE_MS,
                ClusterConfig.MIN_LEASE_MS,
                ClusterConfig.MAX_LEASE_MS);
        ConfigPosition declaredAt = values.positionOfKey(path, node.at());
        return values.build(node.at(), () -> new ClusterConfig(name, address, clusterPort, leaseMs, declaredAt));
    }

    private TlsConfig tls(Located<ConfigShape.Tls> node, String path) {
        ConfigShape.Tls tls = ConfigValues.section(node);
        values.allowOnly(path);
        Path certFile = file(values.required(tls.certFile(), node, "certFile", path), "certFile", path);
        Path keyFile = file(values.required(tls.keyFile(), node, "keyFile", path), "keyFile", path);
        return values.build(node.at(), () -> new TlsConfig(certFile, keyFile));
    }

    private Path file(Scalar value, String key, String path) {
        return path(value, key, path, " in " + path, key + " in " + path + " must name a file");
    }

    /** @param in where the key is, as the message says it after the value ("" or " in server.tls") */
    private Path path(Scalar value, String key, String path, String in, String blank) {
        String text = values.text(value, key, path);
        if (text.isBlank()) {
            throw values.error(value.at(), blank);
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw values.error(value.at(), key + " '" + text + "'" + in + " is not a valid path: " + e.getReason());
        }
    }

    private int port(Scalar scalar, String key, int defaultPort) {
        return ConfigValues.optional(scalar)
                .map(value ->
                        values.rule(value, () -> ConfigRules.requirePort(key, values.integer(value, key, "server"))))
                .orElse(defaultPort);
    }
}
