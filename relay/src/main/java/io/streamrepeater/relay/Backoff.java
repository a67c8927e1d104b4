package io.streamrepeater.relay;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base·2^n)],
 * so the first retry comes within {@code base} and many destinations do not retry in lock step.
 */
final class Backoff {
    private final long baseMs;
    private final long capMs;
    private int attempt;

    Backoff(long baseMs, long capMs) {
        this.baseMs = baseMs;
        this.capMs = capMs;
    }

    long nextDelayMs() {
        long ceiling = Math.min(capMs, baseMs << Math.min(attempt, 20));
        attempt++;
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    void reset() {
        attempt = 0;
    }

    int attempts() {
        return attempt;
    }
}
