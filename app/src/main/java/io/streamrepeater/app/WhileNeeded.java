package io.streamrepeater.app;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic work that runs only while there is something for it: after each run it stops itself when {@code needed}
 * says there is nothing left, and whoever makes work again {@link #wake()}s it. A server waiting for its show wakes no
 * thread for it. A run that throws is logged and does not end the schedule.
 */
final class WhileNeeded {
    private static final Logger LOG = LoggerFactory.getLogger(WhileNeeded.class);

    private final String name;
    private final Runnable work;
    private final BooleanSupplier needed;
    private final ScheduledExecutorService executor;
    private final long periodMs;
    /** The periodic run while it is scheduled, null while it sleeps. Guarded by this. */
    private ScheduledFuture<?> task;

    /**
     * @param name what the work is, for the log
     * @param needed whether the work should go on; asked after every run
     */
    WhileNeeded(String name, Runnable work, BooleanSupplier needed, ScheduledExecutorService executor, long periodMs) {
        this.name = name;
        this.work = work;
        this.needed = needed;
        this.executor = executor;
        this.periodMs = periodMs;
    }

    /** Schedules the work (first run one period from now) unless it is scheduled. */
    synchronized void wake() {
        if (task == null) {
            task = executor.scheduleWithFixedDelay(this::runOnce, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the work is scheduled. */
    synchronized boolean running() {
        return task != null;
    }

    private void runOnce() {
        try {
            work.run();
        } catch (RuntimeException e) {
            // a failed run must not end the schedule: the next one tries again
            LOG.warn("event=periodic-work-failed work={} error=\"{}\"", name, e.toString());
        }
        synchronized (this) {
            // whoever makes work from now on finds nothing scheduled and wakes it again
            if (task != null && !needed.getAsBoolean()) {
                task.cancel(false);
                task = null;
            }
        }
    }
}
