package io.streamrepeater.control.api;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wrong or missing API tokens, per address (issue 17): after {@link #FREE_FAILURES} within {@link #WINDOW_MS}, the
 * address is answered 429 until its oldest failure leaves the window, without the token being checked; and the log
 * line of a refusal is written at most {@link #LINES_PER_SECOND} times a second, the next one saying how many were
 * left out. A client with a stale token still sees its 401s; a guesser or a flood gets a few tries a minute and
 * cannot fill the disk. Safe from any thread.
 */
final class SignInThrottle {
    static final int FREE_FAILURES = 10;
    static final long WINDOW_MS = 60_000;
    static final int MAX_TRACKED_ADDRESSES = 10_000;
    static final int LINES_PER_SECOND = 10;

    private final Clock clock;
    private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();
    private long logSecond = Long.MIN_VALUE;
    private int linesThisSecond;
    private final AtomicLong suppressed = new AtomicLong();

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code address} must wait before its token is checked again, in ms; 0 when it may try now. */
    long waitMs(String address) {
        ArrayDeque<Long> times = failures.get(address);
        if (times == null) {
            return 0;
        }
        long now = clock.millis();
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() > WINDOW_MS) {
                times.pollFirst();
            }
            return times.size() < FREE_FAILURES ? 0 : WINDOW_MS - (now - times.peekFirst()) + 1;
        }
    }

    /** Records a refused token from {@code address}. */
    void failed(String address) {
        long now = clock.millis();
        if (failures.size() > MAX_TRACKED_ADDRESSES) {
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().isEmpty() || now - e.getValue().peekLast() > WINDOW_MS;
                }
            });
        }
        ArrayDeque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            while (times.size() > FREE_FAILURES) {
                times.pollFirst(); // only the last few matter
            }
        }
    }

    /**
     * Whether a refusal may be logged now; when it may, {@link #takeSuppressed()} says how many were not before it.
     */
    synchronized boolean mayLog() {
        long second = clock.millis() / 1000;
        if (second != logSecond) {
            logSecond = second;
            linesThisSecond = 0;
        }
        if (linesThisSecond < LINES_PER_SECOND) {
            linesThisSecond++;
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    /** How many refusal lines were left out since the last logged one (and resets the count). */
    long takeSuppressed() {
        return suppressed.getAndSet(0);
    }

    /** What is logged of a request path: at most 100 printable characters. */
    static String pathForLog(String path) {
        String shown = path.length() > 100 ? path.substring(0, 100) : path;
        shown = shown.replaceAll("[^\\x21-\\x7e]", "?");
        return path.length() > 100 ? shown + "…(" + path.length() + " chars)" : shown;
    }
}
