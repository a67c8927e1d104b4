package io.streamrepeater.status;

import java.util.List;

/** Snapshot of one channel; {@code activeInput} is null while no input feeds the destinations. */
public record ChannelStatus(
        String name,
        String activeInput,
        List<InputStatus> inputs,
        List<DestinationStatus> destinations,
        Compatibility compatibility) {
    public ChannelStatus {
        inputs = List.copyOf(inputs);
        destinations = List.copyOf(destinations);
    }
}
