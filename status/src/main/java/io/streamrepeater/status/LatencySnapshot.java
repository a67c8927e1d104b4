package io.streamrepeater.status;

/**
 * The relay's added latency since the last reset: from the moment an ingest message was complete to the
 * moment its bytes were handed to a destination's socket, one sample per packet per destination.
 * Quantiles are bucket upper bounds (within about 3 % of the true value).
 *
 * @param count samples recorded
 * @param p50Micros median in microseconds (0 without samples)
 * @param p99Micros 99th percentile in microseconds
 * @param p999Micros 99.9th percentile in microseconds
 * @param maxMicros largest sample in microseconds (exact)
 * @param sinceEpochMs when counting started (server start or the last reset)
 */
public record LatencySnapshot(
        long count, long p50Micros, long p99Micros, long p999Micros, long maxMicros, long sinceEpochMs) {}
