package io.streamrepeater.control.config;

import io.streamrepeater.control.config.YamlBinding.Located;
import io.streamrepeater.control.config.YamlBinding.Scalar;
import java.util.List;

/**
 * The configuration file as written (DESIGN §4), bound by Jackson: every key a record component, in the order the
 * "allowed:" list of an unknown-key error names them. Values stay as written ({@link Scalar}) so that
 * {@link ConfigLoader} can check them with messages that name the key, the line and the column; an absent key is
 * null.
 */
final class ConfigShape {
    private ConfigShape() {}

    record File(Located<Server> server, Located<List<Located<Channel>>> channels) {}

    record Server(
            Scalar rtmpPort,
            Scalar rtmpsPort,
            Scalar srtPort,
            Scalar srtLatencyMs,
            Scalar httpPort,
            Scalar httpsPort,
            Scalar http,
            Scalar dataDir,
            Scalar adminToken,
            Located<Tls> tls,
            Located<Limits> limits,
            Located<List<Scalar>> webhookHosts,
            Scalar database,
            Scalar bind,
            Located<Cluster> cluster) {}

    record Cluster(Scalar node, Scalar address, Scalar clusterPort, Scalar leaseMs) {}

    record Tls(Scalar certFile, Scalar keyFile) {}

    record Limits(
            Scalar handshakeTimeoutMs,
            Scalar publishTimeoutMs,
            Scalar maxChunkSize,
            Scalar maxMessageSize,
            Scalar maxConnections,
            Scalar maxConnectionsPerAddress,
            Scalar maxPendingBytes,
            Scalar prePublishMaxMessageSize,
            Scalar prePublishPendingBytesTotal,
            Scalar pendingBytesTotal) {}

    record Channel(
            Scalar name,
            Located<List<Located<Input>>> inputs,
            Located<Failover> failover,
            Scalar slate,
            Located<List<Located<Destination>>> destinations,
            Located<Relay> relay,
            Located<List<Located<Webhook>>> webhooks) {}

    record Input(Scalar name, Scalar key, Scalar allowTakeover, Scalar srtPassphrase) {}

    record Failover(
            Scalar inputLossMs,
            Scalar failback,
            Scalar clearMs,
            Scalar start,
            Scalar timeline,
            Located<LowBitrate> lowBitrate) {}

    record LowBitrate(Scalar belowKbps, Scalar forMs) {}

    record Relay(Scalar retryMaxMs, Scalar stallTimeoutMs) {}

    record Destination(Scalar name, Scalar url, Scalar enabled, Scalar backupUrl, Scalar mode, Scalar platform) {}

    record Webhook(Scalar url, Scalar secret) {}
}
