package io.streamrepeater.app.cluster;

import io.streamrepeater.channel.InputListener;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.RelaySource;
import io.streamrepeater.status.DestinationEvent;
import java.util.List;

/**
 * One input of a channel as a relay's source: the relay fans out that input's own packets (its timestamps, whether
 * it is active or not) instead of the channel's output timeline, and a connection that goes live starts from the
 * input's headers and cached GOP. The cluster link is that relay's one destination.
 */
final class InputTapSource implements RelaySource {
    /** What the forwarder does when the input's encoder comes and goes. */
    interface Sessions {
        void started();

        void ended(String reason);
    }

    private final LiveChannel channel;
    private final String input;
    private final Sessions sessions;

    InputTapSource(LiveChannel channel, String input, Sessions sessions) {
        this.channel = channel;
        this.input = input;
        this.sessions = sessions;
    }

    /** The channel and input, for the relay's log lines ({@code show/backup}). */
    @Override
    public String name() {
        return channel.name() + "/" + input;
    }

    @Override
    public Runnable attach(ChannelRelay relay) {
        InputListener listener = new InputListener() {
            /** @param packet borrowed, as {@link ChannelRelay#packet} takes it */
            @Override
            public void packet(MediaPacket packet) {
                relay.packet(packet);
            }

            @Override
            public void started() {
                sessions.started();
            }

            @Override
            public void ended(String reason) {
                sessions.ended(reason);
            }
        };
        channel.addInputListener(input, listener);
        return () -> channel.removeInputListener(listener);
    }

    /** @return retained packets; the caller releases each (as {@link LiveChannel#inputStartupPackets}) */
    @Override
    public List<MediaPacket> startupPackets() {
        return channel.inputStartupPackets(input);
    }

    /** The link's state changes are logged by the relay; they are not events of the channel. */
    @Override
    public void destinationEvent(DestinationEvent event) {}
}
