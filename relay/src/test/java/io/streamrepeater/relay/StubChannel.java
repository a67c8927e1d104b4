package io.streamrepeater.relay;

import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.DestinationEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A channel as the relay sees it, for relay tests: no inputs, start-up packets from a lambda, and a record of what
 * the relay told it. Packets are handed to the relay by the test itself ({@link ChannelRelay#packet}).
 */
final class StubChannel implements RelaySource {
    private final String name;
    private final Supplier<List<MediaPacket>> startupPackets;
    /** Destination events the relay passed on, in order. */
    final List<DestinationEvent> events = new CopyOnWriteArrayList<>();

    private volatile boolean attached;

    /** A channel with nothing to replay to a destination that goes live. */
    StubChannel(String name) {
        this(name, List::of);
    }

    /** @param startupPackets called on the event loop; returns retained packets that the relay releases */
    StubChannel(String name, Supplier<List<MediaPacket>> startupPackets) {
        this.name = name;
        this.startupPackets = startupPackets;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Runnable attach(ChannelRelay relay) {
        attached = true;
        return () -> attached = false;
    }

    /** Whether a relay is attached (attached and not yet closed). */
    boolean attached() {
        return attached;
    }

    @Override
    public List<MediaPacket> startupPackets() {
        return startupPackets.get();
    }

    @Override
    public void destinationEvent(DestinationEvent event) {
        events.add(event);
    }
}
