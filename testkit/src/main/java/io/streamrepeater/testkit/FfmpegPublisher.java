package io.streamrepeater.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An encoder that costs nothing: ffmpeg publishing a prepared file ({@link TestMedia}) in real time
 * ({@code -re}) with {@code -c copy} to an RTMP/RTMPS URL. {@link #pause()} freezes it with its TCP
 * connection open (a hung encoder), {@link #kill()} kills it (a crashed one). ffmpeg's stderr goes to
 * {@code target/test-logs/ffmpeg-publisher-*.log}.
 */
public final class FfmpegPublisher implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final ExternalProcess ffmpeg;

    private FfmpegPublisher(ExternalProcess ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /**
     * Publishes {@code file} in a loop, forever, until stopped:
     * {@code ffmpeg -hide_banner -nostdin -re -stream_loop -1 -i FILE -c copy [extra] -f flv URL}.
     *
     * @param extraOutputArgs ffmpeg output options placed before {@code -f flv}, e.g. {@code -tls_verify 1 -ca_file CA}
     */
    public static FfmpegPublisher start(Path file, String url, String... extraOutputArgs) {
        return launch(file, url, true, "flv", extraOutputArgs);
    }

    /**
     * Publishes {@code file} (best an MPEG-TS file, e.g. {@link TestMedia#h264AacTs}) in a loop over SRT, as an SRT
     * encoder in caller mode does: {@code ffmpeg ... -c copy [extra] -f mpegts srt://HOST:PORT?streamid=KEY...}.
     * ffmpeg's SRT options go in the URL's query ({@code streamid}, {@code passphrase}, {@code latency} in µs).
     */
    public static FfmpegPublisher startSrt(Path file, String srtUrl, String... extraOutputArgs) {
        return launch(file, srtUrl, true, "mpegts", extraOutputArgs);
    }

    /**
     * Publishes {@code file} in a loop to every URL of {@code urls} from one ffmpeg, reading the file once (ffmpeg's
     * {@code tee} muxer; an output that fails is left, the others go on): many streams for the price of about a
     * quarter of as many publishers (load benchmarks). {@code ffmpeg ... -map 0 -c copy -f tee
     * "[f=flv:onfail=ignore]URL1|[f=flv:onfail=ignore]URL2|..."}.
     */
    public static FfmpegPublisher startToMany(Path file, List<String> urls) {
        for (String url : urls) {
            if (url.contains("|") || url.contains("[") || url.contains("]")) {
                throw new IllegalArgumentException("a tee output URL cannot hold | [ or ]: " + url);
            }
        }
        String outputs = String.join(
                "|", urls.stream().map(url -> "[f=flv:onfail=ignore]" + url).toList());
        return launch(file, outputs, true, "tee", "-map", "0");
    }

    /** Publishes {@code file} once, in real time, then ffmpeg exits; see {@link #waitFor(Duration)}. */
    public static FfmpegPublisher startOnce(Path file, String url, String... extraOutputArgs) {
        return launch(file, url, false, "flv", extraOutputArgs);
    }

    /**
     * Publishes {@code file} whose video stops after {@code videoFor} while its audio goes on (a capture card that
     * drops out, an encoder whose video thread hangs), as DESIGN.md §7 describes: two inputs of the same file, the
     * video of the first cut with {@code -t}, the audio of the second looping, and a small
     * {@code -max_interleave_delta} so that ffmpeg does not hold the audio back waiting for video that never comes:
     * {@code ffmpeg -re -t SECONDS -i FILE -re -stream_loop -1 -i FILE -map 0:v -map 1:a -c copy
     * -max_interleave_delta 100000 -f flv URL}.
     */
    public static FfmpegPublisher startVideoStoppingAfter(Path file, Duration videoFor, String url) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no media file to publish: " + file);
        }
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", videoFor.toMillis() / 1000.0);
        List<String> command = List.of(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-nostats",
                "-v",
                "info",
                "-re",
                "-t",
                seconds,
                "-i",
                file.toString(),
                "-re",
                "-stream_loop",
                "-1",
                "-i",
                file.toString(),
                "-map",
                "0:v",
                "-map",
                "1:a",
                "-c",
                "copy",
                "-max_interleave_delta",
                "100000",
                "-f",
                "flv",
                url);
        return new FfmpegPublisher(ExternalProcess.start(
                "ffmpeg publisher (video stops) to " + url, command, ProcessLogs.next("ffmpeg-publisher")));
    }

    private static FfmpegPublisher launch(
            Path file, String url, boolean loop, String format, String... extraOutputArgs) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no media file to publish: " + file);
        }
        List<String> command =
                new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-v", "info", "-re"));
        if (loop) {
            command.addAll(List.of("-stream_loop", "-1"));
        }
        command.addAll(List.of("-i", file.toString(), "-c", "copy"));
        command.addAll(List.of(extraOutputArgs));
        command.addAll(List.of("-f", format, url));
        return new FfmpegPublisher(
                ExternalProcess.start("ffmpeg publisher to " + url, command, ProcessLogs.next("ffmpeg-publisher")));
    }

    /** Freezes ffmpeg (SIGSTOP): the connection stays open, nothing is sent. */
    public void pause() {
        ffmpeg.pause();
    }

    /** Lets a paused ffmpeg continue (SIGCONT). */
    public void resume() {
        ffmpeg.resume();
    }

    /** Kills ffmpeg (SIGKILL) without letting it close the stream, and waits (bounded) until it is gone. */
    public void kill() {
        ffmpeg.kill();
    }

    public boolean isAlive() {
        return ffmpeg.isAlive();
    }

    public long pid() {
        return ffmpeg.pid();
    }

    /** ffmpeg's log so far. */
    public String log() {
        return ffmpeg.log();
    }

    public Path logFile() {
        return ffmpeg.logFile();
    }

    /** Waits at most {@code timeout} for ffmpeg to exit; its exit code, or empty if it still runs. */
    public Optional<Integer> waitFor(Duration timeout) {
        return ffmpeg.waitFor(timeout);
    }

    /** Stops ffmpeg cleanly (SIGTERM: it ends the stream), killing it after 5 s. */
    @Override
    public void close() {
        ffmpeg.stop("TERM", STOP_GRACE);
    }

    @Override
    public String toString() {
        return ffmpeg.toString();
    }
}
