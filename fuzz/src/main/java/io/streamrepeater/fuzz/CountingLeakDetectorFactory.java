package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Leak detectors that count every leak Netty reports (and keep the first few records) besides logging it as usual.
 * Must be installed before the first buffer class is loaded: Netty creates its buffer leak detector once, in a static
 * initializer, from whatever factory is installed then.
 */
final class CountingLeakDetectorFactory extends ResourceLeakDetectorFactory {
    private static final int KEPT_RECORDS = 3;

    private final AtomicLong leaks = new AtomicLong();
    private final List<String> firstRecords = new ArrayList<>();
    private volatile boolean selfChecking;

    static CountingLeakDetectorFactory install() {
        CountingLeakDetectorFactory factory = new CountingLeakDetectorFactory();
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(factory);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        return factory;
    }

    /**
     * Leaks one buffer on purpose and checks that it is reported, so a run that reports no leaks means something.
     * The deliberate report is not counted and not logged.
     */
    boolean selfCheck() throws InterruptedException {
        selfChecking = true;
        try {
            leakOneBuffer();
            flush();
            return leaks.get() > 0;
        } finally {
            selfChecking = false;
            leaks.set(0);
            synchronized (this) {
                firstRecords.clear();
            }
        }
    }

    private static void leakOneBuffer() {
        ByteBufAllocator.DEFAULT.directBuffer(16).writeInt(42); // not released: that is the point
    }

    long leaks() {
        return leaks.get();
    }

    synchronized List<String> firstRecords() {
        return List.copyOf(firstRecords);
    }

    /**
     * Makes the detectors report what became unreachable without being released: a garbage collection, then a few
     * allocations (at PARANOID every allocation polls the detector's queue).
     */
    void flush() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(200); // lets the reference handler enqueue what the collection cleared; not a test assertion
            for (int i = 0; i < 16; i++) {
                ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(1);
                probe.release();
            }
        }
    }

    private synchronized void record(String resourceType, String records) {
        leaks.incrementAndGet();
        if (firstRecords.size() < KEPT_RECORDS) {
            firstRecords.add(resourceType + ":" + records);
        }
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        return new CountingDetector<>(resource, samplingInterval);
    }

    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
            Class<T> resource, int samplingInterval, long maxActive) {
        return new CountingDetector<>(resource, samplingInterval);
    }

    private final class CountingDetector<T> extends ResourceLeakDetector<T> {
        CountingDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        /** Always report, whatever the logging configuration says about Netty's logger. */
        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record(resourceType, records);
            if (!selfChecking) {
                super.reportTracedLeak(resourceType, records);
            }
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record(resourceType, "(untraced)");
            if (!selfChecking) {
                super.reportUntracedLeak(resourceType);
            }
        }
    }
}
