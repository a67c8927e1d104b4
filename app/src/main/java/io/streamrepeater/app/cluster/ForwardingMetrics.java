package io.streamrepeater.app.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics of this node's forwarding to other nodes (issue 19's {@code streamrepeater_cluster_*}), read from the
 * forwarders' status at each scrape: {@value #FORWARDED_INPUTS}, the inputs whose link to their owner is live now,
 * and {@value #FORWARDED_BYTES}, every byte sent over the links since start (a forwarder's bytes stay counted after it
 * stops). Thread-safe.
 */
public final class ForwardingMetrics {
    public static final String FORWARDED_INPUTS = "streamrepeater_cluster_forwarded_inputs";
    public static final String FORWARDED_BYTES = "streamrepeater_cluster_forwarded_bytes_total";

    private final Set<InputForwarder> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesOfStopped = new AtomicLong();

    /** Counts a forwarder that started. */
    public void add(InputForwarder forwarder) {
        running.add(forwarder);
    }

    /** Stops counting a forwarder as running; its bytes stay in the total. Call once it stopped. */
    public void remove(InputForwarder forwarder) {
        if (running.remove(forwarder)) {
            DestinationStatus s = forwarder.status();
            bytesOfStopped.addAndGet(s == null ? 0 : s.bytesSent());
        }
    }

    /** Inputs whose link to their owner is live now. */
    public int forwardedInputs() {
        int live = 0;
        for (InputForwarder f : running) {
            DestinationStatus s = f.status();
            if (s != null && s.state() == DestinationState.LIVE) {
                live++;
            }
        }
        return live;
    }

    /** Bytes sent over every link since start. */
    public long forwardedBytes() {
        long bytes = bytesOfStopped.get();
        for (InputForwarder f : running) {
            DestinationStatus s = f.status();
            bytes += s == null ? 0 : s.bytesSent();
        }
        return bytes;
    }

    /** Registers both meters (the server's {@code StatusMetrics.registry()}). */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(FORWARDED_INPUTS, this, ForwardingMetrics::forwardedInputs)
                .description("Local inputs forwarded to their channel's owner over a live cluster link")
                .register(registry);
        FunctionCounter.builder(FORWARDED_BYTES, this, ForwardingMetrics::forwardedBytes)
                .description("Bytes sent to other nodes over the cluster links since start")
                .register(registry);
    }
}
