package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.channel.ChannelOutput;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.DrillDelivery;
import io.streamrepeater.status.RehearsalReport;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seamless switch with media as real encoders make it: H.264 with B-frames (x264 {@code -bf 2}, closed GOP),
 * so presentation order differs from decode order and an input cut mid-stream leaves a reorder window open. For
 * each start and timeline setting, the active input is killed or frozen at several phases of its GOP (right after
 * a keyframe, on a P-frame whose B-frames are still to come, inside a B-frame run), and the destinations'
 * recordings must decode with no error line and present every frame after the one before (issue 15).
 */
class BFrameFailoverEndToEndTest {
    private static final int FPS = FailoverRig.FPS;
    private static final int GOP = 30;

    /** Where in the active input's GOP the cut lands: the last video packet it sent before it failed. */
    enum Phase {
        /** The packet was a keyframe: the cut is at the start of a GOP. */
        AFTER_KEYFRAME(v -> v.keyframe),
        /** A P-frame presented after B-frames that have not been sent yet: the reorder window is open. */
        ON_REORDERED_P(v -> !v.keyframe && v.pts > v.previousMaxPts + 1000 / FPS + 1),
        /** A B-frame (presented before a frame already sent) right after its P-frame: more B-frames follow. */
        INSIDE_B_RUN(v -> !v.keyframe && v.pts < v.previousMaxPts && v.previousWasReorderedP);

        final Predicate<Video> matches;

        Phase(Predicate<Video> matches) {
            this.matches = matches;
        }
    }

    /** One video packet on the output, with what came before it. */
    record Video(boolean keyframe, long pts, long previousMaxPts, boolean previousWasReorderedP) {}

    /** Watches the channel's output and opens a latch at the first video packet of the wanted phase. */
    static final class PhaseWatch implements ChannelOutput {
        private long maxPts = Long.MIN_VALUE;
        private boolean lastWasReorderedP;
        private volatile Phase wanted;
        private volatile CountDownLatch reached = new CountDownLatch(0);

        @Override
        public void packet(MediaPacket packet) {
            if (packet.kind() != MediaKind.VIDEO || packet.sequenceHeader()) {
                return;
            }
            Video v = new Video(packet.isVideoKeyframe(), packet.pts(), maxPts, lastWasReorderedP);
            lastWasReorderedP = maxPts != Long.MIN_VALUE && Phase.ON_REORDERED_P.matches.test(v);
            maxPts = Math.max(maxPts, packet.pts());
            Phase w = wanted;
            if (w != null && maxPts != Long.MIN_VALUE && v.previousMaxPts != Long.MIN_VALUE && w.matches.test(v)) {
                wanted = null;
                reached.countDown();
            }
        }

        /** Waits (at most a few GOPs) until the output's latest video packet is of the phase. */
        void await(Phase phase) throws InterruptedException {
            CountDownLatch latch = new CountDownLatch(1);
            reached = latch;
            wanted = phase;
            assertThat(latch.await(10, TimeUnit.SECONDS))
                    .as("the output reached phase %s", phase)
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "start {0}, timeline {1}")
    @CsvSource({"cached, continuous", "cached, realtime", "next-keyframe, continuous", "next-keyframe, realtime"})
    void everySwitchDecodesInPresentationOrder(String start, String timeline, @TempDir Path tmp) throws Exception {
        Path primaryMedia = TestMedia.h264AacWithBFrames(Duration.ofSeconds(10), GOP, "640x360", FPS, "600k", 2);
        Path backupMedia = TestMedia.h264AacWithBFrames(Duration.ofSeconds(10), GOP, "640x360", FPS, "500k", 2);
        String failover = "{ inputLossMs: 500, failback: sticky, clearMs: 500, start: %s, timeline: %s }"
                .formatted(start, timeline);
        try (FailoverRig rig = new FailoverRig(tmp, failover, primaryMedia, backupMedia)) {
            LiveChannel channel = rig.server.server.channel("show");
            PhaseWatch watch = new PhaseWatch();
            channel.addOutput(watch);
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(1));
            List<Phase> phases =
                    List.of(Phase.ON_REORDERED_P, Phase.AFTER_KEYFRAME, Phase.INSIDE_B_RUN, Phase.ON_REORDERED_P);
            long largestGap = 0;
            for (int i = 0; i < phases.size(); i++) {
                boolean freeze = i % 2 == 1;
                String failed = rig.activeInput();
                String other = FailoverRig.PRIMARY.equals(failed) ? FailoverRig.BACKUP : FailoverRig.PRIMARY;
                int switchesBefore = rig.switches().size();
                watch.await(phases.get(i));
                if (freeze) {
                    rig.encoder(failed).pause();
                } else {
                    rig.encoder(failed).kill();
                }
                rig.awaitActive(other, Duration.ofSeconds(10));
                rig.flowFor(Duration.ofMillis(700));
                if (freeze) {
                    rig.encoder(failed).resume();
                } else {
                    rig.restartEncoder(failed);
                }
                rig.awaitStandby(failed, Duration.ofSeconds(15));
                List<ChannelEvent> switches = rig.switches();
                assertThat(switches).hasSizeGreaterThan(switchesBefore);
                ChannelEvent sw = switches.get(switches.size() - 1);
                assertThat(sw.from()).isEqualTo(failed);
                assertThat(sw.to()).isEqualTo(other);
                largestGap = Math.max(largestGap, sw.gapMs());
            }
            rig.flowFor(Duration.ofMillis(500));
            // the recordings decode cleanly and in presentation order; their DTS steps are at most the largest
            // step an event reported plus the reorder delay of the media (the new input's first frame is placed
            // after the last presented one)
            rig.finishAndCheckRecordings(largestGap + 5L * 1000 / FPS);
        }
    }

    @Test
    void aRehearsalReportsWhatTheDestinationsRecorded(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264AacWithBFrames(Duration.ofSeconds(10), GOP, "640x360", FPS, "600k", 2);
        try (FailoverRig rig =
                new FailoverRig(tmp, "{ inputLossMs: 500, failback: auto, clearMs: 1000 }", media, media)) {
            rig.startEncoders();
            rig.flowFor(Duration.ofSeconds(2));
            RehearsalReport report =
                    rig.server.server.rehearse("show", Duration.ofSeconds(3)).get(20, TimeUnit.SECONDS);
            assertThat(report.problems()).isEmpty();
            assertThat(report.switchedTo()).isEqualTo(FailoverRig.BACKUP);
            assertThat(report.destinations())
                    .extracting(DrillDelivery::destination)
                    .containsExactly("a", "b");
            rig.awaitActive(FailoverRig.PRIMARY, Duration.ofSeconds(10)); // auto failback once the drill ends
            rig.flowFor(Duration.ofSeconds(1));
            rig.finishAndCheckRecordings(report.gapLimitMs());
            for (DrillDelivery d : report.destinations()) {
                assertThat(d.decodable())
                        .as("%s decodable: %s", d.destination(), d.problem())
                        .isTrue();
                assertThat(d.reconnects()).isZero();
                // the output carries nothing while the switch waits for the backup's keyframe (next-keyframe)
                long onAir = report.durationMs() - report.switchMs();
                assertThat(d.videoFrames())
                        .as("30 fps video for %d ms", onAir)
                        .isBetween(onAir * FPS / 1000 - 10, onAir * FPS / 1000 + 10);
                assertThat(d.audioFrames())
                        .as("44.1 kHz AAC (1024 samples a frame) for %d ms", onAir)
                        .isBetween(onAir * 44_100 / 1024 / 1000 - 15, onAir * 44_100 / 1024 / 1000 + 15);
                // what nginx recorded between the drill's first and last video frame is exactly what the report says
                Path recording = ("a".equals(d.destination()) ? rig.destA : rig.destB)
                        .recordings()
                        .get(0);
                List<Long> all = Ffprobe.videoPacketDtsMs(recording);
                List<Long> recorded = all.stream()
                        .filter(dts -> dts >= d.firstVideoDtsMs() && dts <= d.lastVideoDtsMs())
                        .toList();
                assertThat(recorded).hasSize((int) d.videoFrames());
                // the steps of the drill's frames, the first one from the frame sent just before the drill (the
                // switch usually lands there: nothing is sent while the backup's keyframe is awaited)
                int first = all.indexOf(d.firstVideoDtsMs());
                long largestStep = 0;
                for (int i = Math.max(1, first); i < first + recorded.size(); i++) {
                    largestStep = Math.max(largestStep, all.get(i) - all.get(i - 1));
                }
                assertThat(largestStep).isEqualTo(d.maxVideoDtsStepMs());
                assertThat(d.maxVideoDtsStepMs()).isLessThanOrEqualTo(report.gapLimitMs());
            }
        }
    }
}
