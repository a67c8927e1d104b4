package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ShutdownDeadlineTest {

    @Test
    void stepsNotDoneWhenTheDeadlineHasPassedArePendingByNameInOrder() {
        ShutdownDeadline deadline = new ShutdownDeadline(Duration.ZERO);
        Promise<Void> never = ImmediateEventExecutor.INSTANCE.newPromise();
        Promise<Void> done = ImmediateEventExecutor.INSTANCE.<Void>newPromise().setSuccess(null);
        CountDownLatch release = new CountDownLatch(1);
        try {
            assertThat(deadline.await("destinations of channel show", never)).isFalse();
            assertThat(deadline.await("encoder 127.0.0.1:5000", done)).isTrue();
            assertThat(deadline.run("store", () -> awaitQuietly(release))).isFalse();
        } finally {
            release.countDown();
        }
        assertThat(deadline.pending()).containsExactly("destinations of channel show", "store");
    }

    @Test
    void stepsThatFinishInTimeLeaveNothingPendingAndAFailedStepIsNotPending() {
        ShutdownDeadline deadline = new ShutdownDeadline(Duration.ofMinutes(1));
        Promise<Void> failed =
                ImmediateEventExecutor.INSTANCE.<Void>newPromise().setFailure(new IllegalStateException("peer gone"));

        assertThat(deadline.run("http api", () -> {})).isTrue();
        assertThat(deadline.run("webhooks", () -> {
                    throw new IllegalStateException("already closed");
                }))
                .isTrue();
        assertThat(deadline.await("channel show", failed)).isTrue();

        assertThat(deadline.pending()).isEmpty();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
