package io.streamrepeater.rtmp.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrepeater.rtmp.handshake.HandshakeCompleted;
import io.streamrepeater.rtmp.handshake.HandshakeForm;
import io.streamrepeater.rtmp.session.PublishStarted;
import io.streamrepeater.testkit.CapturedLogs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestDeadlineTest {
    private final IngestLimitEvents events = new IngestLimitEvents(System::nanoTime, 100);
    private final ActiveRecorder behind = new ActiveRecorder();
    private final PeerChannel channel = new PeerChannel(
            "127.0.0.1",
            5555,
            new IngestDeadline(
                    IngestLimit.HANDSHAKE_TIMEOUT, Duration.ofMillis(2000), HandshakeCompleted.class, events),
            behind);

    @AfterEach
    void tearDown() {
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private void advance(long millis) {
        channel.advance(millis);
    }

    @Test
    void closesTheConnectionWhenTheMilestoneHasNotComeInTime() {
        try (CapturedLogs log = CapturedLogs.of(IngestLimitEvents.class)) {
            advance(1999);
            assertThat(channel.isOpen()).isTrue();
            advance(1);
            assertThat(channel.isOpen()).isFalse();
            assertThat(log.messages())
                    .containsExactly("event=ingest-limit limit=handshake-timeout remote=127.0.0.1:5555 after=2000ms");
        }
        assertThat(events.count(IngestLimit.HANDSHAKE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void theMilestoneCancelsTheDeadlineAndTheHandlerLeavesThePipeline() {
        advance(1500);
        HandshakeCompleted done = new HandshakeCompleted(HandshakeForm.SIMPLE);
        channel.pipeline().fireUserEventTriggered(done);

        assertThat(channel.pipeline().get(IngestDeadline.class)).isNull();
        assertThat(behind.events).as("the milestone travels on").containsExactly(done);
        advance(TimeUnit.HOURS.toMillis(1));
        assertThat(channel.isOpen()).isTrue();
        assertThat(events.count(IngestLimit.HANDSHAKE_TIMEOUT)).isZero();
    }

    @Test
    void anotherEventDoesNotMeetTheDeadline() {
        channel.pipeline().fireUserEventTriggered(new PublishStarted("show/primary"));
        assertThat(channel.pipeline().get(IngestDeadline.class)).isNotNull();
        advance(2000);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aTimeoutBelowOneMillisecondIsRefusedWithItsName() {
        assertThatThrownBy(() ->
                        new IngestDeadline(IngestLimit.PUBLISH_TIMEOUT, Duration.ZERO, PublishStarted.class, events))
                .hasMessageContaining("publish-timeout must be at least 1 ms");
    }
}
