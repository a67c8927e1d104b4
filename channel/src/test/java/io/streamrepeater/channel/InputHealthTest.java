package io.streamrepeater.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.streamrepeater.channel.FailoverPolicy.LowBitrate;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Input health counted per kind (issue 15): a video that stops while its audio goes on fails over; a channel of
 * audio-only inputs goes live and fails over on audio frames; the optional low-bitrate trigger.
 */
class InputHealthTest {
    private final MutableClock clock = new MutableClock();
    private final List<MediaPacket> out = new ArrayList<>();
    private LiveChannel channel;

    private LiveChannel channel(FailoverPolicy policy) {
        channel = new LiveChannel(
                "show",
                List.of(new InputSpec("primary", true), new InputSpec("backup", true)),
                policy,
                ImmediateEventExecutor.INSTANCE,
                clock);
        channel.addOutput(p -> out.add(p.retainedDuplicate()));
        return channel;
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.close();
        }
        out.forEach(MediaPacket::release);
    }

    private List<ChannelEvent> switches() {
        return channel.events().since(0).stream()
                .filter(e -> e.type() == ChannelEventType.SWITCH)
                .toList();
    }

    private InputStatus status(String input) {
        return channel.inputStatus().stream()
                .filter(i -> i.name().equals(input))
                .findFirst()
                .orElseThrow();
    }

    /** 10 ms steps: video every 33 ms (keyframe every second) unless {@code video} is false, audio every 23 ms. */
    private void stream(InputSession s, long originMs, long fromMs, long toMs, boolean video, boolean audio) {
        for (long t = fromMs; t < toMs; t += 1) {
            if (video && t % 33 == 0) {
                s.packet(t % 990 == 0 ? Packets.keyframe(originMs + t) : Packets.inter(originMs + t));
            }
            if (audio && t % 23 == 0) {
                s.packet(Packets.audio(originMs + t));
            }
            clock.advance(1);
            if (t % 20 == 0) {
                channel.tick();
            }
        }
    }

    @Test
    void videoThatStopsWhileItsAudioGoesOnFailsOverAfterInputLoss() {
        channel(new FailoverPolicy(500, Failback.STICKY, 1000, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS));
        InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
        InputSession backup = channel.openInput("backup", "10.0.0.2:1", () -> {});
        primary.packet(Packets.videoHeader(0, 1));
        backup.packet(Packets.videoHeader(0, 1));
        for (long t = 0; t < 2000; t += 10) {
            stream(primary, 0, t, t + 10, true, true);
            clock.advance(-10); // both streams share the 10 ms step
            stream(backup, 50_000, t, t + 10, true, true);
        }
        assertThat(channel.activeInput()).isEqualTo("primary");
        // the primary's video thread hangs: its audio keeps arriving
        for (long t = 2000; t < 4000; t += 10) {
            stream(primary, 0, t, t + 10, false, true);
            clock.advance(-10);
            stream(backup, 50_000, t, t + 10, true, true);
        }
        assertThat(channel.activeInput()).isEqualTo("backup");
        ChannelEvent sw = switches().get(switches().size() - 1);
        assertThat(sw.from()).isEqualTo("primary");
        assertThat(sw.reason()).contains("no video for").contains("audio still arriving");
        assertThat(sw.detectionDelayMs()).isBetween(500L, 600L);
        assertThat(status("primary").state()).isEqualTo(InputState.DOWN);
        // once its video is back (with a keyframe) the primary stands by again
        for (long t = 4000; t < 5500; t += 10) {
            stream(primary, 0, t, t + 10, true, true);
            clock.advance(-10);
            stream(backup, 50_000, t, t + 10, true, true);
        }
        assertThat(status("primary").state()).isEqualTo(InputState.STANDBY);
    }

    @Test
    void aChannelOfAudioOnlyInputsGoesLiveAndSwitchesOnAudioFrames() {
        channel(new FailoverPolicy(500, Failback.STICKY, 1000, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS));
        InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
        InputSession backup = channel.openInput("backup", "10.0.0.2:1", () -> {});
        primary.packet(Packets.audioHeader(0));
        backup.packet(Packets.audioHeader(0));
        for (long t = 0; t < 2000; t += 10) {
            stream(primary, 0, t, t + 10, false, true);
            clock.advance(-10);
            stream(backup, 70_000, t, t + 10, false, true);
        }
        assertThat(channel.activeInput())
                .as("audio-only after inputLossMs of audio")
                .isEqualTo("primary");
        long lastPrimaryDts = lastAudioDts();
        int before = out.size();
        primary.close("disconnect");
        stream(backup, 70_000, 2000, 2100, false, true);
        assertThat(channel.activeInput()).isEqualTo("backup");
        List<MediaPacket> after = out.subList(before, out.size());
        MediaPacket firstAudio = after.stream()
                .filter(p -> p.kind() == MediaKind.AUDIO && !p.sequenceHeader())
                .findFirst()
                .orElseThrow();
        assertThat(firstAudio.dts())
                .as("the backup's first audio frame, one frame after the primary's last")
                .isBetween(lastPrimaryDts + 1, lastPrimaryDts + 40);
        ChannelEvent sw = switches().get(switches().size() - 1);
        assertThat(sw.to()).isEqualTo("backup");
        assertThat(sw.switchMs()).as("no keyframe to wait for").isLessThan(30);
        assertThat(after).noneMatch(p -> p.kind() == MediaKind.VIDEO);
    }

    private long lastAudioDts() {
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i).kind() == MediaKind.AUDIO) {
                return out.get(i).dts();
            }
        }
        throw new AssertionError("no audio sent: " + out);
    }

    @Test
    void anInputWithAVideoHeaderIsNotTakenForAudioOnly() {
        channel(new FailoverPolicy(500, Failback.STICKY, 1000, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS));
        InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
        primary.packet(Packets.videoHeader(0, 1));
        primary.packet(Packets.audioHeader(0));
        stream(primary, 0, 0, 2000, false, true); // audio, and video that never comes
        assertThat(channel.activeInput()).isNull();
        assertThat(status("primary").reason()).contains("no video for");
    }

    private void bitrateStream(InputSession s, long originMs, long fromMs, long toMs, int frameBytes) {
        for (long t = fromMs; t < toMs; t += 33) {
            s.packet(Packets.interOfSize(originMs + t, frameBytes, t % 990 == 0));
            clock.advance(33);
            channel.tick();
        }
    }

    @Test
    void anInputWhoseBitrateStaysBelowTheFloorCountsAsDown() {
        // 2000 bytes every 33 ms is about 480 kb/s; 500 bytes is about 120 kb/s
        channel(new FailoverPolicy(
                500, Failback.AUTO, 1000, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS, new LowBitrate(300, 2000)));
        InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
        InputSession backup = channel.openInput("backup", "10.0.0.2:1", () -> {});
        for (long t = 0; t < 2970; t += 33) {
            bitrateStream(primary, 0, t, t + 33, 2000);
            clock.advance(-33);
            bitrateStream(backup, 9_000, t, t + 33, 2000);
        }
        assertThat(channel.activeInput()).isEqualTo("primary");
        long degradedAt = clock.millis();
        for (long t = 2970; t < 7000; t += 33) {
            bitrateStream(primary, 0, t, t + 33, 500);
            clock.advance(-33);
            bitrateStream(backup, 9_000, t, t + 33, 2000);
            if ("backup".equals(channel.activeInput())) {
                break;
            }
        }
        assertThat(channel.activeInput()).isEqualTo("backup");
        ChannelEvent sw = switches().get(switches().size() - 1);
        assertThat(sw.reason()).contains("bitrate").contains("below 300 kb/s");
        // the floor is crossed within the first second of the degraded stream, then held for forMs
        assertThat(clock.millis() - degradedAt).isBetween(2000L, 3200L);
    }

    @Test
    void withoutTheTriggerALowBitrateInputStaysActive() {
        channel(new FailoverPolicy(500, Failback.AUTO, 1000, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS));
        InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
        InputSession backup = channel.openInput("backup", "10.0.0.2:1", () -> {});
        for (long t = 0; t < 8000; t += 33) {
            bitrateStream(primary, 0, t, t + 33, t < 3000 ? 2000 : 500);
            clock.advance(-33);
            bitrateStream(backup, 9_000, t, t + 33, 2000);
        }
        assertThat(channel.activeInput()).isEqualTo("primary");
    }

    @Test
    void theTriggerRefusesNonsense() {
        assertThatThrownBy(() -> new LowBitrate(0, 3000)).hasMessageContaining("belowKbps");
        assertThatThrownBy(() -> new LowBitrate(300, 10)).hasMessageContaining("forMs");
    }
}
