package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so that a test can check deterministically
 * that all of them were released (slices share their parent's count, so the parents say it all).
 */
public final class RecordingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    public RecordingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    public int allocatedCount() {
        return allocated.size();
    }

    public void assertAllReleased() {
        for (int i = 0; i < allocated.size(); i++) {
            assertThat(allocated.get(i).refCnt())
                    .as("reference count of allocated buffer #%d", i)
                    .isZero();
        }
    }
}
