package io.streamrepeater.fuzz;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the thread that runs the inputs: an input still running after the time bound is reported once as a hang
 * (with the worker's stack), and if it is still running after the abort bound the whole run is given up, since a
 * thread stuck in a loop cannot be stopped from outside. Costs nothing per input but two volatile writes.
 */
final class Watchdog implements AutoCloseable {
    private static final long POLL_MS = 100;

    private final Thread worker;
    private final long boundNanos;
    private final long abortNanos;
    private final Consumer<String> onHang;
    private final Runnable onAbort;
    private final Thread thread;
    private volatile long inputNumber = -1;
    private volatile long startedNanos;
    private long reportedInput = -1;

    /**
     * @param onHang called (on the watchdog thread) with the worker's stack when an input exceeds {@code bound}
     * @param onAbort called when an input exceeds {@code abortAfter}; expected to end the process
     */
    Watchdog(Thread worker, Duration bound, Duration abortAfter, Consumer<String> onHang, Runnable onAbort) {
        this.worker = worker;
        this.boundNanos = bound.toNanos();
        this.abortNanos = abortAfter.toNanos();
        this.onHang = onHang;
        this.onAbort = onAbort;
        this.thread = new Thread(this::watch, "fuzz-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /** The worker starts input {@code number}. */
    void started(long number) {
        startedNanos = System.nanoTime();
        inputNumber = number;
    }

    /** The worker finished its input. */
    void finished() {
        inputNumber = -1;
    }

    /** Whether the input in progress (or just finished) was reported as a hang. */
    boolean reported(long number) {
        synchronized (this) {
            return reportedInput == number;
        }
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            long number = inputNumber;
            if (number < 0) {
                continue;
            }
            long running = System.nanoTime() - startedNanos;
            if (number != inputNumber) {
                continue; // the input changed while we looked
            }
            synchronized (this) {
                if (running > boundNanos && reportedInput != number) {
                    reportedInput = number;
                    onHang.accept(stackOf(worker));
                }
            }
            if (running > abortNanos) {
                onAbort.run();
                return;
            }
        }
    }

    private static String stackOf(Thread thread) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : thread.getStackTrace()) {
            text.append("\tat ").append(frame).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
