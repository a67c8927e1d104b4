package io.streamrepeater.control.metrics;

import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.LatencySnapshot;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A server for metrics tests: channel snapshots from a lambda, no events, no latency samples yet. */
record StubMetricsSource(Supplier<List<ChannelStatus>> snapshots) implements MetricsSource {
    @Override
    public List<ChannelStatus> channels() {
        return snapshots.get();
    }

    @Override
    public void subscribe(Consumer<ChannelEvent> listener) {}

    @Override
    public LatencySnapshot relayLatency() {
        return new LatencySnapshot(0, 0, 0, 0, 0, 0);
    }
}
