package io.streamrepeater.control.config;

import io.streamrepeater.control.config.YamlBinding.Bound;
import io.streamrepeater.control.config.YamlBinding.Located;
import io.streamrepeater.control.config.YamlBinding.Scalar;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the YAML configuration file of DESIGN §4 into a {@link StreamRepeaterConfig}.
 *
 * <p>Jackson binds the file onto {@link ConfigShape} ({@link YamlBinding}); this class checks the values. Each
 * problem is reported as a {@link ConfigException} {@code source:line:column: problem} that names the offending
 * key or value, and the independent parts (server, each channel, each section of a channel) are checked on their
 * own so that one pass reports every problem. Unknown keys are errors at every level. Secrets (input keys, stream
 * keys, the admin token) never appear in a message. Scalars are taken as written: {@code 0x10} is not a port and
 * {@code yes} is not a boolean.
 */
public final class ConfigLoader {
    /** A configuration file is a few kilobytes; refuse to read something that is clearly not one. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    private static final List<String> TOP_LEVEL_KEYS = List.of("server", "channels");

    private final ConfigValues values;

    private ConfigLoader(String source, Map<String, ConfigException> unknownKeys) {
        this.values = new ConfigValues(source, unknownKeys);
    }

    /**
     * @param file the YAML file; its path as given names it in messages
     * @return the validated configuration
     * @throws ConfigException if the file cannot be read or is not a valid configuration
     */
    public static StreamRepeaterConfig load(Path file) {
        String source = file.toString();
        String yaml;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // /dev/zero, a FIFO or a directory: its "size" says nothing and reading it may never end
                throw new ConfigException(source, 0, 0, "not a regular file: give the path of a YAML file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(
                        source,
                        0,
                        0,
                        "file is " + size + " bytes, more than the limit of " + MAX_FILE_BYTES
                                + " for a configuration file");
            }
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, 0, 0, "file not found", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, 0, 0, "file is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(source, 0, 0, "cannot read file: " + e, e);
        }
        return parse(yaml, source);
    }

    /**
     * @param yaml the text of a configuration file
     * @param sourceName how messages call it, usually the file name
     * @return the validated configuration
     * @throws ConfigException if the text is not a valid configuration
     */
    public static StreamRepeaterConfig parse(String yaml, String sourceName) {
        Bound<ConfigShape.File> bound = YamlBinding.read(yaml, sourceName, "", ConfigShape.File.class);
        if (bound.root() == null) {
            throw new ConfigException(
                    sourceName,
                    1,
                    1,
                    "no configuration found (the document is empty); expected keys "
                            + String.join(", ", TOP_LEVEL_KEYS));
        }
        return new ConfigLoader(sourceName, bound.unknownKeys()).config(bound.root());
    }

    /**
     * Parses one channel (a mapping with the keys of a {@code channels} entry), e.g. the JSON body of
     * an API request. Errors name the line, column and field like those of a configuration file.
     */
    public static ChannelConfig parseChannel(String text, String sourceName) {
        Bound<ConfigShape.Channel> bound = YamlBinding.read(text, sourceName, "channel", ConfigShape.Channel.class);
        if (bound.root() == null) {
            throw new ConfigException(sourceName, 1, 1, "no channel found (the document is empty)");
        }
        return new ConfigLoader(sourceName, bound.unknownKeys())
                .channel(bound.root(), "channel", new HashMap<>(), new HashMap<>());
    }

    private StreamRepeaterConfig config(Located<ConfigShape.File> root) {
        ConfigShape.File top = ConfigValues.section(root);
        List<ConfigException> problems = new ArrayList<>();
        attempt(problems, () -> values.allowOnly(""));
        ServerConfig server = attempt(
                problems,
                () -> ConfigValues.optional(top.server()).map(this::server).orElseGet(ServerConfig::defaults));
        List<ChannelConfig> channels = attempt(
                problems,
                () -> ConfigValues.optional(top.channels()).map(this::channels).orElseGet(List::of));
        if (!problems.isEmpty()) {
            throw ConfigException.combine(flatten(problems));
        }
        return values.build(root.at(), () -> new StreamRepeaterConfig(server, channels));
    }

    /**
     * Runs one independent part of the check; a problem there is collected (and null returned) so that the other
     * parts are still checked and every problem is reported at once.
     */
    private static <T> T attempt(List<ConfigException> problems, Supplier<T> part) {
        try {
            return part.get();
        } catch (ConfigException e) {
            problems.add(e);
            return null;
        }
    }

    private ServerConfig server(Located<ConfigShape.Server> node) {
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
                .map(value -> limits(value, path + ".limits"))
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
                        webhookHosts));
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

    private LimitsConfig limits(Located<ConfigShape.Limits> node, String path) {
        ConfigShape.Limits limits = ConfigValues.section(node);
        values.allowOnly(path);
        int handshakeTimeoutMs = between(
                limits.handshakeTimeoutMs(),
                path,
                "handshakeTimeoutMs",
                LimitsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MS,
                LimitsConfig.MIN_HANDSHAKE_TIMEOUT_MS,
                LimitsConfig.MAX_HANDSHAKE_TIMEOUT_MS);
        int publishTimeoutMs = between(
                limits.publishTimeoutMs(),
                path,
                "publishTimeoutMs",
                LimitsConfig.DEFAULT_PUBLISH_TIMEOUT_MS,
                LimitsConfig.MIN_HANDSHAKE_TIMEOUT_MS,
                LimitsConfig.MAX_PUBLISH_TIMEOUT_MS);
        int maxChunkSize = between(
                limits.maxChunkSize(),
                path,
                "maxChunkSize",
                LimitsConfig.DEFAULT_MAX_CHUNK_SIZE,
                LimitsConfig.MIN_CHUNK_SIZE,
                LimitsConfig.MAX_24_BIT);
        int maxMessageSize = between(
                limits.maxMessageSize(),
                path,
                "maxMessageSize",
                LimitsConfig.DEFAULT_MAX_MESSAGE_SIZE,
                LimitsConfig.MIN_MESSAGE_SIZE,
                LimitsConfig.MAX_24_BIT);
        int maxConnections = between(
                limits.maxConnections(),
                path,
                "maxConnections",
                LimitsConfig.DEFAULT_MAX_CONNECTIONS,
                1,
                LimitsConfig.MAX_CONNECTIONS);
        int maxConnectionsPerAddress = between(
                limits.maxConnectionsPerAddress(),
                path,
                "maxConnectionsPerAddress",
                LimitsConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                1,
                LimitsConfig.MAX_CONNECTIONS);
        int maxPendingBytes = between(
                limits.maxPendingBytes(),
                path,
                "maxPendingBytes",
                LimitsConfig.DEFAULT_MAX_PENDING_BYTES,
                1,
                Integer.MAX_VALUE);
        // A rule between two keys is reported at the second one, or at the section when it is left to its default.
        values.rule(
                ConfigValues.optional(limits.publishTimeoutMs()).map(Scalar::at).orElse(node.at()), () -> {
                    LimitsConfig.requirePublishAfterHandshake(publishTimeoutMs, handshakeTimeoutMs);
                    return null;
                });
        values.rule(
                ConfigValues.optional(limits.maxPendingBytes()).map(Scalar::at).orElse(node.at()), () -> {
                    LimitsConfig.requirePendingFitsMessage(maxPendingBytes, maxMessageSize);
                    return null;
                });
        int prePublishMaxMessageSize = between(
                limits.prePublishMaxMessageSize(),
                path,
                "prePublishMaxMessageSize",
                Math.min(LimitsConfig.DEFAULT_PRE_PUBLISH_MAX_MESSAGE_SIZE, maxMessageSize),
                LimitsConfig.MIN_MESSAGE_SIZE,
                maxMessageSize);
        int prePublishPendingBytesTotal = between(
                limits.prePublishPendingBytesTotal(),
                path,
                "prePublishPendingBytesTotal",
                LimitsConfig.DEFAULT_PRE_PUBLISH_PENDING_BYTES_TOTAL,
                LimitsConfig.MIN_PRE_PUBLISH_PENDING_BYTES_TOTAL,
                Integer.MAX_VALUE);
        int pendingBytesTotal = between(
                limits.pendingBytesTotal(),
                path,
                "pendingBytesTotal",
                LimitsConfig.DEFAULT_PENDING_BYTES_TOTAL,
                0,
                Integer.MAX_VALUE);
        return values.build(
                node.at(),
                () -> new LimitsConfig(
                        handshakeTimeoutMs,
                        publishTimeoutMs,
                        maxChunkSize,
                        maxMessageSize,
                        maxConnections,
                        maxConnectionsPerAddress,
                        maxPendingBytes,
                        prePublishMaxMessageSize,
                        prePublishPendingBytesTotal,
                        pendingBytesTotal));
    }

    private int between(Scalar scalar, String path, String key, int defaultValue, int minimum, int maximum) {
        return ConfigValues.optional(scalar)
                .map(value -> values.rule(
                        value,
                        () -> ConfigRules.requireBetween(key, values.integer(value, key, path), minimum, maximum)))
                .orElse(defaultValue);
    }

    private int port(Scalar scalar, String key, int defaultPort) {
        return ConfigValues.optional(scalar)
                .map(value ->
                        values.rule(value, () -> ConfigRules.requirePort(key, values.integer(value, key, "server"))))
                .orElse(defaultPort);
    }

    private List<ChannelConfig> channels(Located<List<Located<ConfigShape.Channel>>> node) {
        List<ChannelConfig> channels = new ArrayList<>();
        Map<String, Integer> lineOfChannelName = new HashMap<>();
        Map<String, String> firstUseOfKey = new HashMap<>();
        List<ConfigException> problems = new ArrayList<>();
        for (Located<ConfigShape.Channel> item : ConfigValues.section(node)) {
            String path = "channels[" + channels.size() + "]";
            channels.add(attempt(problems, () -> channel(item, path, lineOfChannelName, firstUseOfKey)));
        }
        if (!problems.isEmpty()) {
            throw ConfigException.combine(flatten(problems));
        }
        return channels;
    }

    /** The single problems inside combined ones, in order (a channel's own list joins the file's list). */
    private static List<ConfigException> flatten(List<ConfigException> problems) {
        List<ConfigException> all = new ArrayList<>();
        for (ConfigException p : problems) {
            all.add(p.getSuppressed().length == 0 ? p : (ConfigException) p.getCause());
            for (Throwable more : p.getSuppressed()) {
                all.add((ConfigException) more);
            }
        }
        return all;
    }

    private ChannelConfig channel(
            Located<ConfigShape.Channel> node,
            String path,
            Map<String, Integer> lineOfChannelName,
            Map<String, String> firstUseOfKey) {
        ConfigShape.Channel channel = ConfigValues.section(node);
        // each section is checked on its own, so that one pass reports every problem of the channel
        List<ConfigException> problems = new ArrayList<>();
        attempt(problems, () -> values.allowOnly(path));
        String name = attempt(problems, () -> {
            Scalar nameNode = values.required(channel.name(), node, "name", path);
            String checked = values.rule(
                    nameNode, () -> ConfigRules.requireName("channel", values.text(nameNode, "name", path)));
            Integer earlier =
                    lineOfChannelName.putIfAbsent(checked, nameNode.at().line());
            if (earlier != null) {
                throw values.error(
                        nameNode.at(), "duplicate channel name '" + checked + "' (first at line " + earlier + ")");
            }
            return checked;
        });
        List<InputConfig> inputs = attempt(
                problems,
                () -> inputs(values.required(channel.inputs(), node, "inputs", path), path + ".inputs", firstUseOfKey));
        FailoverConfig failover = attempt(
                problems,
                () -> ConfigValues.optional(channel.failover())
                        .map(value -> failover(value, path + ".failover"))
                        .orElseGet(FailoverConfig::defaults));
        String slate = attempt(
                problems,
                () -> ConfigValues.optional(channel.slate())
                        .map(value -> values.rule(
                                value, () -> ConfigRules.requireSlateOrNull(values.text(value, "slate", path))))
                        .orElse(null));
        List<DestinationConfig> destinations = attempt(
                problems,
                () -> ConfigValues.optional(channel.destinations())
                        .map(value -> destinations(value, path + ".destinations"))
                        .orElseGet(List::of));
        RelayConfig relay = attempt(
                problems,
                () -> ConfigValues.optional(channel.relay())
                        .map(value -> relay(value, path + ".relay"))
                        .orElseGet(RelayConfig::defaults));
        List<WebhookConfig> webhooks = attempt(
                problems,
                () -> ConfigValues.optional(channel.webhooks())
                        .map(value -> webhooks(value, path + ".webhooks"))
                        .orElseGet(List::of));
        if (!problems.isEmpty()) {
            throw ConfigException.combine(problems);
        }
        return values.build(
                node.at(), () -> new ChannelConfig(name, inputs, failover, slate, destinations, relay, webhooks));
    }

    private List<WebhookConfig> webhooks(Located<List<Located<ConfigShape.Webhook>>> node, String path) {
        List<WebhookConfig> webhooks = new ArrayList<>();
        Map<String, Integer> lineOfUrl = new HashMap<>();
        for (Located<ConfigShape.Webhook> item : ConfigValues.section(node)) {
            String itemPath = path + "[" + webhooks.size() + "]";
            ConfigShape.Webhook webhook = ConfigValues.section(item);
            values.allowOnly(itemPath);
            Scalar urlNode = values.required(webhook.url(), item, "url", itemPath);
            String url =
                    values.rule(urlNode, () -> ConfigRules.requireWebhookUrl(values.text(urlNode, "url", itemPath)));
            values.unique(lineOfUrl, url, urlNode, "duplicate webhook url in " + ConfigValues.parentOf(path));
            Scalar secretNode = values.required(webhook.secret(), item, "secret", itemPath);
            String secret = values.rule(
                    secretNode,
                    () -> ConfigRules.requireWebhookSecret(url, values.text(secretNode, "secret", itemPath)));
            webhooks.add(values.build(item.at(), () -> new WebhookConfig(url, secret)));
        }
        return webhooks;
    }

    private RelayConfig relay(Located<ConfigShape.Relay> node, String path) {
        ConfigShape.Relay relay = ConfigValues.section(node);
        values.allowOnly(path);
        int retryMaxMs = between(
                relay.retryMaxMs(),
                path,
                "retryMaxMs",
                RelayConfig.DEFAULT_RETRY_MAX_MS,
                RelayConfig.MIN_RETRY_MAX_MS,
                RelayConfig.MAX_RETRY_MAX_MS);
        int stallTimeoutMs = between(
                relay.stallTimeoutMs(),
                path,
                "stallTimeoutMs",
                RelayConfig.DEFAULT_STALL_TIMEOUT_MS,
                RelayConfig.MIN_STALL_TIMEOUT_MS,
                RelayConfig.MAX_STALL_TIMEOUT_MS);
        return values.build(node.at(), () -> new RelayConfig(retryMaxMs, stallTimeoutMs));
    }

    private List<InputConfig> inputs(
            Located<List<Located<ConfigShape.Input>>> node, String path, Map<String, String> firstUseOfKey) {
        List<Located<ConfigShape.Input>> items = ConfigValues.section(node);
        if (items.isEmpty()) {
            throw values.error(node.at(), path + " is empty; a channel needs at least one input");
        }
        List<InputConfig> inputs = new ArrayList<>();
        Map<String, Integer> lineOfName = new HashMap<>();
        for (Located<ConfigShape.Input> item : items) {
            String itemPath = path + "[" + inputs.size() + "]";
            ConfigShape.Input input = ConfigValues.section(item);
            values.allowOnly(itemPath);
            Scalar nameNode = values.required(input.name(), item, "name", itemPath);
            String name = values.rule(
                    nameNode, () -> ConfigRules.requireName("input", values.text(nameNode, "name", itemPath)));
            values.unique(
                    lineOfName,
                    name,
                    nameNode,
                    "duplicate input name '" + name + "' in " + ConfigValues.parentOf(path));
            Scalar keyNode = values.required(input.key(), item, "key", itemPath);
            String key = values.rule(
                    keyNode, () -> ConfigRules.requireNewInputKey(name, values.text(keyNode, "key", itemPath)));
            String earlierKey = firstUseOfKey.putIfAbsent(
                    key, itemPath + " (line " + keyNode.at().line() + ")");
            if (earlierKey != null) {
                throw values.error(
                        keyNode.at(),
                        "key of " + itemPath + " is already used by " + earlierKey
                                + "; each input key must be unique across all channels");
            }
            boolean allowTakeover = ConfigValues.optional(input.allowTakeover())
                    .map(value -> values.bool(value, "allowTakeover", itemPath))
                    .orElse(InputConfig.DEFAULT_ALLOW_TAKEOVER);
            String srtPassphrase = ConfigValues.optional(input.srtPassphrase())
                    .map(value -> values.rule(
                            value,
                            () -> ConfigRules.requireSrtPassphrase(
                                    name, values.text(value, "srtPassphrase", itemPath))))
                    .orElse(null);
            inputs.add(values.build(item.at(), () -> new InputConfig(name, key, allowTakeover, srtPassphrase)));
        }
        return inputs;
    }

    private FailoverConfig failover(Located<ConfigShape.Failover> node, String path) {
        ConfigShape.Failover failover = ConfigValues.section(node);
        values.allowOnly(path);
        int inputLossMs = ConfigValues.optional(failover.inputLossMs())
                .map(value -> values.rule(
                        value,
                        () -> ConfigRules.requireAtLeast(
                                "inputLossMs",
                                values.integer(value, "inputLossMs", path),
                                FailoverConfig.MIN_INPUT_LOSS_MS)))
                .orElse(FailoverConfig.DEFAULT_INPUT_LOSS_MS);
        Failback failback = ConfigValues.optional(failover.failback())
                .map(value -> values.choice(value, "failback", path, Failback.values(), Failback::yamlName))
                .orElse(FailoverConfig.DEFAULT_FAILBACK);
        int clearMs = ConfigValues.optional(failover.clearMs())
                .map(value -> values.rule(
                        value, () -> ConfigRules.requireAtLeast("clearMs", values.integer(value, "clearMs", path), 0)))
                .orElse(FailoverConfig.DEFAULT_CLEAR_MS);
        StartMode start = ConfigValues.optional(failover.start())
                .map(value -> values.choice(value, "start", path, StartMode.values(), StartMode::yamlName))
                .orElse(FailoverConfig.DEFAULT_START);
        Timeline timeline = ConfigValues.optional(failover.timeline())
                .map(value -> values.choice(value, "timeline", path, Timeline.values(), Timeline::yamlName))
                .orElse(FailoverConfig.DEFAULT_TIMELINE);
        FailoverConfig.LowBitrate lowBitrate = ConfigValues.optional(failover.lowBitrate())
                .map(value -> lowBitrate(value, path + ".lowBitrate"))
                .orElse(null);
        return values.build(
                node.at(), () -> new FailoverConfig(inputLossMs, failback, clearMs, start, timeline, lowBitrate));
    }

    private FailoverConfig.LowBitrate lowBitrate(Located<ConfigShape.LowBitrate> node, String path) {
        ConfigShape.LowBitrate lowBitrate = ConfigValues.section(node);
        values.allowOnly(path);
        Scalar below = values.required(lowBitrate.belowKbps(), node, "belowKbps", path);
        int belowKbps = values.rule(
                below,
                () -> ConfigRules.requireBetween(
                        "belowKbps",
                        values.integer(below, "belowKbps", path),
                        1,
                        FailoverConfig.LowBitrate.MAX_BELOW_KBPS));
        Scalar duration = values.required(lowBitrate.forMs(), node, "forMs", path);
        int forMs = values.rule(
                duration,
                () -> ConfigRules.requireBetween(
                        "forMs",
                        values.integer(duration, "forMs", path),
                        FailoverConfig.LowBitrate.MIN_FOR_MS,
                        FailoverConfig.LowBitrate.MAX_FOR_MS));
        return values.build(node.at(), () -> new FailoverConfig.LowBitrate(belowKbps, forMs));
    }

    private List<DestinationConfig> destinations(Located<List<Located<ConfigShape.Destination>>> node, String path) {
        List<DestinationConfig> destinations = new ArrayList<>();
        Map<String, Integer> lineOfName = new HashMap<>();
        for (Located<ConfigShape.Destination> item : ConfigValues.section(node)) {
            String itemPath = path + "[" + destinations.size() + "]";
            ConfigShape.Destination destination = ConfigValues.section(item);
            values.allowOnly(itemPath);
            Scalar nameNode = values.required(destination.name(), item, "name", itemPath);
            String name = values.rule(
                    nameNode, () -> ConfigRules.requireName("destination", values.text(nameNode, "name", itemPath)));
            values.unique(
                    lineOfName,
                    name,
                    nameNode,
                    "duplicate destination name '" + name + "' in " + ConfigValues.parentOf(path));
            Scalar urlNode = values.required(destination.url(), item, "url", itemPath);
            String url = values.rule(
                    urlNode, () -> ConfigRules.requireDestinationUrl(name, values.text(urlNode, "url", itemPath)));
            boolean enabled = ConfigValues.optional(destination.enabled())
                    .map(value -> values.bool(value, "enabled", itemPath))
                    .orElse(DestinationConfig.DEFAULT_ENABLED);
            String backupUrl = ConfigValues.optional(destination.backupUrl())
                    .map(value -> values.rule(
                            value,
                            () -> ConfigRules.requireDestinationUrl(
                                    name, values.text(value, "backupUrl", itemPath), "backupUrl")))
                    .orElse(null);
            DestinationMode mode = ConfigValues.optional(destination.mode())
                    .map(value -> {
                        DestinationMode chosen = values.choice(
                                value, "mode", itemPath, DestinationMode.values(), DestinationMode::yamlName);
                        if (backupUrl == null) {
                            throw values.error(
                                    value.at(), "mode of destination '" + name + "' needs a backupUrl in " + itemPath);
                        }
                        return chosen;
                    })
                    .orElse(null);
            destinations.add(values.build(item.at(), () -> new DestinationConfig(name, url, enabled, backupUrl, mode)));
        }
        return destinations;
    }
}
