package io.streamrepeater.app;

import io.netty.util.concurrent.EventExecutor;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs the platform verdict check every {@link ChannelReconciler#VERDICT_CHECK_MS} while some input has an encoder
 * (only those have verdicts), and not at all while none has; an input coming up starts the checks again.
 */
final class VerdictChecks {
    private final WhileNeeded checks;

    VerdictChecks(Runnable check, BooleanSupplier anyInputWithMedia, EventExecutor loop, long periodMs) {
        this.checks = new WhileNeeded("preflight-check", check, anyInputWithMedia, loop, periodMs);
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
    void wake() {
        checks.wake();
    }

    /** Whether the periodic check is scheduled (tests). */
    boolean running() {
        return checks.running();
    }
}
