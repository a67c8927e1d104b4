package io.streamrepeater.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A second, independent live encoder: a GStreamer pipeline that encodes test video and a sine tone and
 * publishes them with {@code rtmp2sink} (GStreamer's own RTMP client, not librtmp or ffmpeg's).
 *
 * <pre>gst-launch-1.0 -e videotestsrc is-live=true ! video/x-raw,... ! videoconvert ! H264ENCODER ! h264parse
 *   ! flvmux name=m streamable=true ! rtmp2sink location=URL
 *   audiotestsrc is-live=true ! audioconvert ! audioresample ! audio/x-raw,rate=44100,channels=2
 *   ! voaacenc ! aacparse ! m.</pre>
 *
 * The H.264 encoder is {@code openh264enc} (Cisco OpenH264, in gstreamer1.0-plugins-bad, constrained
 * baseline, no B-frames) when installed, else {@code x264enc tune=zerolatency} (gstreamer1.0-plugins-ugly).
 * stderr/stdout go to {@code target/test-logs/gst-publisher-*.log}.
 */
public final class GstPublisher implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(20);
    private static volatile String h264Encoder;

    private final ExternalProcess gst;

    private GstPublisher(ExternalProcess gst) {
        this.gst = gst;
    }

    /** Publishes 640x360 at 30 fps, a keyframe every 30 frames, until stopped. */
    public static GstPublisher start(String url) {
        return start(url, 640, 360, 30, 30);
    }

    /** Publishes {@code width}x{@code height} at {@code fps} with a keyframe every {@code gopFrames} frames. */
    public static GstPublisher start(String url, int width, int height, int fps, int gopFrames) {
        List<String> command = new ArrayList<>(List.of(
                "gst-launch-1.0",
                "-e",
                "videotestsrc",
                "is-live=true",
                "pattern=smpte",
                "!",
                "video/x-raw,width=" + width + ",height=" + height + ",framerate=" + fps + "/1",
                "!",
                "videoconvert",
                "!"));
        if ("openh264enc".equals(h264Encoder())) {
            command.addAll(List.of("openh264enc", "gop-size=" + gopFrames, "bitrate=800000"));
        } else {
            command.addAll(List.of("x264enc", "tune=zerolatency", "key-int-max=" + gopFrames, "bitrate=800"));
        }
        command.addAll(List.of(
                "!",
                "h264parse",
                "!",
                "flvmux",
                "name=m",
                "streamable=true",
                "!",
                "rtmp2sink",
                "location=" + url,
                "audiotestsrc",
                "is-live=true",
                "wave=sine",
                "!",
                "audioconvert",
                "!",
                "audioresample",
                "!",
                "audio/x-raw,rate=44100,channels=2",
                "!",
                "voaacenc",
                "bitrate=96000",
                "!",
                "aacparse",
                "!",
                "m."));
        return new GstPublisher(
                ExternalProcess.start("gstreamer publisher to " + url, command, ProcessLogs.next("gst-publisher")));
    }

    /** The H.264 encoder element the pipeline uses: {@code openh264enc} or {@code x264enc}. */
    public static String h264Encoder() {
        String chosen = h264Encoder;
        if (chosen == null) {
            if (elementInstalled("openh264enc")) {
                chosen = "openh264enc";
            } else if (elementInstalled("x264enc")) {
                chosen = "x264enc";
            } else {
                throw new IllegalStateException("neither openh264enc nor x264enc is installed for gstreamer;"
                        + " run scripts/install-test-deps.sh (gstreamer1.0-plugins-bad)");
            }
            h264Encoder = chosen;
        }
        return chosen;
    }

    private static boolean elementInstalled(String element) {
        try (ExternalProcess inspect = ExternalProcess.start(
                "gst-inspect-1.0 " + element,
                List.of("gst-inspect-1.0", "--exists", element),
                ProcessLogs.next("gst-inspect"))) {
            boolean installed = inspect.waitFor(INSPECT_TIMEOUT).orElse(-1) == 0;
            try {
                Files.deleteIfExists(inspect.logFile());
            } catch (IOException ignored) {
                // only a leftover empty log
            }
            return installed;
        }
    }

    /** Freezes the pipeline (SIGSTOP) with its connection open. */
    public void pause() {
        gst.pause();
    }

    /** Lets a paused pipeline continue (SIGCONT). */
    public void resume() {
        gst.resume();
    }

    /** Kills the pipeline (SIGKILL) and waits (bounded) until it is gone. */
    public void kill() {
        gst.kill();
    }

    public boolean isAlive() {
        return gst.isAlive();
    }

    public String log() {
        return gst.log();
    }

    public Path logFile() {
        return gst.logFile();
    }

    /** Waits at most {@code timeout} for the pipeline to exit; its exit code, or empty if it still runs. */
    public Optional<Integer> waitFor(Duration timeout) {
        return gst.waitFor(timeout);
    }

    /** Ends the stream cleanly (SIGINT: with {@code -e} the pipeline sends EOS), killing it after 5 s. */
    @Override
    public void close() {
        gst.stop("INT", STOP_GRACE);
    }

    @Override
    public String toString() {
        return gst.toString();
    }
}
