package io.streamrepeater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class LeakGuardTest {

    private static volatile boolean launchingFixture;

    @Test
    void recordingDetectorIsInstalledBeforeTheFirstBufferIsAllocated() {
        assertThat(LeakRecorder.installed()).isTrue();
    }

    @Test
    void aBufferDroppedWithoutReleaseIsRecordedWithItsAllocationSite() {
        dropUnreleasedBuffer();

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    LeakGuard.triggerDetection();
                    assertThat(LeakRecorder.snapshot()).isNotEmpty();
                });

        List<LeakReport> leaks = LeakRecorder.snapshot();
        LeakRecorder.clear(); // this test leaked on purpose; LeakGuard must not fail it
        assertThat(leaks).anySatisfy(leak -> {
            assertThat(leak.resourceType()).isEqualTo("ByteBuf");
            assertThat(leak.records()).contains("dropUnreleasedBuffer");
        });
    }

    @Test
    void releasedBuffersAreNotReported() {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        ByteBuf unpooled = Unpooled.directBuffer(64);
        try {
            pooled.writeLong(1);
            unpooled.writeLong(2);
        } finally {
            pooled.release();
            unpooled.release();
        }

        LeakGuard.triggerDetection();

        assertThat(LeakRecorder.snapshot()).isEmpty();
    }

    @Test
    void autoRegisteredExtensionFailsTheTestThatLeaks() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(LeakingFixture.class))
                .build();
        launchingFixture = true;
        try {
            LauncherFactory.create().execute(request, listener);
        } finally {
            launchingFixture = false;
            LeakRecorder.clear();
        }

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsSucceededCount())
                .as("the test that releases passes")
                .isEqualTo(1);
        assertThat(summary.getTestsFailedCount())
                .as("the test that leaks fails")
                .isEqualTo(1);
        assertThat(summary.getFailures()).singleElement().satisfies(failure -> {
            assertThat(failure.getTestIdentifier().getDisplayName()).isEqualTo("leaks()");
            assertThat(failure.getException())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Netty leak(s) reported after leaks()")
                    .hasMessageContaining("LeakingFixture.leaks");
        });
    }

    static boolean launchedByLeakGuardTest() {
        return launchingFixture;
    }

    /** Run only through the launcher above: the leak is the point. */
    @EnabledIf("io.streamrepeater.testkit.LeakGuardTest#launchedByLeakGuardTest")
    static class LeakingFixture {

        @Test
        void leaks() {
            Unpooled.directBuffer(16).writeInt(42); // dropped without release()
        }

        @Test
        void releases() {
            ByteBuf buffer = Unpooled.directBuffer(16);
            buffer.release();
        }
    }

    private static void dropUnreleasedBuffer() {
        PooledByteBufAllocator.DEFAULT.heapBuffer(32).writeInt(7);
    }
}
