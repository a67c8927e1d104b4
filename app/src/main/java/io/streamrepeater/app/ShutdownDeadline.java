package io.streamrepeater.app;

import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deadline over the steps of a stop: each step gets at most the time that is left, and a step that has not
 * finished by then is remembered by name, so the stop can say what it left behind and end anyway.
 */
final class ShutdownDeadline {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDeadline.class);

    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final List<String> pending = new ArrayList<>();

    ShutdownDeadline(Duration budget) {
        this.deadlineNanos = startNanos + budget.toNanos();
    }

    /**
     * Waits for a step that runs by itself until it completes or the deadline passes.
     *
     * @return true when it completed (successfully or not); false, and the step counts as pending, otherwise
     */
    boolean await(String step, Future<?> running) {
        boolean done = running.awaitUninterruptibly(left(), TimeUnit.NANOSECONDS);
        if (!done) {
            pending.add(step);
        } else if (!running.isSuccess() && !running.isCancelled()) {
            LOG.warn(
                    "event=shutdown-step-failed step=\"{}\" reason=\"{}\"",
                    step,
                    running.cause().toString());
        }
        return done;
    }

    /**
     * Runs a blocking step on a daemon thread of its own and waits for it until the deadline; a step that
     * overruns keeps running on that thread, which does not hold up the exit of the process.
     *
     * @return true when it finished (a failure is logged); false, and the step counts as pending, otherwise
     */
    boolean run(String step, Runnable blocking) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        blocking.run();
                        done.complete(null);
                    } catch (RuntimeException | Error e) {
                        done.completeExceptionally(e);
                    }
                },
                "shutdown " + step);
        thread.setDaemon(true);
        thread.start();
        try {
            done.get(left(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            pending.add(step);
            return false;
        } catch (ExecutionException e) {
            LOG.warn(
                    "event=shutdown-step-failed step=\"{}\" reason=\"{}\"",
                    step,
                    e.getCause().toString());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.add(step);
            return false;
        }
    }

    /** The steps that had not finished when their wait ended, in the order they were waited for. */
    List<String> pending() {
        return List.copyOf(pending);
    }

    long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private long left() {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }
}
