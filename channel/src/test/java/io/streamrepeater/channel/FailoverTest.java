package io.streamrepeater.channel;

import static io.streamrepeater.channel.Packets.audio;
import static io.streamrepeater.channel.Packets.audioHeader;
import static io.streamrepeater.channel.Packets.audioHeader48k;
import static io.streamrepeater.channel.Packets.frameWithCts;
import static io.streamrepeater.channel.Packets.inter;
import static io.streamrepeater.channel.Packets.keyframe;
import static io.streamrepeater.channel.Packets.videoHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.Compatibility;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The switcher and the rebaser with synthetic packet sequences and a hand-moved clock. Each input
 * sends 30 fps video (33 ms apart); the clock advances with the packets as a live encoder would.
 */
class FailoverTest {
    private final MutableClock clock = new MutableClock();
    private final List<String> out = new ArrayList<>();
    private final List<MediaPacket> kept = new ArrayList<>();
    private LiveChannel channel;

    private LiveChannel channel(Failback failback, StartMode start, Timeline timeline) {
        channel = new LiveChannel(
                "show",
                List.of(new InputSpec("primary", true), new InputSpec("backup", true)),
                new FailoverPolicy(1000, failback, 3000, start, timeline),
                ImmediateEventExecutor.INSTANCE,
                clock);
        channel.addOutput(p -> out.add(describe(p)));
        return channel;
    }

    private static String describe(MediaPacket p) {
        String kind = p.kind().name().substring(0, 1);
        return kind + (p.sequenceHeader() ? "hdr" : p.isVideoKeyframe() ? "key" : "") + "@" + p.dts();
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.close();
        }
        kept.forEach(MediaPacket::release);
    }

    private InputSession open(String input, String remote) {
        return channel.openInput(input, remote, () -> {});
    }

    /** Feeds {@code frames} video frames 33 ms apart (keyframe every 30) starting at input time {@code startTs}. */
    private long feed(InputSession s, long startTs, int frames, boolean advanceClock) {
        long ts = startTs;
        for (int i = 0; i < frames; i++) {
            s.packet(((ts - startTs) / 33) % 30 == 0 ? keyframe(ts) : inter(ts));
            ts += 33;
            if (advanceClock) {
                clock.advance(33);
            }
        }
        return ts;
    }

    private List<ChannelEvent> switches() {
        return channel.events().since(0).stream()
                .filter(e -> e.type() == ChannelEventType.SWITCH)
                .toList();
    }

    /** Both inputs publishing in lock step, primary active, for {@code frames} frames. */
    private void bothLive(InputSession primary, InputSession backup, int frames) {
        primary.packet(videoHeader(0, 1));
        backup.packet(videoHeader(0, 1));
        for (int i = 0; i < frames; i++) {
            long ts = i * 33L;
            primary.packet(i % 30 == 0 ? keyframe(ts) : inter(ts));
            backup.packet(i % 30 == 0 ? keyframe(50_000 + ts) : inter(50_000 + ts));
            clock.advance(33);
            channel.tick();
        }
    }

    private void backupAlone(InputSession backup, int fromFrame, int frames) {
        for (int i = fromFrame; i < fromFrame + frames; i++) {
            long ts = 50_000 + i * 33L;
            backup.packet(i % 30 == 0 ? keyframe(ts) : inter(ts));
            clock.advance(33);
            channel.tick();
        }
    }

    @Test
    void frozenPrimaryIsDetectedAfterInputLossAndTheBackupContinuesOneFrameLater() {
        channel(Failback.STICKY, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "10.0.0.1:1");
        InputSession backup = open("backup", "10.0.0.2:1");
        bothLive(primary, backup, 40); // primary output 0..1287
        assertThat(channel.activeInput()).isEqualTo("primary");
        String lastPrimary = out.get(out.size() - 1);
        assertThat(lastPrimary).isEqualTo("V@1287");

        // The primary freezes (connection open, no media): the backup alone keeps sending.
        backupAlone(backup, 40, 29); // up to frame 68: not yet past 1000 ms plus the wait for frame 60's keyframe
        assertThat(out).hasSize(41 + 0); // header + 40 frames: nothing from the backup before its keyframe
        backupAlone(backup, 69, 30); // frame 90 is the backup's next keyframe

        assertThat(channel.activeInput()).isEqualTo("backup");
        int switchAt = out.indexOf("Vkey@1320");
        assertThat(switchAt)
                .as("backup's keyframe lands one frame after the primary's last frame: %s", out)
                .isEqualTo(41);
        ChannelEvent sw = switches().get(switches().size() - 1);
        assertThat(sw.from()).isEqualTo("primary");
        assertThat(sw.to()).isEqualTo("backup");
        assertThat(sw.reason()).contains("no media for");
        assertThat(sw.detectionDelayMs()).isBetween(1000L, 1100L);
        assertThat(sw.gapMs()).isEqualTo(33);
    }

    @Test
    void realtimeTimelineAdvancesByTheOutage() {
        channel(Failback.STICKY, StartMode.NEXT_KEYFRAME, Timeline.REALTIME);
        InputSession primary = open("primary", "10.0.0.1:1");
        InputSession backup = open("backup", "10.0.0.2:1");
        bothLive(primary, backup, 40);
        primary.close("disconnect"); // detected at once
        backupAlone(backup, 40, 51); // next backup keyframe at frame 60: 20 frames (660 ms) later

        ChannelEvent sw = switches().get(switches().size() - 1);
        assertThat(sw.to()).isEqualTo("backup");
        // Last primary frame at 1287 was sent at the time of frame 39; the backup keyframe of frame 60 arrives 21
        // frames later.
        assertThat(sw.gapMs()).isBetween(21 * 33L - 33, 21 * 33L + 33);
        assertThat(sw.detectionDelayMs()).isLessThan(100);
    }

    @Test
    void cachedStartReplaysTheBackupGopAtOnce() {
        channel(Failback.STICKY, StartMode.CACHED, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "10.0.0.1:1");
        InputSession backup = open("backup", "10.0.0.2:1");
        bothLive(primary, backup, 40); // backup GOP cache: keyframe at frame 30 + 9 frames
        int before = out.size();
        primary.close("disconnect");

        assertThat(out.subList(before, out.size()))
                .as("the cached GOP, rebased")
                .startsWith("Vkey@1320", "V@1353")
                .hasSize(10);
        ChannelEvent sw = switches().get(switches().size() - 1);
        assertThat(sw.repeatedMs()).isEqualTo(9 * 33);
        assertThat(sw.switchMs()).isZero();
    }

    @Test
    void stickyStaysOnTheBackupWhenThePrimaryReturns() {
        channel(Failback.STICKY, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "10.0.0.1:1");
        InputSession backup = open("backup", "10.0.0.2:1");
        bothLive(primary, backup, 40);
        primary.close("disconnect");
        backupAlone(backup, 40, 30);
        InputSession primaryAgain = open("primary", "10.0.0.1:2");
        primaryAgain.packet(videoHeader(0, 1));
        for (int i = 0; i < 200; i++) { // 6.6 s, well past clearMs
            primaryAgain.packet(i % 30 == 0 ? keyframe(i * 33L) : inter(i * 33L));
            backup.packet((70 + i) % 30 == 0 ? keyframe(50_000 + (70 + i) * 33L) : inter(50_000 + (70 + i) * 33L));
            clock.advance(33);
            channel.tick();
        }
        assertThat(channel.activeInput()).isEqualTo("backup");
    }

    @Test
    void autoFailbackReturnsAfterClearMsAtThePrimarysKeyframe() {
        channel(Failback.AUTO, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "10.0.0.1:1");
        InputSession backup = open("backup", "10.0.0.2:1");
        bothLive(primary, backup, 40);
        primary.close("disconnect");
        backupAlone(backup, 40, 30);
        assertThat(channel.activeInput()).isEqualTo("backup");
        InputSession primaryAgain = open("primary", "10.0.0.1:2");
        primaryAgain.packet(videoHeader(0, 1));
        List<String> activeByFrame = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            primaryAgain.packet(i % 30 == 0 ? keyframe(i * 33L) : inter(i * 33L));
            backup.packet((70 + i) % 30 == 0 ? keyframe(50_000 + (70 + i) * 33L) : inter(50_000 + (70 + i) * 33L));
            clock.advance(33);
            channel.tick();
            activeByFrame.add(channel.activeInput());
        }
        int back = activeByFrame.indexOf("primary");
        // healthy after clearMs = 3000 ms (frame 91), then the switch waits for the keyframe of frame 120
        assertThat(back).isEqualTo(120);
        ChannelEvent sw = switches().get(switches().size() - 1);
        assertThat(sw.reason()).startsWith("failback to primary");
        assertThat(sw.gapMs()).isEqualTo(33);
    }

    @Test
    void manualPolicyWaitsForTheOperator() throws Exception {
        channel(Failback.MANUAL, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "10.0.0.1:1");
        InputSession backup = open("backup", "10.0.0.2:1");
        bothLive(primary, backup, 40);
        primary.close("disconnect");
        backupAlone(backup, 40, 30);
        InputSession primaryAgain = open("primary", "10.0.0.1:2");
        primaryAgain.packet(videoHeader(0, 1));
        for (int i = 0; i < 150; i++) {
            primaryAgain.packet(i % 30 == 0 ? keyframe(i * 33L) : inter(i * 33L));
            backup.packet((70 + i) % 30 == 0 ? keyframe(50_000 + (70 + i) * 33L) : inter(50_000 + (70 + i) * 33L));
            clock.advance(33);
            channel.tick();
        }
        assertThat(channel.activeInput()).isEqualTo("backup");
        assertThat(channel.switchTo("primary").isSuccess()).isTrue();
        primaryAgain.packet(keyframe(150 * 33L));
        assertThat(channel.activeInput()).isEqualTo("primary");
        assertThatThrownBy(() -> channel.switchTo("nope").sync()).hasMessageContaining("has no input 'nope'");
    }

    @Test
    void operatorSwitchToADownInputIsRefusedWithTheReason() {
        channel(Failback.STICKY, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "10.0.0.1:1");
        primary.packet(videoHeader(0, 1));
        feed(primary, 0, 5, true);
        assertThatThrownBy(() -> channel.switchTo("backup").sync())
                .hasMessageContaining("input backup of channel show cannot take over: no encoder connected");
    }

    @Test
    void noUsableInputHoldsTheDestinationsAndTheFirstReturningInputResumes() {
        channel(Failback.STICKY, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "10.0.0.1:1");
        primary.packet(videoHeader(0, 1));
        feed(primary, 0, 10, true);
        primary.close("disconnect");
        assertThat(channel.activeInput()).isNull();
        clock.advance(5000);
        channel.tick();
        InputSession backup = open("backup", "10.0.0.2:1");
        backup.packet(videoHeader(0, 1));
        feed(backup, 7000, 3, true);
        assertThat(channel.activeInput()).isEqualTo("backup");
        assertThat(out).containsSubsequence("V@297", "Vkey@330");
    }

    @Test
    void bFramesKeepTheirCompositionOffsetAcrossTheRebase() {
        channel(Failback.STICKY, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        List<long[]> dtsPts = new ArrayList<>();
        channel.addOutput(p -> dtsPts.add(new long[] {p.dts(), p.pts()}));
        InputSession s = open("primary", "10.0.0.1:1");
        s.packet(videoHeader(5000, 1));
        s.packet(frameWithCts(5000, true, 66));
        s.packet(frameWithCts(5033, false, 99));
        s.packet(frameWithCts(5066, false, 0));
        assertThat(dtsPts.subList(1, 4)).extracting(a -> a[1] - a[0]).containsExactly(66L, 99L, 0L);
        assertThat(dtsPts.subList(1, 4)).extracting(a -> a[0]).containsExactly(0L, 33L, 66L);
    }

    @Test
    void audioBeforeTheNewInputsKeyframeIsDroppedAndKeepsItsOffsetAfter() {
        channel(Failback.STICKY, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "10.0.0.1:1");
        InputSession backup = open("backup", "10.0.0.2:1");
        primary.packet(videoHeader(0, 1));
        primary.packet(audioHeader(0));
        primary.packet(keyframe(0));
        primary.packet(audio(10));
        primary.packet(inter(33));
        backup.packet(videoHeader(0, 1));
        backup.packet(audioHeader(0));
        primary.close("disconnect");
        backup.packet(audio(900)); // before the backup's keyframe: dropped
        backup.packet(keyframe(1000));
        backup.packet(audio(1010)); // 10 ms after its keyframe, as on the primary
        assertThat(out).containsSubsequence("Vkey@66", "A@76").doesNotContain("A@-");
        assertThat(out.stream().filter(s -> s.startsWith("A@")).toList()).containsExactly("A@10", "A@76");
    }

    @Test
    void compatibilityNamesMismatchesAndASharedAddress() {
        channel(Failback.STICKY, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "/10.0.0.7:5001");
        InputSession backup = open("backup", "/10.0.0.7:5002");
        primary.packet(audioHeader(0));
        backup.packet(audioHeader48k(0));
        Compatibility c = channel.compatibility();
        assertThat(c.inputsMatch()).isFalse();
        assertThat(c.mismatches()).containsExactly("sample rate: primary 44100 Hz, backup 48000 Hz");
        assertThat(c.warnings()).singleElement().asString().contains("same address 10.0.0.7");
        Function<String, String> formatOf = n -> channel.inputStatus().stream()
                .filter(s -> s.name().equals(n))
                .findFirst()
                .orElseThrow()
                .format();
        assertThat(formatOf.apply("backup")).isEqualTo("AAC 48000Hz 2ch");
    }

    @Test
    void inputsCanBeReconfiguredWhileLive() {
        channel(Failback.AUTO, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        InputSession primary = open("primary", "10.0.0.1:1");
        InputSession backup = open("backup", "10.0.0.2:1");
        bothLive(primary, backup, 40);
        assertThat(channel.activeInput()).isEqualTo("primary");

        // a third input is added first in priority; the primary is removed (its encoder disconnected)
        channel.updateInputs(List.of(new InputSpec("backup", true), new InputSpec("spare", true)));
        assertThat(channel.inputStatus()).extracting(s -> s.name()).containsExactly("backup", "spare");
        backupAlone(backup, 40, 30);
        assertThat(channel.activeInput()).isEqualTo("backup");
        assertThat(channel.openInput("primary", "x", () -> {}))
                .as("removed input")
                .isNull();
        InputSession spare = open("spare", "10.0.0.3:1");
        assertThat(spare).isNotNull();
        assertThat(out).doesNotHaveDuplicates();
    }

    @Test
    void inputsWithDifferentFrameRatesKeepTheirOwnSpacingAfterTheSwitch() {
        channel(Failback.STICKY, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        List<Long> videoDts = new ArrayList<>();
        channel.addOutput(p -> {
            if (p.kind() == io.streamrepeater.media.MediaKind.VIDEO && !p.sequenceHeader()) {
                videoDts.add(p.dts());
            }
        });
        InputSession primary = open("primary", "10.0.0.1:1"); // 30 fps
        InputSession backup = open("backup", "10.0.0.2:1"); // 25 fps
        primary.packet(videoHeader(0, 1));
        backup.packet(videoHeader(0, 1));
        for (int i = 0; i < 10; i++) {
            primary.packet(i == 0 ? keyframe(i * 33L) : inter(i * 33L));
            clock.advance(33);
        }
        backup.packet(keyframe(7000));
        primary.close("disconnect");
        for (int i = 1; i < 6; i++) {
            backup.packet(i % 5 == 0 ? keyframe(7000 + i * 40L) : inter(7000 + i * 40L));
        }
        // next-keyframe: the backup starts at its keyframe of 7200, one primary frame (33 ms) after 297
        assertThat(videoDts.subList(videoDts.size() - 2, videoDts.size())).containsExactly(297L, 330L);
        backup.packet(inter(7240));
        backup.packet(inter(7280));
        assertThat(videoDts.subList(videoDts.size() - 3, videoDts.size()))
                .as("25 fps spacing from then on")
                .containsExactly(330L, 370L, 410L);
    }
}
