package io.streamrepeater.rtmp.chunk;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A server-wide allowance of partly received message bytes, shared by the chunk decoders of many connections (one
 * for connections that have not published yet, one for publishing encoders): each decoder reserves what it holds and
 * gives it back when the message is complete or dropped. A decoder whose reservation is refused fails that one
 * connection, so the sum over all connections stays inside the memory the server sets aside for them. Thread-safe.
 */
public final class PendingBudget {
    private final String name;
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    /**
     * @param name what the budget is for, in log lines and errors (e.g. {@code before-publish})
     * @param capacity bytes all connections together may hold, at least 1
     */
    public PendingBudget(String name, long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("pending budget " + name + " must be at least 1 byte, got " + capacity);
        }
        this.name = name;
        this.capacity = capacity;
    }

    /** A budget that never refuses (tests, clients). */
    public static PendingBudget unlimited() {
        return new PendingBudget("unlimited", Long.MAX_VALUE);
    }

    /** Reserves {@code bytes} if they fit; false (and nothing reserved) when they would exceed the capacity. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (bytes > capacity - now) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Reserves {@code bytes} whatever the capacity: bytes a connection already holds when it moves to this budget. */
    public void forceReserve(long bytes) {
        used.addAndGet(bytes);
    }

    /** Gives back bytes reserved before. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    public String name() {
        return name;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes reserved now, over all connections. */
    public long used() {
        return used.get();
    }
}
