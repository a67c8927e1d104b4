package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.streamrepeater.channel.InputSpec;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.DestinationEvent;
import io.streamrepeater.status.DestinationState;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The channel as its relay sees it: a destination's state changes join the channel's own events. */
class LiveChannelRelaySourceTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final LiveChannel channel = new LiveChannel("show", List.of(new InputSpec("primary", true)), loop);
    private final LiveChannelRelaySource source = new LiveChannelRelaySource(channel);

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aDestinationEventBecomesAChannelEventWithTheStateNames() {
        source.destinationEvent(
                new DestinationEvent(Instant.now(), "show", "yt", null, DestinationState.CONNECTING, "added"));
        source.destinationEvent(new DestinationEvent(
                Instant.now(), "show", "yt", DestinationState.CONNECTING, DestinationState.LIVE, "publishing"));

        List<ChannelEvent> events = channel.events().since(-1).stream()
                .filter(e -> e.type() == ChannelEventType.DESTINATION_STATE)
                .toList();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).destination()).isEqualTo("yt");
        assertThat(events.get(0).from()).isNull();
        assertThat(events.get(0).to()).isEqualTo("CONNECTING");
        assertThat(events.get(0).reason()).isEqualTo("added");
        assertThat(events.get(1).from()).isEqualTo("CONNECTING");
        assertThat(events.get(1).to()).isEqualTo("LIVE");
        assertThat(events.get(1).channel()).isEqualTo("show");
        assertThat(source.name()).isEqualTo("show");
    }

    @Test
    void aChannelWithoutMediaHasNothingToReplay() throws Exception {
        assertThat(loop.submit(source::startupPackets).get(5, TimeUnit.SECONDS)).isEmpty();
    }
}
