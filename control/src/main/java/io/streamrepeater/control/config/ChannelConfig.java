package io.streamrepeater.control.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One broadcast: its inputs in priority order, failover policy, optional slate and destinations.
 *
 * @param name channel name, {@code [a-z0-9-]+}, unique
 * @param inputs at least one; the first is the primary; names and keys unique
 * @param failover the failover policy
 * @param slate file played when no input is healthy, or null for none
 * @param destinations where the output goes (may be empty); names unique
 * @param relay how the destinations are supervised (backoff cap, stall timeout)
 * @param webhooks receivers of the channel's events (may be empty); URLs unique
 */
public record ChannelConfig(
        String name,
        List<InputConfig> inputs,
        FailoverConfig failover,
        String slate,
        List<DestinationConfig> destinations,
        RelayConfig relay,
        List<WebhookConfig> webhooks) {

    /**
     * The most destinations one channel may have: every one is a connection fed from the channel's own event loop,
     * and far beyond what a broadcast sends to (a handful of platforms and their backup ingests).
     */
    public static final int MAX_DESTINATIONS = 100;

    public ChannelConfig {
        ConfigRules.requireName("channel", name);
        inputs = List.copyOf(inputs);
        destinations = List.copyOf(destinations);
        webhooks = List.copyOf(webhooks);
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(relay, "relay");
        ConfigRules.requireSlateOrNull(slate);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("channel '" + name + "' needs at least one input");
        }
        if (destinations.size() > MAX_DESTINATIONS) {
            throw new IllegalArgumentException("channel '" + name + "' has " + destinations.size()
                    + " destinations; at most " + MAX_DESTINATIONS + " (split the platforms over several channels)");
        }
        Set<String> inputNames = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (InputConfig input : inputs) {
            if (!inputNames.add(input.name())) {
                throw new IllegalArgumentException(
                        "duplicate input name '" + input.name() + "' in channel '" + name + "'");
            }
            if (!keys.add(input.key())) {
                throw new IllegalArgumentException("input '" + input.name() + "' of channel '" + name
                        + "' has the same key as another input; each input key must be unique");
            }
        }
        Set<String> destinationNames = new HashSet<>();
        for (DestinationConfig destination : destinations) {
            if (!destinationNames.add(destination.name())) {
                throw new IllegalArgumentException(
                        "duplicate destination name '" + destination.name() + "' in channel '" + name + "'");
            }
        }
        Set<String> webhookUrls = new HashSet<>();
        for (WebhookConfig webhook : webhooks) {
            if (!webhookUrls.add(webhook.url())) {
                throw new IllegalArgumentException(
                        "duplicate webhook url '" + webhook.maskedUrl() + "' in channel '" + name + "'");
            }
        }
    }

    /** A channel without webhooks. */
    public ChannelConfig(
            String name,
            List<InputConfig> inputs,
            FailoverConfig failover,
            String slate,
            List<DestinationConfig> destinations,
            RelayConfig relay) {
        this(name, inputs, failover, slate, destinations, relay, List.of());
    }

    /** A channel with the default destination supervision ({@link RelayConfig#defaults()}). */
    public ChannelConfig(
            String name,
            List<InputConfig> inputs,
            FailoverConfig failover,
            String slate,
            List<DestinationConfig> destinations) {
        this(name, inputs, failover, slate, destinations, RelayConfig.defaults());
    }

    /** @return this channel with other inputs, everything else kept (webhooks included) */
    public ChannelConfig withInputs(List<InputConfig> newInputs) {
        return new ChannelConfig(name, newInputs, failover, slate, destinations, relay, webhooks);
    }

    /** @return this channel with other destinations, everything else kept */
    public ChannelConfig withDestinations(List<DestinationConfig> newDestinations) {
        return new ChannelConfig(name, inputs, failover, slate, newDestinations, relay, webhooks);
    }
}
