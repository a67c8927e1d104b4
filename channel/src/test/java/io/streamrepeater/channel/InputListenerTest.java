package io.streamrepeater.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.testkit.TrackingAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-input tap the cluster link forwards from: every packet of one input on its own timestamps, active or not,
 * the start and end of its encoder sessions, a start-up snapshot that the tapped packets follow on from, and buffers
 * released by whoever owns them (tracked to the last one).
 */
class InputListenerTest {
    private final TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
    private final List<String> seen = new ArrayList<>();
    /** Packets a listener kept (retained), released at teardown as a consumer would. */
    private final List<MediaPacket> kept = new ArrayList<>();

    private LiveChannel channel;

    private final InputListener recorder = new InputListener() {
        @Override
        public void packet(MediaPacket p) {
            seen.add(describe(p));
            kept.add(p.retainedDuplicate());
        }

        @Override
        public void started() {
            seen.add("started");
        }

        @Override
        public void ended(String reason) {
            seen.add("ended: " + reason);
        }
    };

    @BeforeEach
    void setUp() {
        channel = new LiveChannel(
                "show",
                List.of(new InputSpec("primary", true), new InputSpec("backup", true)),
                ImmediateEventExecutor.INSTANCE);
    }

    @AfterEach
    void tearDown() {
        channel.close();
        kept.forEach(MediaPacket::release);
        alloc.assertAllReleased();
    }

    private MediaPacket packet(int type, long ts, byte... body) {
        return MediaPacket.fromRtmp(type, ts, alloc.copyOf(body));
    }

    private MediaPacket videoHeader(long ts) {
        return packet(9, ts, (byte) 0x17, (byte) 0x00, (byte) 0, (byte) 0, (byte) 0, (byte) 0x01, (byte) 0x64);
    }

    private MediaPacket audioHeader(long ts) {
        return packet(8, ts, (byte) 0xAF, (byte) 0x00, (byte) 0x12, (byte) 0x10);
    }

    private MediaPacket keyframe(long ts) {
        return packet(
                9, ts, (byte) 0x17, (byte) 0x01, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte)
                        0x65);
    }

    private MediaPacket inter(long ts) {
        return packet(
                9, ts, (byte) 0x27, (byte) 0x01, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte)
                        0x41);
    }

    private MediaPacket audio(long ts) {
        return packet(8, ts, (byte) 0xAF, (byte) 0x01, (byte) 0x21);
    }

    private static String describe(MediaPacket p) {
        String kind = p.kind() == MediaKind.VIDEO ? "video" : p.kind() == MediaKind.AUDIO ? "audio" : "data";
        return kind + (p.sequenceHeader() ? "-hdr" : p.isVideoKeyframe() ? "-key" : "") + "@" + p.dts();
    }

    @Test
    void aStandbyInputsPacketsReachItsListenerOnTheInputsOwnTimestamps() {
        InputSession primary = channel.openInput("primary", "a", () -> {});
        primary.packet(videoHeader(0));
        primary.packet(keyframe(0));
        assertThat(channel.addInputListener("backup", recorder).isSuccess()).isTrue();
        InputSession backup = channel.openInput("backup", "b", () -> {});
        backup.packet(videoHeader(90_000));
        backup.packet(keyframe(90_000));
        backup.packet(audio(90_010));
        backup.packet(inter(90_033));
        primary.packet(inter(33)); // another input's packet: not the listener's

        assertThat(channel.activeInput()).isEqualTo("primary"); // the backup is standby, and still tapped
        assertThat(seen).containsExactly("started", "video-hdr@90000", "video-key@90000", "audio@90010", "video@90033");
    }

    @Test
    void aListenerAddedToALiveInputIsToldAtOnceAndSeesTheEndAndTheNextSession() {
        InputSession first = channel.openInput("backup", "b", () -> {});
        channel.addInputListener("backup", recorder);
        first.close("encoder left");
        InputSession second = channel.openInput("backup", "b", () -> {});
        second.packet(keyframe(0));
        channel.close();

        assertThat(seen)
                .containsExactly("started", "ended: encoder left", "started", "video-key@0", "ended: channel closed");
    }

    @Test
    void theStartupPacketsAreTheHeadersAtTheGopsTimeThenTheGopAndTheTapFollowsOnFromThem() {
        InputSession backup = channel.openInput("backup", "b", () -> {});
        backup.packet(videoHeader(1000));
        backup.packet(audioHeader(1000));
        backup.packet(keyframe(2000));
        backup.packet(inter(2033));
        backup.packet(keyframe(4000));
        backup.packet(audio(4010));

        List<MediaPacket> startup = channel.inputStartupPackets("backup");
        channel.addInputListener("backup", recorder);
        backup.packet(inter(4033));
        try {
            assertThat(startup)
                    .extracting(InputListenerTest::describe)
                    .containsExactly("video-hdr@4000", "audio-hdr@4000", "video-key@4000", "audio@4010");
            assertThat(seen).containsExactly("started", "video@4033");
        } finally {
            startup.forEach(MediaPacket::release);
        }
    }

    @Test
    void aRemovedListenerGetsNothingMore() {
        InputSession backup = channel.openInput("backup", "b", () -> {});
        channel.addInputListener("backup", recorder);
        backup.packet(keyframe(0));
        channel.removeInputListener(recorder);
        backup.packet(inter(33));
        backup.close("gone");

        assertThat(seen).containsExactly("started", "video-key@0");
    }

    @Test
    void anUnknownInputCannotBeTapped() {
        assertThat(channel.addInputListener("nope", recorder).cause())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no input 'nope'");
        assertThat(channel.inputStartupPackets("nope")).isEmpty();
    }

    @Test
    void aRemovedInputEndsItsListeners() {
        channel.openInput("backup", "b", () -> {});
        channel.addInputListener("backup", recorder);
        channel.updateInputs(List.of(new InputSpec("primary", true)));

        assertThat(seen).containsExactly("started", "ended: input removed from the channel");
    }

    @Test
    void aForwardedInputShowsTheNodeItsEncoderIsOn() {
        channel.openInput("backup", "127.0.0.12:40000", () -> {}, "cluster", "b");
        channel.openInput("primary", "127.0.0.1:5000", () -> {});

        List<InputStatus> status = channel.inputStatus();
        assertThat(status)
                .extracting(InputStatus::name, InputStatus::node, InputStatus::transport)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("primary", null, "rtmp"),
                        org.assertj.core.groups.Tuple.tuple("backup", "b", "cluster"));
    }
}
