package io.streamrepeater.status;

import java.util.List;

/**
 * Snapshot of one channel; {@code activeInput} is null while no input feeds the destinations.
 *
 * @param owner in a cluster, the node that holds the channel's lease and relays it (its destinations are connected
 *     there; another node lists none); null on a single node, or while no node holds it
 */
public record ChannelStatus(
        String name,
        String activeInput,
        List<InputStatus> inputs,
        List<DestinationStatus> destinations,
        Compatibility compatibility,
        String owner) {
    public ChannelStatus {
        inputs = List.copyOf(inputs);
        destinations = List.copyOf(destinations);
    }

    /** A channel on a single node (no owner). */
    public ChannelStatus(
            String name,
            String activeInput,
            List<InputStatus> inputs,
            List<DestinationStatus> destinations,
            Compatibility compatibility) {
        this(name, activeInput, inputs, destinations, compatibility, null);
    }

    /** The same snapshot with the owner named. */
    public ChannelStatus withOwner(String node) {
        return new ChannelStatus(name, activeInput, inputs, destinations, compatibility, node);
    }
}
