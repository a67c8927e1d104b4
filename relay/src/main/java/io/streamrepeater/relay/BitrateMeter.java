package io.streamrepeater.relay;

/**
 * Bits per second over a sliding window of one-second buckets: adding is a couple of arithmetic
 * operations, reading sums a handful of buckets. Written on the event loop; {@link #bitsPerSecond}
 * may be read from another thread and then sees a slightly stale but sane value.
 */
final class BitrateMeter {
    private final long[] bucketBytes;
    private final long[] bucketSecond;

    /** @param windowSeconds length of the window, at least 2 (the current second is partial) */
    BitrateMeter(int windowSeconds) {
        if (windowSeconds < 2) {
            throw new IllegalArgumentException("bitrate window must be at least 2 s, got " + windowSeconds);
        }
        bucketBytes = new long[windowSeconds];
        bucketSecond = new long[windowSeconds];
        java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    void add(long bytes, long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        int i = (int) Math.floorMod(second, (long) bucketBytes.length);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            bucketBytes[i] = 0;
        }
        bucketBytes[i] += bytes;
    }

    /** @return bits per second over the completed seconds of the window (the current one is partial) */
    long bitsPerSecond(long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        long bytes = 0;
        for (int i = 0; i < bucketBytes.length; i++) {
            long s = bucketSecond[i];
            if (s < second && s >= second - (bucketBytes.length - 1)) {
                bytes += bucketBytes[i];
            }
        }
        return bytes * 8 / (bucketBytes.length - 1);
    }
}
