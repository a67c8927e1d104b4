package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.EmptyByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out direct buffers of the default (pooled) allocator, which Netty's leak detector tracks, and remembers each
 * one, so that a leak is found at once and blamed on the input that caused it (the leak detector only reports after a
 * garbage collection, long after the input). One instance per input.
 */
final class TrackingAllocator implements ByteBufAllocator {
    private final ByteBufAllocator delegate = ByteBufAllocator.DEFAULT;
    private final List<ByteBuf> handedOut = new ArrayList<>();

    /** A new buffer holding {@code bytes}; tracked like the rest, owned by the caller. */
    ByteBuf copyOf(byte[] bytes) {
        return buffer(bytes.length).writeBytes(bytes);
    }

    /**
     * Releases what is still referenced, so one leak is counted once (here) rather than again by the leak detector.
     *
     * @return how many buffers had not been released
     */
    int releaseLeftovers() {
        int leaked = 0;
        for (ByteBuf buf : handedOut) {
            if (buf.refCnt() > 0) {
                leaked++;
                buf.release(buf.refCnt());
            }
        }
        handedOut.clear();
        return leaked;
    }

    /** Says which buffers are still referenced (for a replayed finding), without releasing them. */
    List<String> describeUnreleased() {
        return handedOut.stream()
                .filter(buf -> buf.refCnt() > 0)
                .map(buf -> buf + " refCnt=" + buf.refCnt())
                .toList();
    }

    private <T extends ByteBuf> T track(T buf) {
        if (!(buf instanceof EmptyByteBuf)) { // zero-capacity requests share one buffer that is never freed
            handedOut.add(buf);
        }
        return buf;
    }

    @Override
    public ByteBuf buffer() {
        return track(delegate.directBuffer());
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return track(delegate.directBuffer(initialCapacity));
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return track(delegate.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf ioBuffer() {
        return track(delegate.directBuffer());
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return track(delegate.directBuffer(initialCapacity));
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf heapBuffer() {
        return track(delegate.directBuffer());
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return track(delegate.directBuffer(initialCapacity));
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf directBuffer() {
        return track(delegate.directBuffer());
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return track(delegate.directBuffer(initialCapacity));
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return track(delegate.compositeDirectBuffer());
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return track(delegate.compositeDirectBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return track(delegate.compositeDirectBuffer());
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return track(delegate.compositeDirectBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return track(delegate.compositeDirectBuffer());
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return track(delegate.compositeDirectBuffer(maxNumComponents));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return delegate.isDirectBufferPooled();
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        return delegate.calculateNewCapacity(minNewCapacity, maxCapacity);
    }
}
