package io.streamrepeater.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty reports a leaked buffer. Registered automatically for every Jupiter test of
 * a module that has testkit on its test classpath (extension autodetection is switched on by testkit's
 * {@code junit-platform.properties}; the extension is listed in {@code META-INF/services}).
 *
 * <p>Netty notices a leak only when the garbage collector has cleared the leaked buffer and a later
 * allocation polls the detector's reference queue. After each test this extension therefore runs a
 * collection, waits (bounded) for the reference handler to enqueue what it cleared, allocates and
 * releases a few buffers, and fails the test with the leak records if any leak was recorded. A leak is
 * attributed to the test during which it was noticed; the records say where the buffer was created and
 * last touched. Like Netty itself, it sees pooled buffers and unpooled direct buffers; unpooled heap
 * buffers are not tracked by Netty.
 */
public final class LeakGuard implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** How long to wait for the reference handler after {@code System.gc()}; keeps the per-test cost small. */
    private static final long REFERENCE_ENQUEUE_WAIT_MS = 100;

    @Override
    public void beforeEach(ExtensionContext context) {
        LeakRecorder.currentTest(context.getUniqueId());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks(context.getDisplayName());
    }

    /** Catches leaks of class-level fixtures released (or not) in {@code @AfterAll}. */
    @Override
    public void afterAll(ExtensionContext context) {
        LeakRecorder.currentTest(context.getUniqueId() + " (after all)");
        failOnLeaks(context.getDisplayName() + " (after all)");
    }

    private static void failOnLeaks(String where) {
        if (!LeakRecorder.installed()) {
            throw new AssertionError("LeakGuard: the recording leak detector is not installed, so leaks would go"
                    + " unnoticed. The JUnit Platform did not run " + LeakGuardInstaller.class.getName()
                    + " (META-INF/services/org.junit.platform.launcher.LauncherSessionListener); run the tests"
                    + " with junit-platform-launcher 1.8+ (Maven Surefire 3) or call LeakGuardInstaller first.");
        }
        triggerDetection();
        List<LeakReport> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak(s) reported after " + where + ":\n"
                    + leaks.stream().map(LeakReport::toString).collect(Collectors.joining("\n\n")));
        }
    }

    /**
     * Makes Netty report buffers that became unreachable without being released: collects garbage,
     * waits (at most {@value #REFERENCE_ENQUEUE_WAIT_MS} ms) until cleared references are enqueued, then
     * allocates and releases pooled and unpooled buffers so the detector polls its queue. Reports land in
     * {@link LeakRecorder}; nothing is drained here.
     */
    public static void triggerDetection() {
        collectGarbageAndAwaitReferenceHandler();
        int allocations = ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID
                ? 2 // every allocation polls the queue
                : 512; // only sampled allocations poll; enough that one almost surely does
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < allocations; i++) {
                allocateAndRelease();
            }
            Thread.yield(); // lets the reference handler finish enqueuing what the collection cleared
        }
    }

    private static void allocateAndRelease() {
        // Each buffer is released right away: this method must not leak what it uses to find leaks.
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(1);
        pooled.release();
        // Direct, because Netty does not track unpooled heap buffers (the GC frees them anyway).
        ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.directBuffer(1);
        unpooled.release();
    }

    private static void collectGarbageAndAwaitReferenceHandler() {
        ReferenceQueue<Object> sentinelQueue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = newUnreachableSentinel(sentinelQueue);
        System.gc();
        try {
            // Cleared references are enqueued by the reference handler in batches; once our sentinel is
            // there, the buffers cleared by the same collection are (almost always) there too.
            sentinelQueue.remove(REFERENCE_ENQUEUE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }

    private static WeakReference<Object> newUnreachableSentinel(ReferenceQueue<Object> queue) {
        return new WeakReference<>(new Object(), queue);
    }
}
