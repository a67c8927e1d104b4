package io.streamrepeater.app;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down stream-key guessing: after {@link #FREE_FAILURES} wrong keys from one address within
 * {@link #WINDOW_MS}, each further rejection from it is answered later, doubling up to {@link #MAX_DELAY_MS}.
 * An encoder with a typo still gets its answer within seconds; a scanner gets a few guesses a minute.
 */
final class WrongKeyThrottle {
    static final int FREE_FAILURES = 5;
    static final long WINDOW_MS = 60_000;
    static final long MAX_DELAY_MS = 30_000;
    static final int MAX_TRACKED_ADDRESSES = 10_000;

    private final Clock clock;
    private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

    WrongKeyThrottle(Clock clock) {
        this.clock = clock;
    }

    /** @return the throttle's clock now, in milliseconds */
    long millis() {
        return clock.millis();
    }

    /** Records a wrong key from {@code address}; returns how long to wait before answering it. */
    long failed(String address) {
        long now = clock.millis();
        if (failures.size() > MAX_TRACKED_ADDRESSES) {
            failures.entrySet()
                    .removeIf(e -> e.getValue().isEmpty() || now - e.getValue().peekLast() > WINDOW_MS);
        }
        ArrayDeque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() > WINDOW_MS) {
                times.pollFirst();
            }
            times.addLast(now);
            int excess = times.size() - FREE_FAILURES;
            if (excess <= 0) {
                return 0;
            }
            return Math.min(MAX_DELAY_MS, 1000L << Math.min(excess - 1, 15));
        }
    }
}
