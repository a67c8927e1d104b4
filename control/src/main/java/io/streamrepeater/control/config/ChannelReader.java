package io.streamrepeater.control.config;

import io.streamrepeater.control.config.YamlBinding.Located;
import io.streamrepeater.control.config.YamlBinding.Scalar;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import io.streamrepeater.status.platform.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads entries of {@code channels:} (or one channel alone, the body of an API request): name, inputs, failover,
 * slate, destinations, relay and webhooks. Channel names and input keys must be unique across all the channels one
 * reader reads. The sections of a channel are checked on their own, so that one pass reports every problem.
 */
final class ChannelReader {
    private final ConfigValues values;
    private final Map<String, Integer> lineOfChannelName = new HashMap<>();
    private final Map<String, String> firstUseOfKey = new HashMap<>();

    ChannelReader(ConfigValues values) {
        this.values = values;
    }

    /** @param path how messages call the channel, e.g. {@code channels[0]} */
    ChannelConfig read(Located<ConfigShape.Channel> node, String path) {
        ConfigShape.Channel channel = ConfigValues.section(node);
        // each section is checked on its own, so that one pass reports every problem of the channel
        Problems problems = new Problems();
        problems.attempt(() -> values.allowOnly(path));
        String name = problems.attempt(() -> {
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
        List<InputConfig> inputs = problems.attempt(
                () -> inputs(values.required(channel.inputs(), node, "inputs", path), path + ".inputs"));
        FailoverConfig failover = problems.attempt(() -> ConfigValues.optional(channel.failover())
                .map(value -> failover(value, path + ".failover"))
                .orElseGet(FailoverConfig::defaults));
        String slate = problems.attempt(() -> ConfigValues.optional(channel.slate())
                .map(value ->
                        values.rule(value, () -> ConfigRules.requireSlateOrNull(values.text(value, "slate", path))))
                .orElse(null));
        List<DestinationConfig> destinations = problems.attempt(() -> ConfigValues.optional(channel.destinations())
                .map(value -> destinations(value, path + ".destinations"))
                .orElseGet(List::of));
        RelayConfig relay = problems.attempt(() -> ConfigValues.optional(channel.relay())
                .map(value -> relay(value, path + ".relay"))
                .orElseGet(RelayConfig::defaults));
        List<WebhookConfig> webhooks = problems.attempt(() -> ConfigValues.optional(channel.webhooks())
                .map(value -> webhooks(value, path + ".webhooks"))
                .orElseGet(List::of));
        problems.throwIfAny();
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
            values.unique(lineOfUrl, url, urlNode, "duplicate webhook url in " + YamlPaths.parentOf(path));
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
        int retryMaxMs = values.between(
                relay.retryMaxMs(),
                "retryMaxMs",
                path,
                RelayConfig.DEFAULT_RETRY_MAX_MS,
                RelayConfig.MIN_RETRY_MAX_MS,
                RelayConfig.MAX_RETRY_MAX_MS);
        int stallTimeoutMs = values.between(
                relay.stallTimeoutMs(),
                "stallTimeoutMs",
                path,
                RelayConfig.DEFAULT_STALL_TIMEOUT_MS,
                RelayConfig.MIN_STALL_TIMEOUT_MS,
                RelayConfig.MAX_STALL_TIMEOUT_MS);
        return values.build(node.at(), () -> new RelayConfig(retryMaxMs, stallTimeoutMs));
    }

    private List<InputConfig> inputs(Located<List<Located<ConfigShape.Input>>> node, String path) {
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
            String name = name(input.name(), "input", item, itemPath, lineOfName, path);
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
            String name = name(destination.name(), "destination", item, itemPath, lineOfName, path);
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
            Platform platform = ConfigValues.optional(destination.platform())
                    .map(value -> values.choice(value, "platform", itemPath, Platform.values(), Platform::yamlName))
                    .orElse(null);
            destinations.add(values.build(
                    item.at(), () -> new DestinationConfig(name, url, enabled, backupUrl, mode, platform)));
        }
        return destinations;
    }

    /**
     * The name of an input or a destination, unique in its list.
     *
     * @param kind "input" or "destination", as messages say it
     * @param listPath the list the item is in, e.g. {@code channels[0].inputs}
     */
    private String name(
            Scalar value,
            String kind,
            Located<?> item,
            String itemPath,
            Map<String, Integer> lineOfName,
            String listPath) {
        Scalar nameNode = values.required(value, item, "name", itemPath);
        String name =
                values.rule(nameNode, () -> ConfigRules.requireName(kind, values.text(nameNode, "name", itemPath)));
        values.unique(
                lineOfName,
                name,
                nameNode,
                "duplicate " + kind + " name '" + name + "' in " + YamlPaths.parentOf(listPath));
        return name;
    }
}
