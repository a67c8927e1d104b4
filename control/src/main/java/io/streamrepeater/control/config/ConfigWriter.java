package io.streamrepeater.control.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;

/**
 * Writes a {@link StreamRepeaterConfig} as the YAML of DESIGN §4; {@link ConfigLoader} reads the
 * unmasked output back to an equal configuration (the first-run configuration is persisted this way).
 * Every setting is written out, defaults included, so the file documents itself.
 */
public final class ConfigWriter {
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Whether secrets are written as they are or masked. */
    public enum Secrets {
        /** Write input keys, destination URLs and the admin token as they are (for persisting). */
        INCLUDE,
        /**
         * Replace input keys, destination stream keys (and any query after them), webhook secrets (and the
         * query of webhook URLs), the database URL's password and the admin token
         * with {@code ****} (for export and display). Masked output is for reading, not for loading:
         * its keys are not valid.
         */
        MASK
    }

    private ConfigWriter() {}

    /** @return the configuration as YAML, secrets included */
    public static String toYaml(StreamRepeaterConfig config) {
        return toYaml(config, Secrets.INCLUDE);
    }

    /**
     * @param config the configuration
     * @param secrets whether secrets are written or masked
     * @return the configuration as YAML, with a comment header
     */
    public static String toYaml(StreamRepeaterConfig config, Secrets secrets) {
        ObjectNode root = NODES.objectNode();
        root.set("server", server(config.server(), secrets));
        ArrayNode channels = root.putArray("channels");
        for (ChannelConfig channel : config.channels()) {
            channels.add(channel(channel, secrets));
        }
        String header = secrets == Secrets.MASK
                ? "# Stream Repeater configuration, secrets masked (****): for reading, not for loading.\n"
                : "# Stream Repeater configuration. Input keys, destination URLs, webhook secrets, the database URL's password"
                        + " and adminToken are secrets.\n";
        try {
            return header + YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write configuration as YAML", e);
        }
    }

    private static ObjectNode server(ServerConfig server, Secrets secrets) {
        ObjectNode node = NODES.objectNode();
        node.put("rtmpPort", server.rtmpPort());
        node.put("rtmpsPort", server.rtmpsPort());
        node.put("srtPort", server.srtPort());
        node.put("srtLatencyMs", server.srtLatencyMs());
        node.put("httpPort", server.httpPort());
        if (server.https().httpsPort() != 0) {
            node.put("httpsPort", server.https().httpsPort());
        }
        if (server.https().http() != HttpsConfig.defaultHttp(server.https().httpsPort())) {
            node.put("http", server.https().http().label());
        }
        if (server.bind() != null) {
            node.put("bind", server.bind());
        }
        node.put("dataDir", server.dataDir().toString());
        if (server.database() != null) {
            node.put(
                    "database",
                    secrets == Secrets.MASK ? ConfigRules.redactDatabase(server.database()) : server.database());
        }
        if (server.adminToken() != null) {
            node.put("adminToken", secrets == Secrets.MASK ? DestinationUrl.MASK : server.adminToken());
        }
        if (server.tls() != null) {
            ObjectNode tls = node.putObject("tls");
            tls.put("certFile", server.tls().certFile().toString());
            tls.put("keyFile", server.tls().keyFile().toString());
        }
        ClusterConfig cluster = server.cluster();
        if (cluster != null) {
            ObjectNode clusterNode = node.putObject("cluster");
            clusterNode.put("node", cluster.node());
            clusterNode.put("address", cluster.address());
            clusterNode.put("clusterPort", cluster.clusterPort());
            clusterNode.put("leaseMs", cluster.leaseMs());
        }
        if (!server.webhookHosts().isEmpty()) {
            ArrayNode hosts = node.putArray("webhookHosts");
            server.webhookHosts().forEach(hosts::add);
        }
        LimitsConfig limits = server.limits();
        ObjectNode limitsNode = node.putObject("limits");
        limitsNode.put("handshakeTimeoutMs", limits.handshakeTimeoutMs());
        limitsNode.put("publishTimeoutMs", limits.publishTimeoutMs());
        limitsNode.put("maxChunkSize", limits.maxChunkSize());
        limitsNode.put("maxMessageSize", limits.maxMessageSize());
        limitsNode.put("maxConnections", limits.maxConnections());
        limitsNode.put("maxConnectionsPerAddress", limits.maxConnectionsPerAddress());
        limitsNode.put("maxPendingBytes", limits.maxPendingBytes());
        limitsNode.put("prePublishMaxMessageSize", limits.prePublishMaxMessageSize());
        limitsNode.put("prePublishPendingBytesTotal", limits.prePublishPendingBytesTotal());
        limitsNode.put("pendingBytesTotal", limits.pendingBytesTotal());
        return node;
    }

    private static ObjectNode channel(ChannelConfig channel, Secrets secrets) {
        ObjectNode node = NODES.objectNode();
        node.put("name", channel.name());
        ArrayNode inputs = node.putArray("inputs");
        for (InputConfig input : channel.inputs()) {
            ObjectNode inputNode = inputs.addObject();
            inputNode.put("name", input.name());
            inputNode.put("key", secrets == Secrets.MASK ? DestinationUrl.MASK : input.key());
            inputNode.put("allowTakeover", input.allowTakeover());
            if (input.srtPassphrase() != null) {
                inputNode.put("srtPassphrase", secrets == Secrets.MASK ? DestinationUrl.MASK : input.srtPassphrase());
            }
        }
        FailoverConfig failover = channel.failover();
        ObjectNode failoverNode = node.putObject("failover");
        failoverNode.put("inputLossMs", failover.inputLossMs());
        failoverNode.put("failback", failover.failback().yamlName());
        failoverNode.put("clearMs", failover.clearMs());
        failoverNode.put("start", failover.start().yamlName());
        failoverNode.put("timeline", failover.timeline().yamlName());
        if (failover.lowBitrate() != null) {
            ObjectNode lowBitrate = failoverNode.putObject("lowBitrate");
            lowBitrate.put("belowKbps", failover.lowBitrate().belowKbps());
            lowBitrate.put("forMs", failover.lowBitrate().forMs());
        }
        if (channel.slate() != null) {
            node.put("slate", channel.slate());
        }
        ArrayNode destinations = node.putArray("destinations");
        for (DestinationConfig destination : channel.destinations()) {
            ObjectNode destinationNode = destinations.addObject();
            destinationNode.put("name", destination.name());
            destinationNode.put("url", secrets == Secrets.MASK ? destination.maskedUrl() : destination.url());
            destinationNode.put("enabled", destination.enabled());
            if (destination.backupUrl() != null) {
                destinationNode.put(
                        "backupUrl", secrets == Secrets.MASK ? destination.maskedBackupUrl() : destination.backupUrl());
                destinationNode.put("mode", destination.mode().yamlName());
            }
            if (destination.platform() != null) {
                destinationNode.put("platform", destination.platform().yamlName());
            }
        }
        ObjectNode relayNode = node.putObject("relay");
        relayNode.put("retryMaxMs", channel.relay().retryMaxMs());
        relayNode.put("stallTimeoutMs", channel.relay().stallTimeoutMs());
        if (!channel.webhooks().isEmpty()) {
            ArrayNode webhooks = node.putArray("webhooks");
            for (WebhookConfig webhook : channel.webhooks()) {
                ObjectNode webhookNode = webhooks.addObject();
                webhookNode.put("url", secrets == Secrets.MASK ? webhook.maskedUrl() : webhook.url());
                webhookNode.put("secret", secrets == Secrets.MASK ? DestinationUrl.MASK : webhook.secret());
            }
        }
        return node;
    }
}
