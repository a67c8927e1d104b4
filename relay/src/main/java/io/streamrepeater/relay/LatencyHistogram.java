package io.streamrepeater.relay;

import io.streamrepeater.status.LatencySnapshot;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free histogram of latencies in microseconds with log-linear buckets: values below 32 µs have a
 * bucket each, above that every power of two is split into 32 buckets (about 3 % resolution), up to
 * about 2^40 µs. Recording costs one atomic increment and no allocation, so event loops of every
 * channel can share one instance. {@link #reset()} is not atomic with concurrent recording: samples
 * recorded during a reset may be counted in either period.
 */
public final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int MAX_EXPONENT = 40;
    private static final int BUCKETS = (MAX_EXPONENT - SUB_BUCKET_BITS + 2) * SUB_BUCKETS;
    private static final long MAX_MICROS = (1L << MAX_EXPONENT) - 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();
    private volatile long sinceEpochMs = System.currentTimeMillis();

    /** Records one sample; negative values count as 0, values past the range as the range's end. */
    public void recordNanos(long nanos) {
        long micros = Math.min(MAX_MICROS, Math.max(0, nanos / 1_000));
        counts.incrementAndGet(bucketOf(micros));
        total.incrementAndGet();
        long seen = max.get();
        while (micros > seen && !max.compareAndSet(seen, micros)) {
            seen = max.get();
        }
    }

    /** Starts a new counting period. */
    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        total.set(0);
        max.set(0);
        sinceEpochMs = System.currentTimeMillis();
    }

    public LatencySnapshot snapshot() {
        long[] copy = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
            n += copy[i];
        }
        long top = max.get();
        return new LatencySnapshot(
                n,
                quantile(copy, n, 0.5, top),
                quantile(copy, n, 0.99, top),
                quantile(copy, n, 0.999, top),
                top,
                sinceEpochMs);
    }

    /** The upper bound of the bucket holding the q-quantile, never above the exact maximum. */
    private static long quantile(long[] buckets, long n, double q, long max) {
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return Math.min(max, upperBound(i));
            }
        }
        return max;
    }

    static int bucketOf(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int msb = 63 - Long.numberOfLeadingZeros(micros);
        int shift = msb - SUB_BUCKET_BITS;
        return (shift + 1) * SUB_BUCKETS + (int) ((micros >>> shift) - SUB_BUCKETS);
    }

    /** The largest value that falls into bucket {@code index}. */
    static long upperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long sub = index % SUB_BUCKETS + SUB_BUCKETS;
        return ((sub + 1) << shift) - 1;
    }
}
