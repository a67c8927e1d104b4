package io.streamrepeater.app;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Lets idle event loops sleep until there is something to do. Netty 4.2's I/O event loop, when nothing is scheduled
 * on it, waits at most one second in {@code epoll_wait} (its "purge interval" for cancelled timers), so every idle
 * loop woke once a second: the largest part of an idle server's own wake-ups (docs/performance.md, seventh pass).
 * With one far-off timer on the calendar the loop waits for that timer or for I/O instead; every real timer a
 * channel or destination schedules is earlier and is kept as before.
 */
final class QuietLoops {
    /** How far off the timer that keeps an idle loop asleep is: one wake-up an hour. */
    static final long SLEEP_HOURS = 1;

    private QuietLoops() {}

    /** Puts one far-off periodic timer on every loop of the group; shutting the group down cancels it. */
    static void sleepUntilNeeded(EventLoopGroup group) {
        for (EventExecutor loop : group) {
            loop.scheduleAtFixedRate(QuietLoops::nothing, SLEEP_HOURS, SLEEP_HOURS, TimeUnit.HOURS);
        }
    }

    private static void nothing() {
        // the timer's only purpose is its deadline
    }
}
