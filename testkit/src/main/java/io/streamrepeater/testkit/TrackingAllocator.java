package io.streamrepeater.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.EmptyByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Remembers every buffer it hands out, so a test can assert deterministically, right at teardown, that all of them
 * were released, and a fuzz run can blame a leak on the input that caused it (the leak detector only reports after a
 * garbage collection, long after the input). Every request, heap or direct, gets the one kind of buffer the instance
 * was made for. One instance per test or per input; not thread-safe.
 */
public final class TrackingAllocator implements ByteBufAllocator {
    private final ByteBufAllocator delegate;
    private final boolean direct;
    private final List<ByteBuf> handedOut = new ArrayList<>();

    private TrackingAllocator(ByteBufAllocator delegate, boolean direct) {
        this.delegate = delegate;
        this.direct = direct;
    }

    /** Unpooled heap buffers: cheap, for unit tests of codecs. */
    public static TrackingAllocator unpooledHeap() {
        return new TrackingAllocator(new UnpooledByteBufAllocator(false), false);
    }

    /** Direct buffers of the default (pooled) allocator, which Netty's leak detector tracks: what a server uses. */
    public static TrackingAllocator pooledDirect() {
        return new TrackingAllocator(ByteBufAllocator.DEFAULT, true);
    }

    /** A new buffer holding {@code bytes}; tracked like the rest, owned by the caller. */
    public ByteBuf copyOf(byte[] bytes) {
        return buffer(bytes.length).writeBytes(bytes);
    }

    /** Throws an {@link AssertionError} naming the first buffer handed out that is still referenced. */
    public void assertAllReleased() {
        for (ByteBuf buf : handedOut) {
            if (buf.refCnt() != 0) {
                throw new AssertionError("refCnt of " + buf + ": expected 0 but was " + buf.refCnt());
            }
        }
    }

    /** Every buffer handed out so far, in order. */
    public List<ByteBuf> handedOut() {
        return List.copyOf(handedOut);
    }

    /**
     * Releases what is still referenced, so one leak is counted once (here) rather than again by the leak detector.
     *
     * @return how many buffers had not been released
     */
    public int releaseLeftovers() {
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
    public List<String> describeUnreleased() {
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

    private ByteBuf allocate() {
        return track(direct ? delegate.directBuffer() : delegate.heapBuffer());
    }

    private ByteBuf allocate(int initialCapacity) {
        return track(direct ? delegate.directBuffer(initialCapacity) : delegate.heapBuffer(initialCapacity));
    }

    private ByteBuf allocate(int initialCapacity, int maxCapacity) {
        return track(
                direct
                        ? delegate.directBuffer(initialCapacity, maxCapacity)
                        : delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    private CompositeByteBuf composite() {
        return track(direct ? delegate.compositeDirectBuffer() : delegate.compositeHeapBuffer());
    }

    private CompositeByteBuf composite(int maxNumComponents) {
        return track(
                direct
                        ? delegate.compositeDirectBuffer(maxNumComponents)
                        : delegate.compositeHeapBuffer(maxNumComponents));
    }

    @Override
    public ByteBuf buffer() {
        return allocate();
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return allocate(initialCapacity);
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return allocate(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf ioBuffer() {
        return allocate();
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return allocate(initialCapacity);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return allocate(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf heapBuffer() {
        return allocate();
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return allocate(initialCapacity);
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return allocate(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf directBuffer() {
        return allocate();
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
        return allocate(initialCapacity);
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
        return allocate(initialCapacity, maxCapacity);
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
        return composite();
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return composite(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return composite();
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return composite(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
        return composite();
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return composite(maxNumComponents);
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
