package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The verdict checks run while an input has an encoder and stop when none has; an input coming up (and nothing
 * else) starts them again; a check that throws does not end them.
 */
class VerdictChecksTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicBoolean media = new AtomicBoolean(true);

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ChannelEvent event(ChannelEventType type) {
        return new ChannelEvent(1, 0, "show", type, "primary", null, null, "test", -1, -1, -1, -1);
    }

    @Test
    void checksRunWhileAnInputHasMediaAndAnInputComingUpWakesThem() {
        VerdictChecks v = new VerdictChecks(checks::incrementAndGet, media::get, loop, 20);
        v.wake();
        await().atMost(WAIT).until(() -> checks.get() >= 3);
        assertThat(v.running()).isTrue();

        media.set(false);
        await().atMost(WAIT).until(() -> !v.running());
        int after = checks.get();

        v.wakeOnInputUp().accept(event(ChannelEventType.INPUT_DOWN));
        v.wakeOnInputUp().accept(event(ChannelEventType.SWITCH));
        assertThat(v.running()).as("only an input coming up wakes the checks").isFalse();

        media.set(true);
        v.wakeOnInputUp().accept(event(ChannelEventType.INPUT_UP));
        assertThat(v.running()).isTrue();
        await().atMost(WAIT).until(() -> checks.get() >= after + 3);
    }

    @Test
    void aFailingCheckDoesNotEndTheChecks() {
        VerdictChecks v = new VerdictChecks(
                () -> {
                    checks.incrementAndGet();
                    throw new IllegalStateException("store unavailable");
                },
                media::get,
                loop,
                20);
        v.wake();
        await().atMost(WAIT).until(() -> checks.get() >= 3);
        assertThat(v.running()).isTrue();
    }
}
