package io.streamrepeater.channel;

import static io.streamrepeater.channel.Packets.audio;
import static io.streamrepeater.channel.Packets.audioHeader;
import static io.streamrepeater.channel.Packets.inter;
import static io.streamrepeater.channel.Packets.keyframe;
import static io.streamrepeater.channel.Packets.videoHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.InputState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveChannelTest {
    /** What the relay would see: kind, flags and output timestamp of each packet. */
    record Out(MediaKind kind, boolean keyframe, boolean header, long dts) {
        @Override
        public String toString() {
            return kind + (header ? "-hdr" : keyframe ? "-key" : "") + "@" + dts;
        }
    }

    private final List<Out> out = new ArrayList<>();
    private LiveChannel channel;

    @BeforeEach
    void setUp() {
        channel = new LiveChannel(
                "show",
                List.of(new InputSpec("primary", true), new InputSpec("backup", true)),
                ImmediateEventExecutor.INSTANCE);
        channel.addOutput(p -> out.add(new Out(p.kind(), p.isVideoKeyframe(), p.sequenceHeader(), p.dts())));
    }

    @AfterEach
    void tearDown() {
        channel.close();
    }

    private InputSession open(String input) {
        return channel.openInput(input, "127.0.0.1:5000", () -> {});
    }

    @Test
    void feedStartsOnKeyframeAfterHeadersAndDropsWhatCameBefore() {
        InputSession s = open("primary");
        s.packet(videoHeader(1000, 1));
        s.packet(audioHeader(1000));
        s.packet(audio(1000)); // before the first keyframe: dropped
        s.packet(inter(1033)); // dropped
        s.packet(keyframe(1066));
        s.packet(audio(1070));
        s.packet(inter(1100));

        assertThat(out)
                .extracting(Out::toString)
                .containsExactly("VIDEO-hdr@0", "AUDIO-hdr@0", "VIDEO-key@0", "AUDIO@4", "VIDEO@34");
    }

    @Test
    void reconnectOfTheEncoderContinuesTheTimelineOneFrameLater() {
        InputSession first = open("primary");
        first.packet(videoHeader(0, 1));
        first.packet(keyframe(0));
        first.packet(inter(40));
        first.close("disconnect");
        InputSession second = open("primary");
        second.packet(videoHeader(0, 1)); // same header: not sent again
        second.packet(keyframe(0)); // the new encoder session restarts its clock at 0
        second.packet(inter(40));

        assertThat(out)
                .extracting(Out::toString)
                .containsExactly("VIDEO-hdr@0", "VIDEO-key@0", "VIDEO@40", "VIDEO-key@80", "VIDEO@120");
    }

    @Test
    void differentCodecHeadersAreResentBeforeTheNewKeyframe() {
        InputSession first = open("primary");
        first.packet(videoHeader(0, 1));
        first.packet(keyframe(0));
        first.close("disconnect");
        InputSession second = open("primary");
        second.packet(videoHeader(500, 2));
        second.packet(keyframe(500));

        assertThat(out)
                .extracting(Out::toString)
                .containsExactly("VIDEO-hdr@0", "VIDEO-key@0", "VIDEO-hdr@0", "VIDEO-key@33");
    }

    @Test
    void newPublisherOnALiveKeyTakesTheInputOver() {
        AtomicInteger oldClosed = new AtomicInteger();
        InputSession old = channel.openInput("primary", "127.0.0.1:1", oldClosed::incrementAndGet);
        old.packet(videoHeader(0, 1));
        old.packet(keyframe(0));
        InputSession fresh = open("primary");
        old.packet(inter(33)); // the half-open old connection: ignored
        fresh.packet(keyframe(100));

        assertThat(oldClosed).hasValue(1);
        assertThat(out).extracting(Out::toString).containsExactly("VIDEO-hdr@0", "VIDEO-key@0", "VIDEO-key@33");
    }

    @Test
    void takeoverCanBeRefusedPerInput() {
        LiveChannel strict =
                new LiveChannel("strict", List.of(new InputSpec("primary", false)), ImmediateEventExecutor.INSTANCE);
        try {
            assertThat(strict.openInput("primary", "a", () -> {})).isNotNull();
            assertThat(strict.openInput("primary", "b", () -> {})).isNull();
        } finally {
            strict.close();
        }
    }

    @Test
    void backupFeedsTheDestinationsWhenThePrimaryEnds() {
        InputSession primary = open("primary");
        InputSession backup = open("backup");
        primary.packet(videoHeader(0, 1));
        backup.packet(videoHeader(0, 1));
        primary.packet(keyframe(0));
        backup.packet(keyframe(5000)); // standby: kept hot, not relayed
        primary.packet(inter(33));
        assertThat(channel.activeInput()).isEqualTo("primary");
        assertThat(channel.inputStatus())
                .extracting(s -> s.state())
                .containsExactly(InputState.ACTIVE, InputState.STANDBY);

        primary.close("disconnect");
        backup.packet(inter(5033)); // not a keyframe: the switch waits
        backup.packet(keyframe(5066));

        assertThat(channel.activeInput()).isEqualTo("backup");
        assertThat(out)
                .extracting(Out::toString)
                .containsExactly("VIDEO-hdr@0", "VIDEO-key@0", "VIDEO@33", "VIDEO-key@66");
    }

    @Test
    void lateDestinationGetsHeadersAndTheGopFromItsKeyframe() {
        InputSession s = open("primary");
        s.packet(videoHeader(0, 1));
        s.packet(audioHeader(0));
        s.packet(keyframe(0));
        s.packet(inter(33));
        s.packet(keyframe(66));
        s.packet(audio(70));
        s.packet(inter(100));

        List<MediaPacket> startup = channel.startupPackets();
        try {
            assertThat(startup)
                    .extracting(p -> new Out(p.kind(), p.isVideoKeyframe(), p.sequenceHeader(), p.dts()).toString())
                    .containsExactly("VIDEO-hdr@0", "AUDIO-hdr@0", "VIDEO-key@66", "AUDIO@70", "VIDEO@100");
        } finally {
            startup.forEach(MediaPacket::release);
        }
    }

    @Test
    void inputSnapshotHoldsHeadersAndTheVideoOfItsLatestGopInInputTime() throws Exception {
        assertThat(channel.inputSnapshot("backup").get())
                .as("nothing before a keyframe")
                .isEmpty();
        InputSession s = open("backup");
        s.packet(videoHeader(5000, 1));
        s.packet(audioHeader(5000));
        s.packet(keyframe(5000));
        s.packet(keyframe(5066));
        s.packet(audio(5070));
        s.packet(inter(5100));

        List<MediaPacket> snapshot = channel.inputSnapshot("backup").get();
        try {
            assertThat(snapshot)
                    .extracting(p -> new Out(p.kind(), p.isVideoKeyframe(), p.sequenceHeader(), p.dts()).toString())
                    .containsExactly("VIDEO-hdr@5000", "VIDEO-key@5066", "VIDEO@5100");
        } finally {
            snapshot.forEach(MediaPacket::release);
        }
        assertThat(channel.inputSnapshot("nope").cause()).hasMessageContaining("no input 'nope'");
    }

    @Test
    void clusterEventsJoinTheChannelsStreamWithTheNodeAsTo() {
        channel.recordLeaseEvent(true, "a", "epoch 1");
        channel.recordNodeEvent(ChannelEventType.NODE_DOWN, "b", "no heartbeat for 3100 ms");
        channel.recordNodeEvent(ChannelEventType.DRAIN_STARTED, "a", "1 channels to hand over");
        assertThat(channel.events().since(0))
                .extracting(ChannelEvent::type, ChannelEvent::to, ChannelEvent::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ChannelEventType.LEASE_ACQUIRED, "a", "epoch 1"),
                        org.assertj.core.groups.Tuple.tuple(
                                ChannelEventType.NODE_DOWN, "b", "no heartbeat for 3100 ms"),
                        org.assertj.core.groups.Tuple.tuple(
                                ChannelEventType.DRAIN_STARTED, "a", "1 channels to hand over"));
        assertThatThrownBy(() -> channel.recordNodeEvent(ChannelEventType.SWITCH, "a", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SWITCH is not a node event");
    }
}
