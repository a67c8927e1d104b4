package io.streamrepeater.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** A relay the benchmark drives: started for one workload, fed by publishers, measured from /proc. */
interface RelayUnderTest extends AutoCloseable {

    /** Short label for the report, e.g. {@code stream-repeater}. */
    String label();

    /** Where the publisher of channel {@code channel} (1-based) publishes. */
    String ingestUrl(int channel);

    /**
     * The relay's processes, the only ones whose CPU and memory are counted (one for a relay in one process; nginx-rtmp
     * and its TLS tunnel, or one ffmpeg per destination, for the relays made of several).
     */
    List<Long> pids();

    /** Every publisher has been started: a relay that pulls from an ingest (ffmpeg per destination) starts now. */
    default void publishersStarted() {}

    /** The measurement window starts: reset in-process counters. */
    default void windowStarts() {}

    /** The in-process latency histogram at the end of the window, if the relay has one. */
    default Optional<JsonNode> latency() {
        return Optional.empty();
    }

    /** Frames the relay says it dropped (its own counters), or -1 if it does not say. */
    default long selfReportedDroppedFrames() {
        return -1;
    }

    @Override
    void close();
}
