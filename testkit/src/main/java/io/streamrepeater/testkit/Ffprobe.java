package io.streamrepeater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Analyses what a destination got with ffprobe (packets, keyframes, timestamps, stream parameters) and
 * the decoders it runs (errors), as a {@link MediaReport}.
 */
public final class Ffprobe {

    private static final Duration FILE_ANALYSIS_TIMEOUT = Duration.ofSeconds(60);
    /** Connecting plus ffprobe's probing of a live stream (about 1.5 s) on top of the requested read time. */
    private static final Duration LIVE_OVERHEAD = Duration.ofSeconds(15);

    private static final long LIVE_IO_TIMEOUT_MICROS = 5_000_000;

    private Ffprobe() {}

    /**
     * Analyses a media file with one decoding pass:
     * {@code ffprobe -v error -count_frames -show_packets -show_streams -of json FILE}. {@code -count_frames} makes
     * ffprobe decode every packet, so what the decoders report at level error becomes
     * {@link MediaReport#decodeErrorLines()}. (Not {@code ffmpeg -i FILE -f null -}: its null muxer also reports,
     * as errors, DTS that collide after rescaling to the frame rate, which valid live recordings with jittery
     * millisecond timestamps have; DTS order is judged exactly by {@link MediaReport#videoDtsMonotonic()}.)
     */
    public static MediaReport analyze(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no media file to analyse: " + file);
        }
        Path json = ProcessLogs.next("ffprobe-packets");
        Path probeLog = ProcessLogs.next("ffprobe");
        try (ExternalProcess probe = ExternalProcess.startWithSeparateOutput(
                "ffprobe " + file.getFileName(),
                List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-count_frames",
                        "-show_packets",
                        "-show_streams",
                        "-of",
                        "json",
                        file.toString()),
                json,
                probeLog)) {
            awaitSuccess(probe, FILE_ANALYSIS_TIMEOUT);
            MediaReport report = FfprobeOutput.read(json, probe.log().lines().toList());
            deleteTemporaries(json, probeLog);
            return report;
        }
    }

    /**
     * Plays {@code rtmpUrl} as a viewer for {@code readFor} of stream time and reports what it was sent:
     * {@code ffprobe -v error -rw_timeout 5s -count_frames -read_intervals %+SECONDS -show_packets -show_streams
     * -of json URL}. {@code -count_frames} makes ffprobe decode every frame, so decoder errors show up in
     * {@link MediaReport#decodeErrorLines()} (together with any connection error). ffprobe needs about 1.5 s to
     * probe before the first packet; the whole call is bounded by {@code readFor} + 15 s. The JSON goes to a file
     * and is read once ffprobe has ended by itself, so no line buffering ({@code stdbuf -oL}) is needed.
     *
     * @throws IllegalStateException if ffprobe fails (no such stream, or nothing received for 5 s) or overruns;
     *     the message holds its stderr
     */
    public static MediaReport liveSession(String rtmpUrl, Duration readFor) {
        String seconds = String.format(Locale.ROOT, "%.3f", readFor.toMillis() / 1000.0);
        Path json = ProcessLogs.next("ffprobe-live-packets");
        Path probeLog = ProcessLogs.next("ffprobe-live");
        try (ExternalProcess probe = ExternalProcess.startWithSeparateOutput(
                "ffprobe live " + rtmpUrl,
                List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-rw_timeout",
                        Long.toString(LIVE_IO_TIMEOUT_MICROS),
                        "-count_frames",
                        "-read_intervals",
                        "%+" + seconds,
                        "-show_packets",
                        "-show_streams",
                        "-of",
                        "json",
                        rtmpUrl),
                json,
                probeLog)) {
            awaitSuccess(probe, readFor.plus(LIVE_OVERHEAD));
            MediaReport report = FfprobeOutput.read(json, probe.log().lines().toList());
            deleteTemporaries(json, probeLog);
            return report;
        }
    }

    /**
     * Decodes every stream of a recording the way a viewer or a platform's transcoder does, and returns what
     * ffmpeg reports at level error: {@code ffmpeg -v error -i FILE -f null -}. Empty for a stream that decodes in
     * order. This is the honest check of a switch (DESIGN.md §7): it also reports frames whose presentation time
     * does not move forward ("non monotonically increasing dts to muxer"), which DTS order alone does not show.
     */
    public static List<String> fullDecodeErrors(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no media file to decode: " + file);
        }
        Path log = ProcessLogs.next("ffmpeg-decode");
        try (ExternalProcess ffmpeg = ExternalProcess.start(
                "ffmpeg full decode " + file.getFileName(),
                List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-"),
                log)) {
            awaitSuccess(ffmpeg, FILE_ANALYSIS_TIMEOUT);
            List<String> lines =
                    ffmpeg.log().lines().filter(line -> !line.isBlank()).toList();
            deleteTemporaries(log);
            return lines;
        }
    }

    /**
     * The decoding times, in ms and in file order, of every packet of the first video stream:
     * {@code ffprobe -v error -select_streams v:0 -show_entries packet=dts_time -of csv=p=0 FILE}.
     */
    public static List<Long> videoPacketDtsMs(Path file) {
        return timesMs(
                file,
                List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "packet=dts_time",
                        "-of",
                        "csv=p=0",
                        file.toString()),
                "packets");
    }

    /**
     * The presentation times, in ms and in the order the decoder outputs them, of every decoded frame of the first
     * video stream: {@code ffprobe -v error -select_streams v:0 -show_frames -show_entries
     * frame=best_effort_timestamp_time -of csv=p=0 FILE}. For a stream that decodes in order they strictly
     * increase. Frames without a timestamp are left out.
     */
    public static List<Long> presentedVideoFrameTimesMs(Path file) {
        return timesMs(
                file,
                List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_frames",
                        "-show_entries",
                        "frame=best_effort_timestamp_time",
                        "-of",
                        "csv=p=0",
                        file.toString()),
                "frames");
    }

    /** Runs an ffprobe that prints one time in seconds per line (maybe followed by side data) and reads them as ms. */
    private static List<Long> timesMs(Path file, List<String> command, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no media file to analyse: " + file);
        }
        Path csv = ProcessLogs.next("ffprobe-" + what);
        Path probeLog = ProcessLogs.next("ffprobe-" + what + "-log");
        try (ExternalProcess probe = ExternalProcess.startWithSeparateOutput(
                "ffprobe " + what + " " + file.getFileName(), command, csv, probeLog)) {
            awaitSuccess(probe, FILE_ANALYSIS_TIMEOUT);
            List<Long> times = new java.util.ArrayList<>();
            for (String line : Files.readAllLines(csv)) {
                String value = line.strip();
                int comma = value.indexOf(',');
                if (comma >= 0) {
                    value = value.substring(0, comma); // side data (SEI) follows the timestamp on some frames
                }
                if (value.isEmpty() || value.equals("N/A")) {
                    continue;
                }
                times.add(Math.round(Double.parseDouble(value) * 1000));
            }
            deleteTemporaries(csv, probeLog);
            return times;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ffprobe " + what + " of " + file, e);
        }
    }

    private static void awaitSuccess(ExternalProcess process, Duration timeout) {
        int exit = awaitExit(process, timeout);
        if (exit != 0) {
            throw new IllegalStateException(process + " exited with " + exit + ":\n" + process.log() + "\ncommand: "
                    + String.join(" ", process.command()));
        }
    }

    private static int awaitExit(ExternalProcess process, Duration timeout) {
        return process.waitFor(timeout).orElseThrow(() -> {
            String log = process.log();
            process.kill();
            return new IllegalStateException(process + " did not finish within " + timeout + ":\n" + log + "\ncommand: "
                    + String.join(" ", process.command()));
        });
    }

    private static void deleteTemporaries(Path... files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete analysis temporary " + file, e);
            }
        }
    }
}
