package io.streamrepeater.media;

/**
 * A rate (bytes, frames…) per second over a sliding window of one-second buckets: adding is a couple
 * of arithmetic operations, reading sums a handful of buckets. Written on one event loop;
 * {@link #perSecond} may be read from another thread and then sees a slightly stale but sane value.
 * Used for input and destination bitrates and input frame rates.
 */
public final class RateMeter {
    private final long[] bucketBytes;
    private final long[] bucketSecond;

    /** @param windowSeconds length of the window, at least 2 (the current second is partial) */
    public RateMeter(int windowSeconds) {
        if (windowSeconds < 2) {
            throw new IllegalArgumentException("rate window must be at least 2 s, got " + windowSeconds);
        }
        bucketBytes = new long[windowSeconds];
        bucketSecond = new long[windowSeconds];
        java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    public void add(long amount, long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        int i = (int) Math.floorMod(second, (long) bucketBytes.length);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            bucketBytes[i] = 0;
        }
        bucketBytes[i] += amount;
    }

    /** @return the amount per second over the completed seconds of the window (the current one is partial) */
    public double perSecond(long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        long bytes = 0;
        for (int i = 0; i < bucketBytes.length; i++) {
            long s = bucketSecond[i];
            if (s < second && s >= second - (bucketBytes.length - 1)) {
                bytes += bucketBytes[i];
            }
        }
        return (double) bytes / (bucketBytes.length - 1);
    }
}
