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
 */
public record ChannelConfig(String name, List<InputConfig> inputs, FailoverConfig failover, String slate,
                            List<DestinationConfig> destinations, RelayConfig relay) {

    public ChannelConfig {
        ConfigRules.requireName("channel", name);
        inputs = List.copyOf(inputs);
        destinations = List.copyOf(destinations);
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(relay, "relay");
        ConfigRules.requireSlateOrNull(slate);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("channel '" + name + "' needs at least one input");
        }
        Set<String> inputNames = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (InputConfig input : inputs) {
            if (!inputNames.add(input.name())) {
                throw new IllegalArgumentException("duplicate input name '" + input.name() + "' in channel '" + name + "'");
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
    }

    /** A channel with the default destination supervision ({@link RelayConfig#defaults()}). */
    public ChannelConfig(String name, List<InputConfig> inputs, FailoverConfig failover, String slate,
                         List<DestinationConfig> destinations) {
        this(name, inputs, failover, slate, destinations, RelayConfig.defaults());
    }
}
