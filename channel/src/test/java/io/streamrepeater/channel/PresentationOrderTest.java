package io.streamrepeater.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Presentation order across a switch (issue 15, DESIGN.md §3): inputs send H.264 as x264 {@code -bf 2} does (decode
 * order I0 P3 B1 B2 P6 B4 B5…, presentation two frames behind decoding), with millisecond timestamps of a 30 fps
 * grid; the active one is cut anywhere in its GOP. What the channel sends must be what a decoder can present in
 * order, and what a decoder counting frames at 30 fps (ffmpeg's {@code -f null}, a transcoder) sees as one frame
 * per slot.
 */
class PresentationOrderTest {
    private static final double FRAME_MS = 1000.0 / 30;
    private static final int GOP = 30;

    /** One output video frame as a decoder receives it. */
    private record Sent(long dts, long pts, boolean keyframe, String input) {}

    /** Input time of frame {@code n} of a 30 fps encoder whose clock started at {@code originMs}. */
    private static long ms(long originMs, int n) {
        return originMs + Math.round(n * FRAME_MS);
    }

    /**
     * The display index of the frame sent {@code decodeIndex}-th, x264 style with two B-frames: within each closed
     * GOP, I first, then each P ahead of the two B-frames presented before it.
     */
    static int displayIndex(int decodeIndex) {
        int gop = decodeIndex / GOP;
        int i = decodeIndex % GOP;
        int base = gop * GOP;
        if (i == 0) {
            return base;
        }
        int fullRuns = (GOP - 1) / 3; // P B B runs after the I frame
        int run = (i - 1) / 3;
        if (run >= fullRuns) {
            return base + i; // the GOP's tail: plain P frames
        }
        int inRun = (i - 1) % 3;
        int p = 1 + run * 3 + 2; // display index of the run's P frame
        return base + (inRun == 0 ? p : p - 2 + (inRun - 1));
    }

    /** An encoder of that kind: frame {@code decodeIndex} with DTS and PTS on its own clock. */
    private static MediaPacket frame(long originMs, int decodeIndex) {
        int display = displayIndex(decodeIndex);
        long dts = ms(originMs, decodeIndex);
        long pts = ms(originMs, display + 2); // presentation runs two frames behind decoding
        return Packets.frameWithCts(dts, decodeIndex % GOP == 0, (int) (pts - dts));
    }

    private final MutableClock clock = new MutableClock();
    private final List<Sent> sent = new ArrayList<>();
    private final List<String> inputOfSegment = new ArrayList<>();

    private LiveChannel channel(StartMode start, Timeline timeline) {
        LiveChannel channel = new LiveChannel(
                "show",
                List.of(new InputSpec("primary", true), new InputSpec("backup", true)),
                new FailoverPolicy(500, Failback.STICKY, 1000, start, timeline),
                ImmediateEventExecutor.INSTANCE,
                clock);
        channel.addOutput(p -> {
            if (p.kind() == MediaKind.VIDEO && !p.sequenceHeader()) {
                sent.add(new Sent(p.dts(), p.pts(), p.isVideoKeyframe(), channel.activeInput()));
            }
        });
        return channel;
    }

    /**
     * Primary and backup publish together (the backup's clock started at {@code backupOriginMs}); the primary is
     * cut after its {@code cutAfter}-th frame (by disconnect, or by freezing when {@code freeze}), and the backup
     * goes on alone for two more GOPs.
     */
    private void run(StartMode start, Timeline timeline, int cutAfter, long backupOriginMs, boolean freeze) {
        run(start, timeline, cutAfter, backupOriginMs, freeze, 0);
    }

    /** As above; the clock also moves {@code lateMs} (scheduling, network) when the primary is cut. */
    private void run(
            StartMode start, Timeline timeline, int cutAfter, long backupOriginMs, boolean freeze, int lateMs) {
        run(start, timeline, cutAfter, backupOriginMs, freeze, lateMs, false);
    }

    /** As above; with {@code backupJoinsAtCut} the backup's encoder only starts when the primary is cut. */
    private void run(
            StartMode start,
            Timeline timeline,
            int cutAfter,
            long backupOriginMs,
            boolean freeze,
            int lateMs,
            boolean backupJoinsAtCut) {
        LiveChannel channel = channel(start, timeline);
        try {
            InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
            InputSession backup = channel.openInput("backup", "10.0.0.2:1", () -> {});
            primary.packet(Packets.videoHeader(0, 1));
            backup.packet(Packets.videoHeader(0, 2));
            int n = 0;
            for (; n <= cutAfter; n++) {
                primary.packet(frame(0, n));
                if (!backupJoinsAtCut) {
                    backup.packet(frame(backupOriginMs, n));
                }
                clock.advance(33);
                channel.tick();
            }
            clock.advance(lateMs);
            if (!freeze) {
                primary.close("disconnect");
            }
            int first = n;
            for (int end = n + 2 * GOP + 20; n < end; n++) {
                // an encoder that joins now starts with a keyframe, as every encoder does
                backup.packet(frame(backupOriginMs, backupJoinsAtCut ? (n - first) : n));
                clock.advance(33);
                channel.tick();
            }
            assertThat(channel.activeInput()).isEqualTo("backup");
        } finally {
            channel.close();
        }
    }

    /** Checks what a decoder got: DTS order, presentation after the switch, one frame per 30 fps slot. */
    private void assertDecodableInOrder() {
        assertThat(sent).isNotEmpty();
        long maxPtsBefore = Long.MIN_VALUE;
        String segmentInput = null;
        for (int i = 0; i < sent.size(); i++) {
            Sent s = sent.get(i);
            if (i > 0) {
                assertThat(s.dts).as("DTS of frame %d: %s", i, sent).isGreaterThan(sent.get(i - 1).dts);
            }
            if (!s.input.equals(segmentInput)) {
                assertThat(s.keyframe)
                        .as("a segment starts on a keyframe: frame %d", i)
                        .isTrue();
                segmentInput = s.input;
                long maxPts = maxPtsBefore;
                for (Sent later : sent.subList(i, sent.size())) {
                    assertThat(later.pts)
                            .as("presented after everything before the switch to %s", s.input)
                            .isGreaterThan(maxPts);
                }
            }
            maxPtsBefore = Math.max(maxPtsBefore, s.pts);
        }
        // a 30 fps decoder rounds each presentation time to its frame slot: no two frames share one
        Set<Long> slots = new HashSet<>();
        for (Sent s : sent) {
            long slot = Math.round(s.pts / FRAME_MS);
            assertThat(slots.add(slot))
                    .as("frame presented at %d ms shares slot %d: %s", s.pts, slot, sent)
                    .isTrue();
        }
    }

    @Test
    void theDecodeOrderOfTheTestEncoderIsX264s() {
        List<Integer> firstGop = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            firstGop.add(displayIndex(i));
        }
        assertThat(firstGop).containsExactly(0, 3, 1, 2, 6, 4, 5, 9, 7, 8);
        assertThat(displayIndex(GOP)).isEqualTo(GOP);
    }

    @Test
    void aCutOnAReorderedPFrameMovesTheBackupPastItsPresentationTime() {
        // decode index 34 is the P-frame of display index 36, presented after B-frames 34 and 35 that never come
        run(StartMode.CACHED, Timeline.CONTINUOUS, 34, 17, false);
        assertDecodableInOrder();
    }

    @Test
    void aFreshBackupTakingOverAFrozenPrimaryFromItsCacheInRealtimeLandsOnTheGrid() {
        // found by the property: cut after frame 31, backup clock at 0, cached start, realtime, primary frozen,
        // 88 ms late, the backup's encoder joining at the cut
        run(StartMode.CACHED, Timeline.REALTIME, 31, 0, true, 88, true);
        assertDecodableInOrder();
    }

    // A fixed seed: the suite runs the same 200 cases every time (a red CI run must mean a regression, not a new draw);
    // wider searches ran locally with other seeds and 5,000 tries.
    @Property(tries = 200, seed = "20261207")
    void everyCutPhaseStartAndTimelineDecodesInOrder(
            @ForAll @IntRange(min = 31, max = 60) int cutAfter,
            @ForAll @IntRange(min = 0, max = 5000) int backupOriginMs,
            @ForAll StartMode start,
            @ForAll Timeline timeline,
            @ForAll boolean freeze,
            @ForAll @IntRange(min = 0, max = 100) int lateMs,
            @ForAll boolean backupJoinsAtCut) {
        sent.clear();
        run(start, timeline, cutAfter, backupOriginMs, freeze, lateMs, backupJoinsAtCut);
        assertDecodableInOrder();
    }

    /**
     * A realtime outage of more than a second (the output clock jumps, and the output's own grid must be measured
     * again), then a second switch a few frames later, to a primary that has just reconnected: the second segment
     * must still land on the grid of what was sent.
     */
    @Property(tries = 100, seed = "20261207") // fixed, as above
    void aSecondSwitchSoonAfterALongRealtimeOutageStaysOnTheGrid(
            @ForAll @IntRange(min = 1100, max = 3000) int outageMs,
            @ForAll @IntRange(min = 1, max = 6) int backupFrames,
            @ForAll @IntRange(min = 0, max = 5000) int backupOriginMs,
            @ForAll @IntRange(min = 0, max = 5000) int primaryOriginMs,
            @ForAll @IntRange(min = 0, max = 700) int reconnectMs) {
        sent.clear();
        LiveChannel channel = channel(StartMode.NEXT_KEYFRAME, Timeline.REALTIME);
        try {
            InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
            InputSession backup = channel.openInput("backup", "10.0.0.2:1", () -> {});
            primary.packet(Packets.videoHeader(0, 1));
            backup.packet(Packets.videoHeader(0, 2));
            int n = 0;
            for (; n < 2 * GOP; n++) { // the backup's next frame (2 * GOP) is a keyframe
                primary.packet(frame(0, n));
                backup.packet(frame(backupOriginMs, n));
                clock.advance(33);
                channel.tick();
            }
            primary.close("disconnect");
            clock.advance(outageMs);
            for (int end = n + 1 + backupFrames; n < end; n++) {
                backup.packet(frame(backupOriginMs, n));
                clock.advance(33);
                channel.tick();
            }
            assertThat(channel.activeInput()).isEqualTo("backup");
            // the primary's encoder reconnects, and the backup dies
            InputSession again = channel.openInput("primary", "10.0.0.1:2", () -> {});
            again.packet(Packets.videoHeader(0, 1));
            backup.close("disconnect");
            clock.advance(reconnectMs); // the realtime timeline steps by this outage too
            for (int k = 0; k < GOP + 10; k++) {
                again.packet(frame(primaryOriginMs, k));
                clock.advance(33);
                channel.tick();
            }
            assertThat(channel.activeInput()).isEqualTo("primary");
        } finally {
            channel.close();
        }
        assertDecodableInOrder();
    }

    @Test
    void leadingPicturesOfAnOpenGopAreNotSent() {
        // an open GOP: after the keyframe come two frames presented before it, which refer to the GOP before
        LiveChannel channel = channel(StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS);
        try {
            InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
            primary.packet(Packets.videoHeader(0, 1));
            primary.packet(Packets.frameWithCts(1000, true, 67)); // presented at 1067
            primary.packet(Packets.frameWithCts(1033, false, 0)); // presented at 1033: before the keyframe
            primary.packet(Packets.frameWithCts(1067, false, 33)); // presented at 1100: after it
            primary.packet(Packets.frameWithCts(1100, false, 67)); // presented at 1167
            assertThat(sent).extracting(Sent::pts).containsExactly(67L, 100L, 167L);
        } finally {
            channel.close();
        }
    }

    @Test
    void lateAudioOfTheNewInputThatOverlapsWhatWasSentIsDroppedNotGivenADuplicateTimestamp() {
        List<Long> audio = new ArrayList<>();
        LiveChannel channel = new LiveChannel(
                "show",
                List.of(new InputSpec("primary", true), new InputSpec("backup", true)),
                new FailoverPolicy(500, Failback.STICKY, 1000, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS),
                ImmediateEventExecutor.INSTANCE,
                clock);
        channel.addOutput(p -> {
            if (p.kind() == MediaKind.AUDIO && !p.sequenceHeader()) {
                audio.add(p.dts());
            }
        });
        try {
            InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
            InputSession backup = channel.openInput("backup", "10.0.0.2:1", () -> {});
            primary.packet(Packets.videoHeader(0, 1));
            backup.packet(Packets.videoHeader(0, 1));
            for (int n = 0; n < 40; n++) {
                long t = ms(0, n);
                primary.packet(n % GOP == 0 ? Packets.keyframe(t) : Packets.inter(t));
                primary.packet(Packets.audio(t + 10)); // audio runs a little ahead of video
                backup.packet(n % GOP == 0 ? Packets.keyframe(5000 + t) : Packets.inter(5000 + t));
                clock.advance(33);
                channel.tick();
            }
            primary.close("disconnect");
            // the backup's keyframe, then audio from before it that a transport stream delivers late, then on
            long key = ms(5000, 60);
            backup.packet(Packets.keyframe(key));
            backup.packet(Packets.audio(key - 40));
            backup.packet(Packets.audio(key - 17));
            backup.packet(Packets.audio(key + 6));
            backup.packet(Packets.inter(key + 33));
            backup.packet(Packets.audio(key + 29));
            assertThat(channel.activeInput()).isEqualTo("backup");
            for (int i = 1; i < audio.size(); i++) {
                assertThat(audio.get(i)).as("audio timestamps sent: %s", audio).isGreaterThan(audio.get(i - 1));
            }
        } finally {
            channel.close();
        }
    }

    static List<ChannelEvent> switches(LiveChannel channel) {
        return channel.events().since(0).stream()
                .filter(e -> e.type() == ChannelEventType.SWITCH)
                .toList();
    }
}
