package io.streamrepeater.app;

import io.streamrepeater.channel.ChannelOutput;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.RelaySource;
import io.streamrepeater.status.DestinationEvent;
import java.util.List;

/** A live channel as its relay sees it: the relay module knows the port, the channel module knows neither. */
final class LiveChannelRelaySource implements RelaySource {
    private final LiveChannel channel;

    LiveChannelRelaySource(LiveChannel channel) {
        this.channel = channel;
    }

    @Override
    public String name() {
        return channel.name();
    }

    @Override
    public Runnable attach(ChannelRelay relay) {
        // one output object per relay, so that the same one is removed again
        ChannelOutput output = relay::packet;
        channel.addOutput(output);
        return () -> channel.removeOutput(output);
    }

    /** @return retained packets; the caller releases each (as {@link LiveChannel#startupPackets()}) */
    @Override
    public List<MediaPacket> startupPackets() {
        return channel.startupPackets();
    }

    @Override
    public void destinationEvent(DestinationEvent e) {
        channel.recordDestinationEvent(
                e.destination(), e.from() == null ? null : e.from().name(), e.to().name(), e.reason());
    }
}
