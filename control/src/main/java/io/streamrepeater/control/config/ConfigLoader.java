package io.streamrepeater.control.config;

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
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration file of DESIGN §4 into a {@link StreamRepeaterConfig}.
 *
 * <p>Validation is explicit and stops at the first problem, reported as a {@link ConfigException}
 * {@code source:line:column: problem} that names the offending key or value. Unknown keys are errors
 * at every level. Secrets (input keys, stream keys, the admin token) never appear in a message.
 * Scalars are taken as written: {@code 0x10} is not a port and {@code yes} is not a boolean.
 */
public final class ConfigLoader {
    /** A configuration file is a few kilobytes; refuse to read something that is clearly not one. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    static final List<String> TOP_LEVEL_KEYS = List.of("server", "channels");
    static final List<String> SERVER_KEYS = List.of(
            "rtmpPort",
            "rtmpsPort",
            "srtPort",
            "srtLatencyMs",
            "httpPort",
            "dataDir",
            "adminToken",
            "tls",
            "limits",
            "webhookHosts");
    static final List<String> TLS_KEYS = List.of("certFile", "keyFile");
    static final List<String> LIMITS_KEYS = List.of(
            "handshakeTimeoutMs",
            "publishTimeoutMs",
            "maxChunkSize",
            "maxMessageSize",
            "maxConnections",
            "maxConnectionsPerAddress",
            "maxPendingBytes",
            "prePublishMaxMessageSize",
            "prePublishPendingBytesTotal",
            "pendingBytesTotal");
    static final List<String> CHANNEL_KEYS =
            List.of("name", "inputs", "failover", "slate", "destinations", "relay", "webhooks");
    static final List<String> INPUT_KEYS = List.of("name", "key", "allowTakeover", "srtPassphrase");
    static final List<String> FAILOVER_KEYS =
            List.of("inputLossMs", "failback", "clearMs", "start", "timeline", "lowBitrate");
    static final List<String> LOW_BITRATE_KEYS = List.of("belowKbps", "forMs");
    static final List<String> RELAY_KEYS = List.of("retryMaxMs", "stallTimeoutMs");
    static final List<String> DESTINATION_KEYS = List.of("name", "url", "enabled", "backupUrl", "mode");
    static final List<String> WEBHOOK_KEYS = List.of("url", "secret");

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]{1,10}");

    private final String source;

    private ConfigLoader(String source) {
        this.source = source;
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
        ConfigLoader loader = new ConfigLoader(sourceName);
        return loader.config(YamlTreeReader.read(yaml, sourceName));
    }

    /**
     * Parses one channel (a mapping with the keys of a {@code channels} entry), e.g. the JSON body of
     * an API request. Errors name the line, column and field like those of a configuration file.
     */
    public static ChannelConfig parseChannel(String text, String sourceName) {
        ConfigLoader loader = new ConfigLoader(sourceName);
        YamlNode root = YamlTreeReader.read(text, sourceName);
        if (root == null) {
            throw new ConfigException(sourceName, 1, 1, "no channel found (the document is empty)");
        }
        return loader.channel(root, "channel", new HashMap<>(), new HashMap<>());
    }

    private StreamRepeaterConfig config(YamlNode root) {
        if (root == null) {
            throw new ConfigException(
                    source,
                    1,
                    1,
                    "no configuration found (the document is empty); expected keys "
                            + String.join(", ", TOP_LEVEL_KEYS));
        }
        YamlNode.Mapping top = mapping(root, "");
        List<ConfigException> problems = new ArrayList<>();
        attempt(problems, () -> {
            allowOnly(top, "", TOP_LEVEL_KEYS);
            return null;
        });
        ServerConfig server = attempt(
                problems, () -> optional(top, "server").map(this::server).orElseGet(ServerConfig::defaults));
        List<ChannelConfig> channels = attempt(
                problems, () -> optional(top, "channels").map(this::channels).orElseGet(List::of));
        if (!problems.isEmpty()) {
            throw ConfigException.combine(flatten(problems));
        }
        return build(root, () -> new StreamRepeaterConfig(server, channels));
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

    private ServerConfig server(YamlNode node) {
        String path = "server";
        YamlNode.Mapping server = mapping(node, path);
        allowOnly(server, path, SERVER_KEYS);
        int rtmpPort = port(server, "rtmpPort", ServerConfig.DEFAULT_RTMP_PORT);
        int srtPort = port(server, "srtPort", ServerConfig.DEFAULT_SRT_PORT);
        int httpPort = port(server, "httpPort", ServerConfig.DEFAULT_HTTP_PORT);
        if (httpPort != 0 && httpPort == rtmpPort) {
            YamlNode at = optional(server, "httpPort").orElseThrow();
            throw error(at.position(), "httpPort " + httpPort + " is already used by rtmpPort; TCP ports must differ");
        }
        Path dataDir =
                optional(server, "dataDir").map(value -> dataDir(value, path)).orElse(ServerConfig.DEFAULT_DATA_DIR);
        String adminToken = optional(server, "adminToken")
                .map(value -> rule(value, () -> ConfigRules.requireAdminTokenOrNull(text(value, "adminToken", path))))
                .orElse(null);
        TlsConfig tls =
                optional(server, "tls").map(value -> tls(value, path + ".tls")).orElse(null);
        int rtmpsPort = optional(server, "rtmpsPort")
                .map(value -> rule(
                        value,
                        () -> ConfigRules.requireRtmpsPort(
                                ConfigRules.requirePort("rtmpsPort", integer(value, "rtmpsPort", path)),
                                rtmpPort,
                                httpPort,
                                tls != null)))
                .orElse(0);
        LimitsConfig limits = optional(server, "limits")
                .map(value -> limits(value, path + ".limits"))
                .orElseGet(LimitsConfig::defaults);
        int srtLatencyMs = optional(server, "srtLatencyMs")
                .map(value -> rule(value, () -> ConfigRules.requireSrtLatency(integer(value, "srtLatencyMs", path))))
                .orElse(ServerConfig.DEFAULT_SRT_LATENCY_MS);
        List<String> webhookHosts = optional(server, "webhookHosts")
                .map(value -> webhookHosts(value, path))
                .orElse(List.of());
        return build(
                node,
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

    private List<String> webhookHosts(YamlNode node, String path) {
        YamlNode.Sequence sequence = sequence(node, path + ".webhookHosts");
        List<String> rules = new ArrayList<>();
        for (YamlNode item : sequence.items()) {
            rules.add(rule(item, () -> WebhookHosts.requireRule(text(item, "webhookHosts", path))));
        }
        return rules;
    }

    private TlsConfig tls(YamlNode node, String path) {
        YamlNode.Mapping tls = mapping(node, path);
        allowOnly(tls, path, TLS_KEYS);
        Path certFile = file(required(tls, "certFile", path), "certFile", path);
        Path keyFile = file(required(tls, "keyFile", path), "keyFile", path);
        return build(node, () -> new TlsConfig(certFile, keyFile));
    }

    private Path file(YamlNode value, String key, String path) {
        String text = text(value, key, path);
        if (text.isBlank()) {
            throw error(value.position(), key + " in " + path + " must name a file");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw error(
                    value.position(), key + " '" + text + "' in " + path + " is not a valid path: " + e.getReason());
        }
    }

    private LimitsConfig limits(YamlNode node, String path) {
        YamlNode.Mapping limits = mapping(node, path);
        allowOnly(limits, path, LIMITS_KEYS);
        int handshakeTimeoutMs = between(
                limits,
                path,
                "handshakeTimeoutMs",
                LimitsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MS,
                LimitsConfig.MIN_HANDSHAKE_TIMEOUT_MS,
                LimitsConfig.MAX_HANDSHAKE_TIMEOUT_MS);
        int publishTimeoutMs = between(
                limits,
                path,
                "publishTimeoutMs",
                LimitsConfig.DEFAULT_PUBLISH_TIMEOUT_MS,
                LimitsConfig.MIN_HANDSHAKE_TIMEOUT_MS,
                LimitsConfig.MAX_PUBLISH_TIMEOUT_MS);
        int maxChunkSize = between(
                limits,
                path,
                "maxChunkSize",
                LimitsConfig.DEFAULT_MAX_CHUNK_SIZE,
                LimitsConfig.MIN_CHUNK_SIZE,
                LimitsConfig.MAX_24_BIT);
        int maxMessageSize = between(
                limits,
                path,
                "maxMessageSize",
                LimitsConfig.DEFAULT_MAX_MESSAGE_SIZE,
                LimitsConfig.MIN_MESSAGE_SIZE,
                LimitsConfig.MAX_24_BIT);
        int maxConnections = between(
                limits, path, "maxConnections", LimitsConfig.DEFAULT_MAX_CONNECTIONS, 1, LimitsConfig.MAX_CONNECTIONS);
        int maxConnectionsPerAddress = between(
                limits,
                path,
                "maxConnectionsPerAddress",
                LimitsConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                1,
                LimitsConfig.MAX_CONNECTIONS);
        int maxPendingBytes =
                between(limits, path, "maxPendingBytes", LimitsConfig.DEFAULT_MAX_PENDING_BYTES, 1, Integer.MAX_VALUE);
        // A rule between two keys is reported at the second one, or at the section when it is left to its default.
        rule(optional(limits, "publishTimeoutMs").orElse(node), () -> {
            LimitsConfig.requirePublishAfterHandshake(publishTimeoutMs, handshakeTimeoutMs);
            return null;
        });
        rule(optional(limits, "maxPendingBytes").orElse(node), () -> {
            LimitsConfig.requirePendingFitsMessage(maxPendingBytes, maxMessageSize);
            return null;
        });
        int prePublishMaxMessageSize = between(
                limits,
                path,
                "prePublishMaxMessageSize",
                Math.min(LimitsConfig.DEFAULT_PRE_PUBLISH_MAX_MESSAGE_SIZE, maxMessageSize),
                LimitsConfig.MIN_MESSAGE_SIZE,
                maxMessageSize);
        int prePublishPendingBytesTotal = between(
                limits,
                path,
                "prePublishPendingBytesTotal",
                LimitsConfig.DEFAULT_PRE_PUBLISH_PENDING_BYTES_TOTAL,
                LimitsConfig.MIN_PRE_PUBLISH_PENDING_BYTES_TOTAL,
                Integer.MAX_VALUE);
        int pendingBytesTotal = between(
                limits, path, "pendingBytesTotal", LimitsConfig.DEFAULT_PENDING_BYTES_TOTAL, 0, Integer.MAX_VALUE);
        return build(
                node,
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

    private int between(YamlNode.Mapping mapping, String path, String key, int defaultValue, int minimum, int maximum) {
        return optional(mapping, key)
                .map(value ->
                        rule(value, () -> ConfigRules.requireBetween(key, integer(value, key, path), minimum, maximum)))
                .orElse(defaultValue);
    }

    private int port(YamlNode.Mapping server, String key, int defaultPort) {
        return optional(server, key)
                .map(value -> rule(value, () -> ConfigRules.requirePort(key, integer(value, key, "server"))))
                .orElse(defaultPort);
    }

    private Path dataDir(YamlNode value, String path) {
        String text = text(value, "dataDir", path);
        if (text.isBlank()) {
            throw error(value.position(), "dataDir must name a directory");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw error(value.position(), "dataDir '" + text + "' is not a valid path: " + e.getReason());
        }
    }

    private List<ChannelConfig> channels(YamlNode node) {
        YamlNode.Sequence sequence = sequence(node, "channels");
        List<ChannelConfig> channels = new ArrayList<>();
        Map<String, Integer> lineOfChannelName = new HashMap<>();
        Map<String, String> firstUseOfKey = new HashMap<>();
        List<ConfigException> problems = new ArrayList<>();
        int index = 0;
        for (YamlNode item : sequence.items()) {
            String path = "channels[" + index++ + "]";
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
            YamlNode node, String path, Map<String, Integer> lineOfChannelName, Map<String, String> firstUseOfKey) {
        YamlNode.Mapping channel = mapping(node, path);
        // each section is checked on its own, so that one pass reports every problem of the channel
        List<ConfigException> problems = new ArrayList<>();
        attempt(problems, () -> {
            allowOnly(channel, path, CHANNEL_KEYS);
            return null;
        });
        String name = attempt(problems, () -> {
            YamlNode nameNode = required(channel, "name", path);
            String checked = rule(nameNode, () -> ConfigRules.requireName("channel", text(nameNode, "name", path)));
            Integer earlier =
                    lineOfChannelName.putIfAbsent(checked, nameNode.position().line());
            if (earlier != null) {
                throw error(
                        nameNode.position(),
                        "duplicate channel name '" + checked + "' (first at line " + earlier + ")");
            }
            return checked;
        });
        List<InputConfig> inputs =
                attempt(problems, () -> inputs(required(channel, "inputs", path), path + ".inputs", firstUseOfKey));
        FailoverConfig failover = attempt(
                problems,
                () -> optional(channel, "failover")
                        .map(value -> failover(value, path + ".failover"))
                        .orElseGet(FailoverConfig::defaults));
        String slate = attempt(
                problems,
                () -> optional(channel, "slate")
                        .map(value -> rule(value, () -> ConfigRules.requireSlateOrNull(text(value, "slate", path))))
                        .orElse(null));
        List<DestinationConfig> destinations = attempt(
                problems,
                () -> optional(channel, "destinations")
                        .map(value -> destinations(value, path + ".destinations"))
                        .orElseGet(List::of));
        RelayConfig relay = attempt(
                problems,
                () -> optional(channel, "relay")
                        .map(value -> relay(value, path + ".relay"))
                        .orElseGet(RelayConfig::defaults));
        List<WebhookConfig> webhooks = attempt(
                problems,
                () -> optional(channel, "webhooks")
                        .map(value -> webhooks(value, path + ".webhooks"))
                        .orElseGet(List::of));
        if (!problems.isEmpty()) {
            throw ConfigException.combine(problems);
        }
        return build(node, () -> new ChannelConfig(name, inputs, failover, slate, destinations, relay, webhooks));
    }

    private List<WebhookConfig> webhooks(YamlNode node, String path) {
        YamlNode.Sequence sequence = sequence(node, path);
        List<WebhookConfig> webhooks = new ArrayList<>();
        Map<String, Integer> lineOfUrl = new HashMap<>();
        for (YamlNode item : sequence.items()) {
            String itemPath = path + "[" + webhooks.size() + "]";
            YamlNode.Mapping webhook = mapping(item, itemPath);
            allowOnly(webhook, itemPath, WEBHOOK_KEYS);
            YamlNode urlNode = required(webhook, "url", itemPath);
            String url = rule(urlNode, () -> ConfigRules.requireWebhookUrl(text(urlNode, "url", itemPath)));
            Integer earlier = lineOfUrl.putIfAbsent(url, urlNode.position().line());
            if (earlier != null) {
                throw error(
                        urlNode.position(),
                        "duplicate webhook url in " + parentOf(path) + " (first at line " + earlier + ")");
            }
            YamlNode secretNode = required(webhook, "secret", itemPath);
            String secret =
                    rule(secretNode, () -> ConfigRules.requireWebhookSecret(url, text(secretNode, "secret", itemPath)));
            webhooks.add(build(item, () -> new WebhookConfig(url, secret)));
        }
        return webhooks;
    }

    private RelayConfig relay(YamlNode node, String path) {
        YamlNode.Mapping relay = mapping(node, path);
        allowOnly(relay, path, RELAY_KEYS);
        int retryMaxMs = optional(relay, "retryMaxMs")
                .map(value -> rule(
                        value,
                        () -> ConfigRules.requireBetween(
                                "retryMaxMs",
                                integer(value, "retryMaxMs", path),
                                RelayConfig.MIN_RETRY_MAX_MS,
                                RelayConfig.MAX_RETRY_MAX_MS)))
                .orElse(RelayConfig.DEFAULT_RETRY_MAX_MS);
        int stallTimeoutMs = optional(relay, "stallTimeoutMs")
                .map(value -> rule(
                        value,
                        () -> ConfigRules.requireBetween(
                                "stallTimeoutMs",
                                integer(value, "stallTimeoutMs", path),
                                RelayConfig.MIN_STALL_TIMEOUT_MS,
                                RelayConfig.MAX_STALL_TIMEOUT_MS)))
                .orElse(RelayConfig.DEFAULT_STALL_TIMEOUT_MS);
        return build(node, () -> new RelayConfig(retryMaxMs, stallTimeoutMs));
    }

    private List<InputConfig> inputs(YamlNode node, String path, Map<String, String> firstUseOfKey) {
        YamlNode.Sequence sequence = sequence(node, path);
        if (sequence.items().isEmpty()) {
            throw error(sequence.position(), path + " is empty; a channel needs at least one input");
        }
        List<InputConfig> inputs = new ArrayList<>();
        Map<String, Integer> lineOfName = new HashMap<>();
        for (YamlNode item : sequence.items()) {
            String itemPath = path + "[" + inputs.size() + "]";
            YamlNode.Mapping input = mapping(item, itemPath);
            allowOnly(input, itemPath, INPUT_KEYS);
            YamlNode nameNode = required(input, "name", itemPath);
            String name = rule(nameNode, () -> ConfigRules.requireName("input", text(nameNode, "name", itemPath)));
            Integer earlierName =
                    lineOfName.putIfAbsent(name, nameNode.position().line());
            if (earlierName != null) {
                throw error(
                        nameNode.position(),
                        "duplicate input name '" + name + "' in " + parentOf(path) + " (first at line " + earlierName
                                + ")");
            }
            YamlNode keyNode = required(input, "key", itemPath);
            String key = rule(keyNode, () -> ConfigRules.requireNewInputKey(name, text(keyNode, "key", itemPath)));
            String earlierKey = firstUseOfKey.putIfAbsent(
                    key, itemPath + " (line " + keyNode.position().line() + ")");
            if (earlierKey != null) {
                throw error(
                        keyNode.position(),
                        "key of " + itemPath + " is already used by " + earlierKey
                                + "; each input key must be unique across all channels");
            }
            boolean allowTakeover = optional(input, "allowTakeover")
                    .map(value -> bool(value, "allowTakeover", itemPath))
                    .orElse(InputConfig.DEFAULT_ALLOW_TAKEOVER);
            String srtPassphrase = optional(input, "srtPassphrase")
                    .map(value -> rule(
                            value,
                            () -> ConfigRules.requireSrtPassphrase(name, text(value, "srtPassphrase", itemPath))))
                    .orElse(null);
            inputs.add(build(item, () -> new InputConfig(name, key, allowTakeover, srtPassphrase)));
        }
        return inputs;
    }

    private FailoverConfig failover(YamlNode node, String path) {
        YamlNode.Mapping failover = mapping(node, path);
        allowOnly(failover, path, FAILOVER_KEYS);
        int inputLossMs = optional(failover, "inputLossMs")
                .map(value -> rule(
                        value,
                        () -> ConfigRules.requireAtLeast(
                                "inputLossMs", integer(value, "inputLossMs", path), FailoverConfig.MIN_INPUT_LOSS_MS)))
                .orElse(FailoverConfig.DEFAULT_INPUT_LOSS_MS);
        Failback failback = optional(failover, "failback")
                .map(value -> choice(value, "failback", path, Failback.values(), Failback::yamlName))
                .orElse(FailoverConfig.DEFAULT_FAILBACK);
        int clearMs = optional(failover, "clearMs")
                .map(value ->
                        rule(value, () -> ConfigRules.requireAtLeast("clearMs", integer(value, "clearMs", path), 0)))
                .orElse(FailoverConfig.DEFAULT_CLEAR_MS);
        StartMode start = optional(failover, "start")
                .map(value -> choice(value, "start", path, StartMode.values(), StartMode::yamlName))
                .orElse(FailoverConfig.DEFAULT_START);
        Timeline timeline = optional(failover, "timeline")
                .map(value -> choice(value, "timeline", path, Timeline.values(), Timeline::yamlName))
                .orElse(FailoverConfig.DEFAULT_TIMELINE);
        FailoverConfig.LowBitrate lowBitrate = optional(failover, "lowBitrate")
                .map(value -> lowBitrate(value, path + ".lowBitrate"))
                .orElse(null);
        return build(node, () -> new FailoverConfig(inputLossMs, failback, clearMs, start, timeline, lowBitrate));
    }

    private FailoverConfig.LowBitrate lowBitrate(YamlNode node, String path) {
        YamlNode.Mapping lowBitrate = mapping(node, path);
        allowOnly(lowBitrate, path, LOW_BITRATE_KEYS);
        YamlNode below = required(lowBitrate, "belowKbps", path);
        int belowKbps = rule(
                below,
                () -> ConfigRules.requireBetween(
                        "belowKbps", integer(below, "belowKbps", path), 1, FailoverConfig.LowBitrate.MAX_BELOW_KBPS));
        YamlNode duration = required(lowBitrate, "forMs", path);
        int forMs = rule(
                duration,
                () -> ConfigRules.requireBetween(
                        "forMs",
                        integer(duration, "forMs", path),
                        FailoverConfig.LowBitrate.MIN_FOR_MS,
                        FailoverConfig.LowBitrate.MAX_FOR_MS));
        return build(node, () -> new FailoverConfig.LowBitrate(belowKbps, forMs));
    }

    private List<DestinationConfig> destinations(YamlNode node, String path) {
        YamlNode.Sequence sequence = sequence(node, path);
        List<DestinationConfig> destinations = new ArrayList<>();
        Map<String, Integer> lineOfName = new HashMap<>();
        for (YamlNode item : sequence.items()) {
            String itemPath = path + "[" + destinations.size() + "]";
            YamlNode.Mapping destination = mapping(item, itemPath);
            allowOnly(destination, itemPath, DESTINATION_KEYS);
            YamlNode nameNode = required(destination, "name", itemPath);
            String name =
                    rule(nameNode, () -> ConfigRules.requireName("destination", text(nameNode, "name", itemPath)));
            Integer earlierName =
                    lineOfName.putIfAbsent(name, nameNode.position().line());
            if (earlierName != null) {
                throw error(
                        nameNode.position(),
                        "duplicate destination name '" + name + "' in " + parentOf(path) + " (first at line "
                                + earlierName + ")");
            }
            YamlNode urlNode = required(destination, "url", itemPath);
            String url = rule(urlNode, () -> ConfigRules.requireDestinationUrl(name, text(urlNode, "url", itemPath)));
            boolean enabled = optional(destination, "enabled")
                    .map(value -> bool(value, "enabled", itemPath))
                    .orElse(DestinationConfig.DEFAULT_ENABLED);
            String backupUrl = optional(destination, "backupUrl")
                    .map(value -> rule(
                            value,
                            () -> ConfigRules.requireDestinationUrl(
                                    name, text(value, "backupUrl", itemPath), "backupUrl")))
                    .orElse(null);
            DestinationMode mode = optional(destination, "mode")
                    .map(value -> {
                        DestinationMode chosen =
                                choice(value, "mode", itemPath, DestinationMode.values(), DestinationMode::yamlName);
                        if (backupUrl == null) {
                            throw error(
                                    value.position(),
                                    "mode of destination '" + name + "' needs a backupUrl" + " in " + itemPath);
                        }
                        return chosen;
                    })
                    .orElse(null);
            destinations.add(build(item, () -> new DestinationConfig(name, url, enabled, backupUrl, mode)));
        }
        return destinations;
    }

    // ---- shapes and scalars; each failure names the key and its place ----

    private YamlNode.Mapping mapping(YamlNode node, String path) {
        if (node instanceof YamlNode.Mapping mapping) {
            return mapping;
        }
        throw error(
                node.position(),
                YamlTreeReader.describe(path) + " must be a mapping (key: value), got " + node.description());
    }

    private YamlNode.Sequence sequence(YamlNode node, String path) {
        if (node instanceof YamlNode.Sequence sequence) {
            return sequence;
        }
        throw error(node.position(), path + " must be a list, got " + node.description());
    }

    private void allowOnly(YamlNode.Mapping mapping, String path, List<String> allowed) {
        for (YamlNode.Entry entry : mapping.entries().values()) {
            if (!allowed.contains(entry.key())) {
                throw error(
                        entry.keyPosition(),
                        "unknown key '" + entry.key() + "' " + where(path) + " (allowed: " + String.join(", ", allowed)
                                + ")");
            }
        }
    }

    /** @return the value of the key, or empty when the key is absent or its value is null */
    private static Optional<YamlNode> optional(YamlNode.Mapping mapping, String key) {
        YamlNode.Entry entry = mapping.entries().get(key);
        if (entry == null || (entry.value() instanceof YamlNode.Scalar scalar && scalar.text() == null)) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    private YamlNode required(YamlNode.Mapping mapping, String key, String path) {
        YamlNode.Entry entry = mapping.entries().get(key);
        if (entry == null) {
            throw error(mapping.position(), "missing key '" + key + "' " + where(path));
        }
        if (entry.value() instanceof YamlNode.Scalar scalar && scalar.text() == null) {
            throw error(entry.value().position(), "missing value for '" + key + "' " + where(path));
        }
        return entry.value();
    }

    private String text(YamlNode node, String key, String path) {
        if (node instanceof YamlNode.Scalar scalar && scalar.text() != null) {
            if (scalar.text().contains(DestinationUrl.MASK)) {
                // what "export" writes in place of a secret: loading it would replace the real one with ****
                throw error(
                        node.position(),
                        "'" + key + "' " + where(path) + " holds a masked secret (****): this"
                                + " file is a masked export; export with --show-secrets to get one that can be applied");
            }
            return scalar.text();
        }
        throw error(
                node.position(), "'" + key + "' " + where(path) + " must be a single value, got " + node.description());
    }

    private int integer(YamlNode node, String key, String path) {
        String text = text(node, key, path);
        if (WHOLE_NUMBER.matcher(text).matches()) {
            long value = Long.parseLong(text);
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw error(node.position(), key + " must be a whole number, got '" + text + "'");
    }

    private boolean bool(YamlNode node, String key, String path) {
        String text = text(node, key, path);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw error(node.position(), key + " must be true or false, got '" + text + "'");
    }

    private <E extends Enum<E>> E choice(
            YamlNode node, String key, String path, E[] values, Function<E, String> spelling) {
        String text = text(node, key, path);
        List<String> spellings = new ArrayList<>();
        for (E value : values) {
            if (spelling.apply(value).equals(text)) {
                return value;
            }
            spellings.add(spelling.apply(value));
        }
        throw error(node.position(), key + " '" + text + "' must be one of " + String.join(", ", spellings));
    }

    /** Runs a value rule; its {@link IllegalArgumentException} becomes an error at the value's position. */
    private <T> T rule(YamlNode node, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw error(node.position(), e.getMessage());
        }
    }

    /** Builds a record; a rule the checks above missed is still reported at the node it came from. */
    private <T> T build(YamlNode node, Supplier<T> constructor) {
        return rule(node, constructor);
    }

    private ConfigException error(YamlNode.Position position, String problem) {
        return new ConfigException(source, position.line(), position.column(), problem);
    }

    private static String where(String path) {
        return path.isEmpty() ? "at the top level" : "in " + path;
    }

    /** {@code channels[0].inputs} -> {@code channels[0]}. */
    private static String parentOf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }
}
