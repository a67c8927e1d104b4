package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.InputState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The failover scenario of the issue: two ffmpeg encoders publish to the primary and backup keys of
 * one channel, which relays to two nginx-rtmp destinations recording each publish session.
 *
 * <p>Public so that the benchmarks in {@code io.streamrepeater.app.bench} can drive it; the end-to-end
 * tests of this package also use its fields directly.
 */
public final class FailoverRig implements AutoCloseable {
    public static final int FPS = 30;
    public static final int GOP = 30;
    public static final String PRIMARY = "primary";
    public static final String BACKUP = "backup";
    static final String PRIMARY_KEY = "primary-key-aaaa";
    static final String BACKUP_KEY = "backup-key-bbbb";

    /** How an encoder of the rig publishes: RTMP (FLV) or SRT (the same media as MPEG-TS, caller mode). */
    public enum Transport {
        RTMP,
        SRT
    }

    final Path primaryMedia;
    final Path backupMedia;
    final Transport primaryTransport;
    final Transport backupTransport;
    final NginxRtmp destA;
    final NginxRtmp destB;
    final RunningServer server;
    FfmpegPublisher primary;
    FfmpegPublisher backup;

    /**
     * A rig whose two encoders publish the same 640x360, 30 fps, 1 s GOP, ~600 kb/s file.
     *
     * @param failover the channel's {@code failover:} YAML value, e.g. {@code { inputLossMs: 500 }}
     */
    public FailoverRig(Path tmp, String failover) throws Exception {
        this(tmp, failover, TestMedia.h264Aac(Duration.ofSeconds(10), GOP, "640x360", FPS, "600k"));
    }

    FailoverRig(Path tmp, String failover, Path backupMedia) throws Exception {
        this(tmp, failover, backupMedia, "");
    }

    /** @param extraChannelYaml more settings of the channel, e.g. {@code slate: /path/slate.flv} */
    FailoverRig(Path tmp, String failover, Path backupMedia, String extraChannelYaml) throws Exception {
        this(tmp, failover, backupMedia, extraChannelYaml, Transport.RTMP, Transport.RTMP);
    }

    /** A rig whose encoders publish over the given transports (the server listens for SRT when one does). */
    FailoverRig(Path tmp, String failover, Transport primaryTransport, Transport backupTransport) throws Exception {
        this(
                tmp,
                failover,
                TestMedia.h264Aac(Duration.ofSeconds(10), GOP, "640x360", FPS, "600k"),
                "",
                primaryTransport,
                backupTransport);
    }

    private FailoverRig(
            Path tmp,
            String failover,
            Path backupMedia,
            String extraChannelYaml,
            Transport primaryTransport,
            Transport backupTransport)
            throws Exception {
        this(
                tmp,
                failover,
                TestMedia.h264Aac(Duration.ofSeconds(10), GOP, "640x360", FPS, "600k"),
                backupMedia,
                extraChannelYaml,
                primaryTransport,
                backupTransport);
    }

    /** A rig whose primary and backup encoders publish the given files over RTMP. */
    public FailoverRig(Path tmp, String failover, Path primaryMedia, Path backupMedia) throws Exception {
        this(tmp, failover, primaryMedia, backupMedia, "", Transport.RTMP, Transport.RTMP);
    }

    private FailoverRig(
            Path tmp,
            String failover,
            Path primaryMedia,
            Path backupMedia,
            String extraChannelYaml,
            Transport primaryTransport,
            Transport backupTransport)
            throws Exception {
        this.primaryMedia = primaryMedia;
        this.backupMedia = backupMedia;
        this.primaryTransport = primaryTransport;
        this.backupTransport = backupTransport;
        boolean srt = primaryTransport == Transport.SRT || backupTransport == Transport.SRT;
        destA = NginxRtmp.start(tmp.resolve("dest-a"));
        destB = NginxRtmp.start(tmp.resolve("dest-b"));
        server = RunningServer.start(
                tmp.resolve("relay"),
                """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: "%s" }
                      - { name: backup, key: "%s" }
                    failover: %s
                    %s
                    destinations:
                      - { name: a, url: "%s" }
                      - { name: b, url: "%s" }
                """.formatted(
                                PRIMARY_KEY,
                                BACKUP_KEY,
                                failover,
                                extraChannelYaml,
                                destA.rtmpUrl("live", "out"),
                                destB.rtmpUrl("live", "out")),
                null,
                false,
                null,
                srt);
        server.awaitDestinationsLive("show", Duration.ofSeconds(20));
    }

    /** Starts both encoders and waits until the primary feeds the output and the backup stands by. */
    public void startEncoders() {
        // The primary first: with sticky failback, whichever input feeds the output first keeps it.
        primary = publish(PRIMARY);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "primary".equals(server.channel("show").activeInput()));
        backup = publish(BACKUP);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "primary".equals(server.channel("show").activeInput())
                        && server.channel("show").inputs().get(1).state() == InputState.STANDBY);
    }

    void restartPrimary() {
        restartEncoder(PRIMARY);
    }

    /** The encoder publishing to {@code input} ({@link #PRIMARY} or {@link #BACKUP}). */
    public FfmpegPublisher encoder(String input) {
        return switch (input) {
            case PRIMARY -> primary;
            case BACKUP -> backup;
            default -> throw new IllegalArgumentException("the rig has inputs primary and backup, not '" + input + "'");
        };
    }

    /** Stops the encoder of {@code input} (if it still runs) and starts a new one on the same key and file. */
    public void restartEncoder(String input) {
        encoder(input).close();
        switch (input) {
            case PRIMARY -> primary = publish(PRIMARY);
            case BACKUP -> backup = publish(BACKUP);
            default -> throw new IllegalArgumentException("the rig has inputs primary and backup, not '" + input + "'");
        }
    }

    /** A new encoder on {@code input}'s key, over that input's transport. */
    private FfmpegPublisher publish(String input) {
        boolean isPrimary = PRIMARY.equals(input);
        Path media = isPrimary ? primaryMedia : backupMedia;
        String key = isPrimary ? PRIMARY_KEY : BACKUP_KEY;
        return (isPrimary ? primaryTransport : backupTransport) == Transport.SRT
                ? FfmpegPublisher.startSrt(media, server.srtUrl(key))
                : FfmpegPublisher.start(media, server.ingestUrl(key));
    }

    /** The input feeding the destinations now, or null while none does. */
    public String activeInput() {
        return server.channel("show").activeInput();
    }

    /** State of the named input now. */
    public InputState inputState(String input) {
        return server.channel("show").inputs().stream()
                .filter(i -> i.name().equals(input))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("the rig has inputs primary and backup, not '" + input + "'"))
                .state();
    }

    /** Waits (at most {@code within}) until the named input is publishing usable media without being active. */
    public void awaitStandby(String input, Duration within) {
        await().atMost(within).until(() -> inputState(input) == InputState.STANDBY);
    }

    /** Lets media flow for a while, measured by what destination a was sent. */
    public void flowFor(Duration d) {
        long target = server.destination("show", "a").packetsSent() + d.toMillis() * (FPS + 44) / 1000;
        await().atMost(d.plusSeconds(10))
                .until(() -> server.destination("show", "a").packetsSent() >= target);
    }

    public void awaitActive(String input, Duration within) {
        await().atMost(within).until(() -> input.equals(server.channel("show").activeInput()));
    }

    /** Every SWITCH event of the channel so far, oldest first. */
    public List<ChannelEvent> switches() {
        return server.server.channel("show").events().since(0).stream()
                .filter(e -> e.type() == ChannelEventType.SWITCH)
                .toList();
    }

    /**
     * Stops everything and checks both recordings: one session each, clean, monotonic, no video DTS
     * step above {@code maxGapMs}.
     *
     * @return what ffprobe found in the recordings of destinations a and b, in that order
     */
    public List<MediaReport> finishAndCheckRecordings(long maxGapMs) throws Exception {
        assertThat(server.destination("show", "a").reconnects())
                .as("destination a reconnects")
                .isZero();
        assertThat(server.destination("show", "b").reconnects())
                .as("destination b reconnects")
                .isZero();
        primary.close();
        backup.close();
        server.close();
        List<MediaReport> reports = new java.util.ArrayList<>();
        for (NginxRtmp dest : List.of(destA, destB)) {
            reports.add(checkRecording(dest, maxGapMs));
        }
        return reports;
    }

    /**
     * Checks what a destination recorded once the relay has stopped: exactly one publish session, no decode error
     * (ffprobe's decode, then a full {@code ffmpeg -f null} decode), monotonic DTS, presented frames strictly
     * increasing, and no video DTS step above {@code maxGapMs}.
     */
    static MediaReport checkRecording(NginxRtmp dest, long maxGapMs) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> dest.publishSessions().stream().anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
        assertThat(dest.publishSessions().stream()
                        .filter(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                        .count())
                .as("exactly one publish session at the destination")
                .isEqualTo(1);
        assertThat(dest.recordings()).hasSize(1);
        Path recording = dest.recordings().get(0);
        MediaReport r = Ffprobe.analyze(recording);
        assertThat(r.decodeErrorLines()).as("decode errors").isEmpty();
        assertThat(r.videoDtsMonotonic()).isTrue();
        assertThat(r.audioDtsMonotonic()).isTrue();
        assertThat(r.maxVideoDtsGapMs()).as("largest video timestamp gap").isLessThanOrEqualTo(maxGapMs);
        assertThat(Ffprobe.fullDecodeErrors(recording))
                .as("ffmpeg -v error -i %s -f null -", recording)
                .isEmpty();
        assertStrictlyIncreasing(Ffprobe.presentedVideoFrameTimesMs(recording), recording);
        return r;
    }

    /** The recordings of destinations a and b (one each once the relay has stopped), in that order. */
    public List<Path> recordings() {
        List<Path> all = new java.util.ArrayList<>(destA.recordings());
        all.addAll(destB.recordings());
        return all;
    }

    /** Every frame the decoder presents comes after the one it presented before (no step back, no repeat). */
    static void assertStrictlyIncreasing(List<Long> presentedMs, Path recording) {
        assertThat(presentedMs).as("presented video frames of %s", recording).isNotEmpty();
        for (int i = 1; i < presentedMs.size(); i++) {
            if (presentedMs.get(i) <= presentedMs.get(i - 1)) {
                throw new AssertionError("presented video frame " + i + " of " + recording + " at "
                        + presentedMs.get(i) + " ms does not come after the one before it at " + presentedMs.get(i - 1)
                        + " ms; around it: "
                        + presentedMs.subList(Math.max(0, i - 5), Math.min(presentedMs.size(), i + 5)));
            }
        }
    }

    @Override
    public void close() {
        if (primary != null) {
            primary.close();
        }
        if (backup != null) {
            backup.close();
        }
        server.close();
        destA.close();
        destB.close();
    }
}
