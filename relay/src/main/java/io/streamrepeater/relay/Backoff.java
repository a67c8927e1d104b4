package io.streamrepeater.relay;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt n (from 0) waits a random time in
 * [0, min(cap, base·2^n)], so the first retry comes within {@code base} and many destinations do not
 * retry in lock step. Not thread-safe: used on one event loop.
 */
final class Backoff {
    private final long baseMs;
    private final long capMs;
    private final RandomGenerator random;
    private int attempt;

    /**
     * @param baseMs the ceiling of the first delay, at least 1
     * @param capMs the largest ceiling, at least {@code baseMs}
     * @param random the source of jitter (seeded in tests)
     */
    Backoff(long baseMs, long capMs, RandomGenerator random) {
        if (baseMs < 1 || capMs < baseMs) {
            throw new IllegalArgumentException(
                    "backoff needs 1 <= baseMs <= capMs, got baseMs=" + baseMs + " capMs=" + capMs);
        }
        this.baseMs = baseMs;
        this.capMs = capMs;
        this.random = random;
    }

    /** @return the ceiling of the next delay, without consuming an attempt */
    long nextCeilingMs() {
        return Math.min(capMs, baseMs << Math.min(attempt, 30));
    }

    /** @return the delay before the next attempt, and counts the attempt */
    long nextDelayMs() {
        long ceiling = nextCeilingMs();
        attempt++;
        return random.nextLong(ceiling + 1);
    }

    /** After a stable session: the next delay is again within {@code base}. */
    void reset() {
        attempt = 0;
    }

    int attempts() {
        return attempt;
    }
}
