package io.streamrepeater.control.webhooks;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When a failed webhook delivery is tried again: at most {@code maxAttempts} tries in all; the wait
 * before the second is {@code firstDelay}, and it doubles for each later one up to {@code maxDelay}.
 * The defaults (5 tries; waits of 4, 8, 16, 32 s) give up about a minute after the first try.
 *
 * @param maxAttempts tries in all, first one included: 1..{@value #MAX_ATTEMPTS}
 * @param firstDelay the wait between the first and the second try, positive
 * @param maxDelay the longest wait between two tries, at least {@code firstDelay}
 */
public record RetrySchedule(int maxAttempts, Duration firstDelay, Duration maxDelay) {
    /** Beyond this many tries an event is too old to be worth a receiver's attention. */
    public static final int MAX_ATTEMPTS = 20;

    public RetrySchedule {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("webhook maxAttempts " + maxAttempts + " is outside 1.." + MAX_ATTEMPTS);
        }
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (firstDelay.isNegative() || firstDelay.isZero()) {
            throw new IllegalArgumentException("webhook firstDelay " + firstDelay + " must be positive");
        }
        if (maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("webhook maxDelay " + maxDelay + " is below firstDelay " + firstDelay);
        }
    }

    /** @return 5 tries, waits of 4, 8, 16 and 32 s between them */
    public static RetrySchedule defaults() {
        return new RetrySchedule(5, Duration.ofSeconds(4), Duration.ofSeconds(32));
    }

    /**
     * @param attempt the number of the try about to be made (1 = the first)
     * @return how long to wait after the previous try failed; zero for the first; empty when the
     *     schedule allows no such try
     */
    public Optional<Duration> delayBefore(int attempt) {
        if (attempt < 1 || attempt > maxAttempts) {
            return Optional.empty();
        }
        if (attempt == 1) {
            return Optional.of(Duration.ZERO);
        }
        Duration delay = firstDelay;
        for (int i = 2; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return Optional.of(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
    }
}
