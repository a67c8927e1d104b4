package io.streamrepeater.channel;

import io.streamrepeater.media.MediaPacket;

/** The consumer of a channel's output timeline (the relay). Called on the channel's event loop. */
@FunctionalInterface
public interface ChannelOutput {
    /**
     * One packet of the output timeline, timestamps already rebased.
     *
     * @param packet borrowed: valid for the duration of the call; retain it to keep it
     */
    void packet(MediaPacket packet);
}
