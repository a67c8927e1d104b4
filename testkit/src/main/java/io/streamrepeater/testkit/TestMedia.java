package io.streamrepeater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Test files for publishers that cost nothing at test time: encoded once with ffmpeg from lavfi's
 * {@code testsrc2} picture and a 440 Hz {@code sine}, cached under {@code target/test-media/} by a
 * name derived from the parameters.
 *
 * <p>Video is H.264 (libx264, preset ultrafast, yuv420p) with a fixed keyframe interval ({@code -g G
 * -keyint_min G -sc_threshold 0}: a keyframe exactly every {@code gopFrames} frames, none extra on scene
 * cuts). Audio is AAC-LC, 44.1 kHz stereo, 96 kb/s. {@link #h264Aac} has <b>no B-frames</b> (preset
 * ultrafast turns them off), so PTS equals DTS; {@link #h264AacWithBFrames} adds them, so video packets
 * carry a composition-time offset as most real encoders' output does. {@link #h264AacTs} and
 * {@link #hevcAacTs} write the same picture and sound as MPEG transport streams, as an SRT encoder sends.
 *
 * <p>Safe to call from parallel tests and JVMs: a file is written under a temporary name and moved into
 * place atomically; callers in one JVM wait for the one encoding.
 */
public final class TestMedia {

    private static final Duration ENCODE_TIMEOUT = Duration.ofSeconds(120);
    private static final ConcurrentMap<String, Object> ENCODING_LOCKS = new ConcurrentHashMap<>();

    private TestMedia() {}

    /**
     * An FLV with H.264 video (no B-frames) and AAC audio.
     *
     * @param length duration of the file
     * @param gopFrames frames from one keyframe to the next
     * @param size picture size as ffmpeg writes it, e.g. {@code 640x360}
     * @param fps frames per second
     * @param videoBitrate target video bitrate as ffmpeg writes it, e.g. {@code 800k}
     */
    public static Path h264Aac(Duration length, int gopFrames, String size, int fps, String videoBitrate) {
        return h264AacWithBFrames(length, gopFrames, size, fps, videoBitrate, 0);
    }

    /** Like {@link #h264Aac} with up to {@code bFrames} consecutive B-frames (0 turns them off). */
    public static Path h264AacWithBFrames(
            Duration length, int gopFrames, String size, int fps, String videoBitrate, int bFrames) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("test media length must be positive: " + length);
        }
        if (gopFrames < 1 || fps < 1 || bFrames < 0) {
            throw new IllegalArgumentException("gopFrames and fps must be >= 1 and bFrames >= 0: gop=" + gopFrames
                    + " fps=" + fps + " bFrames=" + bFrames);
        }
        if (!size.matches("\\d+x\\d+") || !videoBitrate.matches("\\d+[kKmM]?")) {
            throw new IllegalArgumentException(
                    "size must look like 640x360 and bitrate like 800k: size=" + size + " bitrate=" + videoBitrate);
        }
        String seconds = seconds(length);
        String name = "h264-aac-" + seconds + "s-" + size + "-" + fps + "fps-g" + gopFrames + "-" + videoBitrate + "-bf"
                + bFrames + ".flv";
        return cached(name, target -> encode(target, seconds, gopFrames, size, fps, videoBitrate, bFrames));
    }

    /**
     * An MPEG transport stream ({@code -f mpegts}, as an SRT encoder sends it) with H.264 video and AAC
     * audio in ADTS, encoded like {@link #h264AacWithBFrames} (preset {@code veryfast}, so High profile).
     */
    public static Path h264AacTs(Duration length, int gopFrames, String size, int fps, int bFrames) {
        checkTransportStreamArguments(length, gopFrames, size, fps, bFrames);
        String seconds = seconds(length);
        String name = "h264-aac-" + seconds + "s-" + size + "-" + fps + "fps-g" + gopFrames + "-bf" + bFrames + ".ts";
        return cached(
                name,
                target -> encode(
                        target,
                        seconds,
                        size,
                        fps,
                        List.of(
                                "-c:v",
                                "libx264",
                                "-preset",
                                "veryfast",
                                "-pix_fmt",
                                "yuv420p",
                                "-b:v",
                                "400k",
                                "-g",
                                Integer.toString(gopFrames),
                                "-keyint_min",
                                Integer.toString(gopFrames),
                                "-sc_threshold",
                                "0",
                                "-bf",
                                Integer.toString(bFrames)),
                        "mpegts"));
    }

    /**
     * An MPEG transport stream with HEVC video (libx265, preset ultrafast, closed GOPs of {@code gopFrames}
     * frames, so every keyframe is an IDR) and AAC audio in ADTS.
     */
    public static Path hevcAacTs(Duration length, int gopFrames, String size, int fps) {
        checkTransportStreamArguments(length, gopFrames, size, fps, 0);
        String seconds = seconds(length);
        String name = "hevc-aac-" + seconds + "s-" + size + "-" + fps + "fps-g" + gopFrames + ".ts";
        String x265 = "log-level=error:keyint=" + gopFrames + ":min-keyint=" + gopFrames + ":scenecut=0:open-gop=0";
        return cached(
                name,
                target -> encode(
                        target,
                        seconds,
                        size,
                        fps,
                        List.of(
                                "-c:v",
                                "libx265",
                                "-preset",
                                "ultrafast",
                                "-pix_fmt",
                                "yuv420p",
                                "-b:v",
                                "400k",
                                "-x265-params",
                                x265),
                        "mpegts"));
    }

    private static void checkTransportStreamArguments(
            Duration length, int gopFrames, String size, int fps, int bFrames) {
        if (length.isNegative()
                || length.isZero()
                || gopFrames < 1
                || fps < 1
                || bFrames < 0
                || !size.matches("\\d+x\\d+")) {
            throw new IllegalArgumentException("bad test media parameters: length=" + length + " gop=" + gopFrames
                    + " size=" + size + " fps=" + fps + " bFrames=" + bFrames);
        }
    }

    private static String seconds(Duration length) {
        return String.format(Locale.ROOT, "%.3f", length.toMillis() / 1000.0);
    }

    private static Path cached(String name, java.util.function.Consumer<Path> encoder) {
        Path target = BuildDirectory.resolve("test-media").resolve(name);
        synchronized (ENCODING_LOCKS.computeIfAbsent(name, key -> new Object())) {
            if (!Files.exists(target)) {
                encoder.accept(target);
            }
        }
        return target;
    }

    private static void encode(
            Path target, String seconds, int gopFrames, String size, int fps, String videoBitrate, int bFrames) {
        List<String> video = new ArrayList<>(List.of(
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-b:v",
                videoBitrate,
                "-g",
                Integer.toString(gopFrames),
                "-keyint_min",
                Integer.toString(gopFrames),
                "-sc_threshold",
                "0"));
        if (bFrames > 0) {
            video.addAll(List.of("-bf", Integer.toString(bFrames)));
        }
        encode(target, seconds, size, fps, video, "flv");
    }

    private static void encode(
            Path target, String seconds, String size, int fps, List<String> videoArguments, String format) {
        List<String> output = new ArrayList<>(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
        output.addAll(List.of("-t", seconds));
        output.addAll(videoArguments);
        output.addAll(List.of("-c:a", "aac", "-b:a", "96k", "-ac", "2", "-ar", "44100"));
        run(target, size, fps, output, format);
    }

    /**
     * An AV1 elementary stream, no audio, in the low-overhead OBU format ({@code .obu}: temporal units of OBUs with size
     * fields, each starting with a temporal delimiter), encoded by SVT-AV1 with a keyframe every {@code gopFrames}: the
     * source of an Enhanced RTMP {@code av01} stream, which ffmpeg 5.1 can neither publish nor put in MPEG-TS.
     */
    public static Path av1Obu(Duration length, int gopFrames, String size, int fps) {
        checkTransportStreamArguments(length, gopFrames, size, fps, 0);
        String seconds = seconds(length);
        String name = "av1-" + seconds + "s-" + size + "-" + fps + "fps-g" + gopFrames + ".obu";
        return cached(
                name,
                target -> run(
                        target,
                        size,
                        fps,
                        List.of(
                                "-t",
                                seconds,
                                "-an",
                                "-c:v",
                                "libsvtav1",
                                "-preset",
                                "12",
                                "-pix_fmt",
                                "yuv420p",
                                "-b:v",
                                "400k",
                                "-g",
                                Integer.toString(gopFrames),
                                // closed GOPs: every keyframe is a key frame, not an intra-only forward keyframe
                                "-svtav1-params",
                                "irefresh-type=2:pred-struct=1"),
                        "obu"));
    }

    /** Runs ffmpeg on the test pattern of {@code size} at {@code fps}, then {@code output} arguments, into target. */
    private static void run(Path target, String size, int fps, List<String> output, String format) {
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".partial." + format);
            Path log = Path.of(partial + ".log");
            List<String> command = new ArrayList<>(List.of(
                    "ffmpeg",
                    "-hide_banner",
                    "-nostdin",
                    "-v",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    "testsrc2=size=" + size + ":rate=" + fps));
            command.addAll(output);
            command.addAll(List.of("-f", format, partial.toString()));
            try (ExternalProcess ffmpeg =
                    ExternalProcess.start("ffmpeg test media " + target.getFileName(), command, log)) {
                int exit = ffmpeg.waitFor(ENCODE_TIMEOUT)
                        .orElseThrow(() -> new IllegalStateException(
                                "ffmpeg did not encode " + target.getFileName() + " within " + ENCODE_TIMEOUT));
                if (exit != 0) {
                    throw new IllegalStateException("ffmpeg exited with " + exit + " encoding " + target + ":\n"
                            + ffmpeg.log() + "\ncommand: " + String.join(" ", command));
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial); // only still there when encoding failed
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test media " + target, e);
        }
    }
}
