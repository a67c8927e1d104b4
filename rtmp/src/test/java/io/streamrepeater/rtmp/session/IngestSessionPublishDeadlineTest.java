package io.streamrepeater.rtmp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.streamrepeater.amf0.Amf0Object;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.limits.IngestDeadline;
import io.streamrepeater.rtmp.limits.IngestLimit;
import io.streamrepeater.rtmp.limits.IngestLimitEvents;
import io.streamrepeater.rtmp.message.CommandMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The publish deadline in front of a real session: it guards the time before publish and nothing after. */
class IngestSessionPublishDeadlineTest {
    private static final String KEY = "secret-key-1";
    private final IngestLimitEvents events = new IngestLimitEvents(System::nanoTime, 100);
    private final List<String> received = new ArrayList<>();
    private final PublishGate gate = (key, publisher) -> new PublishDecision.Accepted(
            new PublishSink() {
                @Override
                public void packet(MediaPacket p) {
                    try {
                        received.add(p.kind() + "@" + p.dts());
                    } finally {
                        p.release();
                    }
                }

                @Override
                public void end(String reason) {
                    received.add("end:" + reason);
                }
            },
            "show/primary");

    private final MockTicker clock = Ticker.newMockTicker();

    private ScriptedPeer peer() {
        return new ScriptedPeer(
                new IngestDeadline(IngestLimit.PUBLISH_TIMEOUT, Duration.ofSeconds(15), PublishStarted.class, events),
                new IngestSession(gate),
                clock);
    }

    private void advance(ScriptedPeer p, long millis) {
        clock.advance(millis, TimeUnit.MILLISECONDS);
        p.session.runScheduledPendingTasks();
    }

    private static void connect(ScriptedPeer p) {
        Amf0Object app = new Amf0Object();
        app.put("app", "live");
        p.send(CommandMessage.of("connect", 1, app), 0);
        p.send(CommandMessage.of("createStream", 2, null), 0);
    }

    @Test
    void aPublisherIsNeverClosedByThePublishDeadline() {
        try (ScriptedPeer p = peer()) {
            connect(p);
            advance(p, 14_000);
            p.send(CommandMessage.of("publish", 3, null, KEY, "live"), 1);
            assertThat(p.session.pipeline().get(IngestDeadline.class))
                    .as("stood down after publish")
                    .isNull();

            advance(p, TimeUnit.HOURS.toMillis(1));
            p.send(new RawMessage(6, 9, 1000, 1, Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0, 1, 2})));
            assertThat(p.session.isOpen()).isTrue();
            assertThat(received).containsExactly("VIDEO@1000");
            assertThat(events.count(IngestLimit.PUBLISH_TIMEOUT)).isZero();
        }
    }

    @Test
    void aConnectionThatDoesNotPublishInTimeIsClosed() {
        try (ScriptedPeer p = peer()) {
            connect(p);
            advance(p, 14_999);
            assertThat(p.session.isOpen()).isTrue();
            advance(p, 1);
            assertThat(p.session.isOpen()).isFalse();
            assertThat(events.count(IngestLimit.PUBLISH_TIMEOUT)).isEqualTo(1);
            assertThat(received).isEmpty();
        }
    }
}
