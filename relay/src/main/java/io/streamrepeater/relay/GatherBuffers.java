package io.streamrepeater.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.IovArray;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteOrder;

/**
 * The native {@code iovec} array a destination's gathering write is built in: one per event-loop thread (16 KiB
 * of direct memory, room for {@link #MAX_ENTRIES} parts), reused by every destination on that loop, since a write
 * is built and made within one task. Released when the thread ends.
 *
 * <p>Entries are added as (address, length) pairs that each {@link EncodedMessage} worked out once when it was
 * encoded, so a destination's write costs two stores per part: no calls into the buffers themselves (Netty's
 * {@code IovArray} asks every buffer, through its wrappers, for its address, count and layout on every add).
 */
final class GatherBuffers {
    /** Linux's {@code IOV_MAX}: a {@code writev} takes at most this many entries. */
    static final int MAX_ENTRIES = 1024;
    /**
     * Whether the direct write can be used here: an {@code iovec} is two 8-byte words (64-bit Linux), the only layout
     * it knows, and direct buffers expose their native address (Netty can use {@code Unsafe}). Only with Netty's native
     * transport: {@code IovArray} fails to link until the native library is loaded, which {@code Epoll.isAvailable()}
     * does (a server on the NIO fallback, or a test on NIO that runs first, would otherwise fail its first write).
     */
    static final boolean SUPPORTED = Epoll.isAvailable() && IovArray.IOV_SIZE == 16 && directBuffersHaveAddresses();

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private static final FastThreadLocal<GatherBuffers> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected GatherBuffers initialValue() {
            return new GatherBuffers();
        }

        @Override
        protected void onRemoval(GatherBuffers buffers) {
            buffers.memory.release();
        }
    };

    private final ByteBuf memory = Unpooled.directBuffer(MAX_ENTRIES * 16, MAX_ENTRIES * 16);
    private final long address = memory.memoryAddress();
    private int count;

    private GatherBuffers() {}

    private static boolean directBuffersHaveAddresses() {
        ByteBuf probe = Unpooled.directBuffer(16);
        try {
            return probe.hasMemoryAddress();
        } finally {
            probe.release();
        }
    }

    /** This thread's array, emptied. */
    static GatherBuffers get() {
        GatherBuffers buffers = PER_THREAD.get();
        buffers.count = 0;
        return buffers;
    }

    /**
     * Adds one region.
     *
     * @return false when the array is full (nothing added)
     */
    boolean add(long regionAddress, int length) {
        if (count == MAX_ENTRIES) {
            return false;
        }
        int at = count << 4;
        if (LITTLE_ENDIAN) {
            memory.setLongLE(at, regionAddress);
            memory.setLongLE(at + 8, length);
        } else {
            memory.setLong(at, regionAddress);
            memory.setLong(at + 8, length);
        }
        count++;
        return true;
    }

    /** Entries added since {@link #get}. */
    int count() {
        return count;
    }

    /** Where the first entry is, for {@code writev}. */
    long address() {
        return address;
    }
}
