package io.streamrepeater.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.app.FailoverRig;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.RehearsalReport;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The failover figures of issue 3, measured with real peers (not part of the test suite: tagged
 * {@code benchmark}, run by {@code bench/failover-figures.sh}).
 *
 * <p>For each failure case (disconnect: SIGKILL; stall: SIGSTOP with the TCP connection open), start
 * setting and timeline setting, the rig's two ffmpeg encoders take turns failing while active: with
 * sticky failback the channel stays on the input that took over, the failed encoder is brought back
 * (restarted, or SIGCONT), stands by for {@code clearMs} plus a random part of a GOP (so failures hit
 * every phase of the GOP), and then the active encoder fails in turn. Every switch is a real failure of
 * the active input's encoder. The table goes to {@code target/failover-figures.md}.
 */
@Tag("benchmark")
class FailoverFigures {
    static final int SWITCHES = Integer.getInteger("bench.switches", 10);
    static final long INPUT_LOSS_MS = 500;
    static final long CLEAR_MS = 1000;
    private static final int GOP_MS = FailoverRig.GOP * 1000 / FailoverRig.FPS;
    private static final FigureTable TABLE = new FigureTable();
    private static String loadAtStart = "unknown";

    private final Random phase = new Random(20_251_003L);

    /** Only the configurations whose "case start timeline" contains this text ({@code -Dbench.only=...}), else all. */
    static final String ONLY = System.getProperty("bench.only", "");

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (FailureCase failure : FailureCase.values()) {
            for (String start : List.of("cached", "next-keyframe")) {
                for (String timeline : List.of("continuous", "realtime")) {
                    String name = failure.name().toLowerCase(Locale.ROOT) + " " + start + " " + timeline;
                    if (name.contains(ONLY)) {
                        all.add(Arguments.of(failure, start, timeline));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} start={1} timeline={2}")
    @MethodSource("configurations")
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void measure(FailureCase failure, String start, String timeline, @TempDir Path tmp) throws Exception {
        String policy = "{ inputLossMs: %d, failback: sticky, clearMs: %d, start: %s, timeline: %s }"
                .formatted(INPUT_LOSS_MS, CLEAR_MS, start, timeline);
        List<SwitchSample> samples = new ArrayList<>();
        Path media = TestMedia.h264AacWithBFrames(
                Duration.ofSeconds(10), FailoverRig.GOP, "640x360", FailoverRig.FPS, "600k", 2);
        try (FailoverRig rig = new FailoverRig(tmp, policy, media, media)) {
            rig.startEncoders();
            standBy(rig);
            for (int i = 0; i < SWITCHES; i++) {
                samples.add(switchOnce(rig, failure));
            }
            boolean continuous = timeline.equals("continuous");
            for (SwitchSample s : samples) {
                if (start.equals("next-keyframe")) {
                    assertThat(s.repeatedMs())
                            .as("next-keyframe repeats nothing")
                            .isZero();
                }
                if (continuous) {
                    // one frame, plus the encoder's reorder delay when the cut left its reorder window open
                    assertThat(s.gapMs())
                            .as("continuous timeline: gap of about one frame")
                            .isBetween(1L, RehearsalReport.CONTINUOUS_GAP_LIMIT_MS);
                }
            }
            List<MediaReport> recordings = rig.finishAndCheckRecordings(Long.MAX_VALUE);
            long recordedGap = recordings.stream()
                    .mapToLong(MediaReport::maxVideoDtsGapMs)
                    .max()
                    .orElseThrow();
            int decodeErrors = rig.recordings().stream()
                    .mapToInt(r -> Ffprobe.fullDecodeErrors(r).size())
                    .sum();
            TABLE.add(new FigureTable.Row(failure.label(), start, timeline, samples, recordedGap, decodeErrors));
        }
    }

    /** Fails the active input's encoder, measures the switch, then brings the encoder back to stand by. */
    private SwitchSample switchOnce(FailoverRig rig, FailureCase failure) {
        String from = rig.activeInput();
        assertThat(from).as("active input before the failure").isIn(FailoverRig.PRIMARY, FailoverRig.BACKUP);
        String to = from.equals(FailoverRig.PRIMARY) ? FailoverRig.BACKUP : FailoverRig.PRIMARY;
        List<ChannelEvent> before = rig.switches();
        long lastSequence =
                before.isEmpty() ? -1 : before.get(before.size() - 1).sequence();

        long failedAtEpochMs = System.currentTimeMillis();
        failure.fail(rig, from);
        rig.awaitActive(to, Duration.ofSeconds(5));

        List<ChannelEvent> caused =
                rig.switches().stream().filter(e -> e.sequence() > lastSequence).toList();
        assertThat(caused).as("switch events caused by failing %s", from).hasSize(1);
        ChannelEvent sw = caused.get(0);
        assertThat(sw.from()).isEqualTo(from);
        assertThat(sw.to()).isEqualTo(to);
        SwitchSample sample = new SwitchSample(
                sw.detectionDelayMs(), sw.switchMs(), sw.gapMs(), sw.repeatedMs(), sw.atEpochMs() - failedAtEpochMs);

        failure.recover(rig, from);
        rig.awaitStandby(from, Duration.ofSeconds(15));
        standBy(rig);
        return sample;
    }

    /** Lets the standby input become healthy (clearMs) and lands the next failure at a random GOP phase. */
    private void standBy(FailoverRig rig) {
        rig.flowFor(Duration.ofMillis(CLEAR_MS + 200 + phase.nextInt(GOP_MS)));
    }

    @BeforeAll
    static void noteLoad() {
        loadAtStart = MachineDescription.loadAverage();
    }

    @AfterAll
    static void writeTable() throws IOException {
        String basedir = System.getProperty("basedir");
        Path target = (basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath()).resolve("target");
        Files.createDirectories(target);
        String text = """
                # Failover figures (%s)

                Machine: %s; load average (1/5/15 min) %s at the start, %s at the end.

                inputLossMs %d, clearMs %d, failback sticky; both encoders publish H.264 640x360 with B-frames \
                (x264 -bf 2) at %d fps with a keyframe every %d frames (%d ms closed GOP), ~600 kb/s, AAC 44.1 kHz; %d switches per configuration, each a \
                real failure of the active input's encoder. Cells are median / worst.

                """.formatted(
                                LocalDate.now(),
                                MachineDescription.cpu(),
                                loadAtStart,
                                MachineDescription.loadAverage(),
                                INPUT_LOSS_MS,
                                CLEAR_MS,
                                FailoverRig.FPS,
                                FailoverRig.GOP,
                                GOP_MS,
                                SWITCHES)
                + TABLE.markdown();
        Files.writeString(target.resolve("failover-figures.md"), text);
    }
}
