package io.streamrepeater.relay;

import io.netty.channel.unix.IovArray;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The native {@code iovec} array a destination's gathering write is built in: one per event-loop thread (16 KiB
 * of direct memory, room for 1024 parts), reused by every destination on that loop, since a write is built and
 * made within one task. Released when the thread ends.
 */
final class GatherBuffers {
    private static final FastThreadLocal<IovArray> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected IovArray initialValue() {
            return new IovArray();
        }

        @Override
        protected void onRemoval(IovArray iov) {
            iov.release();
        }
    };

    private GatherBuffers() {
    }

    /** This thread's array; the caller clears it before use. */
    static IovArray get() {
        return PER_THREAD.get();
    }
}
