package io.streamrepeater.app;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the platform verdict check every {@link ChannelReconciler#VERDICT_CHECK_MS} while some input has an encoder
 * (only those have verdicts), and not at all while none has: a server waiting for its show wakes no thread for it.
 * An input coming up starts the checks again.
 */
final class VerdictChecks {
    private static final Logger LOG = LoggerFactory.getLogger(VerdictChecks.class);

    private final Runnable check;
    private final BooleanSupplier anyInputWithMedia;
    private final EventExecutor loop;
    private final long periodMs;
    /** The periodic check while it runs, null while it sleeps. Guarded by this. */
    private ScheduledFuture<?> task;

    VerdictChecks(Runnable check, BooleanSupplier anyInputWithMedia, EventExecutor loop, long periodMs) {
        this.check = check;
        this.anyInputWithMedia = anyInputWithMedia;
        this.loop = loop;
        this.periodMs = periodMs;
    }

    /** Checks the reconciler's channels on {@code loop}, woken by any channel's INPUT_UP. */
    static VerdictChecks start(ChannelReconciler reconciler, EventExecutor loop) {
        VerdictChecks checks = new VerdictChecks(
                reconciler::recordVerdictChanges,
                reconciler::anyInputWithMedia,
                loop,
                ChannelReconciler.VERDICT_CHECK_MS);
        reconciler.addEventListener(checks.wakeOnInputUp());
        checks.wake(); // an input may have come up before the listener was there
        return checks;
    }

    /** Listens for an input coming up on any channel. */
    Consumer<ChannelEvent> wakeOnInputUp() {
        return event -> {
            if (event.type() == ChannelEventType.INPUT_UP) {
                wake();
            }
        };
    }

    /** Starts the periodic check unless it runs. */
    synchronized void wake() {
        if (task == null) {
            task = loop.scheduleWithFixedDelay(this::checkOnce, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the periodic check is scheduled (tests). */
    synchronized boolean running() {
        return task != null;
    }

    private void checkOnce() {
        try {
            check.run();
        } catch (RuntimeException e) {
            // a failed check must not end the checks: the next one tries again
            LOG.warn("event=preflight-check-failed error=\"{}\"", e.toString());
        }
        synchronized (this) {
            // an input that comes up from now on finds no check running and starts one (wakeOnInputUp)
            if (task != null && !anyInputWithMedia.getAsBoolean()) {
                task.cancel(false);
                task = null;
            }
        }
    }
}
