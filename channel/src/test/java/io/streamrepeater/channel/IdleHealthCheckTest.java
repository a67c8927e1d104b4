package io.streamrepeater.channel;

import static io.streamrepeater.channel.Packets.keyframe;
import static io.streamrepeater.channel.Packets.videoHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A channel waiting for its show wakes no thread (issue 22, idle CPU): its health check stops while no input
 * publishes, and starts again when an encoder connects, in time to find that encoder frozen.
 */
class IdleHealthCheckTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private LiveChannel channel;

    @AfterEach
    void tearDown() throws Exception {
        if (channel != null) {
            loop.submit(channel::close).get(5, TimeUnit.SECONDS);
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private boolean checkScheduled() throws Exception {
        return loop.submit(channel::healthCheckScheduled).get(5, TimeUnit.SECONDS);
    }

    @Test
    void theHealthCheckSleepsWithoutEncodersAndStillFindsAFrozenOne() throws Exception {
        channel = new LiveChannel(
                "show",
                List.of(new InputSpec("primary", true), new InputSpec("backup", true)),
                new FailoverPolicy(300, Failback.AUTO, 600, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS),
                loop,
                Clock.systemUTC());
        channel.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !checkScheduled());

        InputSession primary = channel.openInput("primary", "127.0.0.1:5000", () -> {});
        primary.packet(videoHeader(0, 1));
        primary.packet(keyframe(0));
        await().atMost(Duration.ofSeconds(5)).until(this::checkScheduled);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> channel.inputStatus().get(0).state() == InputState.ACTIVE);

        // no more media: the encoder froze; the resumed check finds it after the input-loss threshold
        await().atMost(Duration.ofSeconds(5))
                .until(() -> channel.inputStatus().get(0).state() == InputState.DOWN);
        assertThat(checkScheduled())
                .as("the frozen encoder's connection is still open")
                .isTrue();

        primary.close("encoder gone");
        await().atMost(Duration.ofSeconds(5)).until(() -> !checkScheduled());
    }
}
