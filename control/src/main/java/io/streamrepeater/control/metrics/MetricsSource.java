package io.streamrepeater.control.metrics;

import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.LatencySnapshot;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@link StatusMetrics} reads from the running server: the channel snapshots at each scrape, the channel events
 * as they happen, and the relay's added latency. The composition root implements it.
 */
public interface MetricsSource {
    /** Every channel's snapshot now; called on the scraping thread, must not block on the media path. */
    List<ChannelStatus> channels();

    /** Calls {@code listener} for each new event (on a server thread; it must not block). */
    void subscribe(Consumer<ChannelEvent> listener);

    /** The relay's added latency (ingest to socket write, per destination write) since start or the last reset. */
    LatencySnapshot relayLatency();
}
