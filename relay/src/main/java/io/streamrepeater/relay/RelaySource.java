package io.streamrepeater.relay;

import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.DestinationEvent;
import java.util.List;

/**
 * What a {@link ChannelRelay} needs from the channel it fans out: its name, its output timeline, what a destination
 * that goes live must receive first, and a place for destination events. The composition root adapts the channel to
 * it; the channel does not know the relay.
 */
public interface RelaySource {
    /** The channel's name, for error texts, log lines and events; safe from any thread. */
    String name();

    /**
     * Starts handing every packet of the channel's output timeline (timestamps already rebased) to
     * {@link ChannelRelay#packet}, on the channel's event loop. Called once, from any thread, when the relay is built.
     *
     * @return stops the delivery (safe from any thread); the relay runs it once, when it closes
     */
    Runnable attach(ChannelRelay relay);

    /**
     * What a destination that goes live now must receive first: metadata, sequence headers, then the current GOP from
     * its keyframe, all on the output timeline. Called on the channel's event loop.
     *
     * @return retained packets; the caller releases each
     */
    List<MediaPacket> startupPackets();

    /**
     * A destination changed state: the event joins the channel's own event stream. Called on the channel's event loop;
     * must not block.
     */
    void destinationEvent(DestinationEvent event);
}
