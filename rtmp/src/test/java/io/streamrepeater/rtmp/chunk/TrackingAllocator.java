package io.streamrepeater.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.EmptyByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Remembers every buffer it hands out, so a test can assert deterministically, right at teardown, that all of them
 * were released (the leak detector only reports after a garbage collection).
 */
final class TrackingAllocator implements ByteBufAllocator {
    private final ByteBufAllocator delegate = new UnpooledByteBufAllocator(false);
    private final List<ByteBuf> handedOut = new ArrayList<>();

    /** A buffer holding {@code bytes}; tracked like the rest. */
    ByteBuf copyOf(byte[] bytes) {
        return buffer(bytes.length).writeBytes(bytes);
    }

    void assertAllReleased() {
        for (ByteBuf buf : handedOut) {
            assertThat(buf.refCnt()).as("refCnt of %s", buf).isZero();
        }
    }

    /** Every buffer handed out so far, in order. */
    List<ByteBuf> handedOut() {
        return List.copyOf(handedOut);
    }

    private <T extends ByteBuf> T track(T buf) {
        if (!(buf instanceof EmptyByteBuf)) { // the shared empty buffer is never freed, nor needs to be
            handedOut.add(buf);
        }
        return buf;
    }

    @Override
    public ByteBuf buffer() {
        return track(delegate.heapBuffer());
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
        return track(delegate.heapBuffer(initialCapacity));
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf ioBuffer() {
        return track(delegate.heapBuffer());
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
        return track(delegate.heapBuffer(initialCapacity));
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf heapBuffer() {
        return track(delegate.heapBuffer());
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
        return track(delegate.heapBuffer(initialCapacity));
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
        return track(delegate.heapBuffer(initialCapacity, maxCapacity));
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
        return track(delegate.compositeHeapBuffer());
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
        return track(delegate.compositeHeapBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
        return track(delegate.compositeHeapBuffer());
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return track(delegate.compositeHeapBuffer(maxNumComponents));
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
        return false;
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
        return delegate.calculateNewCapacity(minNewCapacity, maxCapacity);
    }
}
