package io.streamrepeater.status;

import io.streamrepeater.status.platform.DestinationPreflight;
import java.util.List;

/**
 * Snapshot of one channel; {@code activeInput} is null while no input feeds the destinations.
 *
 * @param owner in a cluster, the node that holds the channel's lease and relays it (its destinations are connected
 *     there; another node lists none); null on a single node, or while no node holds it
 * @param preflight each destination's platform rules checked against each input that sends media
 */
public record ChannelStatus(
        String name,
        String activeInput,
        List<InputStatus> inputs,
        List<DestinationStatus> destinations,
        Compatibility compatibility,
        String owner,
        List<DestinationPreflight> preflight) {
    public ChannelStatus {
        inputs = List.copyOf(inputs);
        destinations = List.copyOf(destinations);
        preflight = List.copyOf(preflight);
    }

    /** A channel without platform verdicts. */
    public ChannelStatus(
            String name,
            String activeInput,
            List<InputStatus> inputs,
            List<DestinationStatus> destinations,
            Compatibility compatibility,
            String owner) {
        this(name, activeInput, inputs, destinations, compatibility, owner, List.of());
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
        return new ChannelStatus(name, activeInput, inputs, destinations, compatibility, node, preflight);
    }
}
