package io.streamrepeater.app;

import io.netty.util.concurrent.Future;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.FlvWriter;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JPEG picture of each watched input, decoded from the input's GOP cache by an ffmpeg child process
 * every {@code refresh} on a small executor of its own (never an event loop, never the media path).
 * An input is watched while someone asked for its picture within {@code watchFor}, so nothing is
 * decoded while nobody looks. Without ffmpeg on the PATH (checked once at start) there are no pictures.
 */
final class Thumbnails implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Thumbnails.class);
    /** A 320-pixel-wide JPEG is tens of kB; anything past this is not a thumbnail. */
    private static final int MAX_JPEG_BYTES = 4 << 20;

    private static final int MAX_ERROR_TEXT = 2000;

    private final Function<String, LiveChannel> channels;
    private final String ffmpeg;
    private final long refreshMs;
    private final long watchForNanos;
    private final long decodeTimeoutMs;
    private final ScheduledExecutorService workers;
    /** The periodic refresh, scheduled only while some input is watched. */
    private final WhileNeeded refreshing;
    /** Only kills overrunning ffmpeg processes, so a timeout fires even when both workers are busy. */
    private final ScheduledExecutorService timeouts;

    private final Map<Key, Watched> watched = new ConcurrentHashMap<>();
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    /** Null until the start-up check has run. */
    private volatile Boolean ffmpegFound;

    private record Key(String channel, String input) {}

    private static final class Watched {
        volatile long lastAskedNanos;
        volatile byte[] jpeg;
        final AtomicBoolean decoding = new AtomicBoolean();
        boolean failing;
    }

    /**
     * @param channels the live channel of a name, or null when there is none
     * @param ffmpeg the ffmpeg command, looked up on the PATH
     * @param refresh time between two pictures of a watched input
     * @param watchFor how long after the last request an input stays watched
     * @param decodeTimeout how long one ffmpeg run may take before it is killed
     */
    Thumbnails(
            Function<String, LiveChannel> channels,
            String ffmpeg,
            Duration refresh,
            Duration watchFor,
            Duration decodeTimeout) {
        if (refresh.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "thumbnail refresh must be at least 100 ms, got " + refresh.toMillis() + " ms");
        }
        if (watchFor.compareTo(refresh) < 0) {
            throw new IllegalArgumentException("thumbnails must stay watched (" + watchFor.toMillis()
                    + " ms) at least one refresh period (" + refresh.toMillis() + " ms)");
        }
        if (decodeTimeout.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "thumbnail decode timeout must be at least 100 ms, got " + decodeTimeout.toMillis() + " ms");
        }
        this.channels = channels;
        this.ffmpeg = ffmpeg;
        this.refreshMs = refresh.toMillis();
        this.watchForNanos = watchFor.toNanos();
        this.decodeTimeoutMs = decodeTimeout.toMillis();
        this.workers = Executors.newScheduledThreadPool(2, daemonThreads("thumbnails"));
        this.timeouts = Executors.newSingleThreadScheduledExecutor(daemonThreads("thumbnail-timeouts"));
        this.refreshing = new WhileNeeded(
                "thumbnail-refresh", this::refreshWatched, () -> !watched.isEmpty(), workers, refreshMs);
    }

    /** Pictures every 5 s of inputs asked for within the last 60 s, each ffmpeg run limited to 5 s. */
    static Thumbnails start(Function<String, LiveChannel> channels) {
        Thumbnails t = new Thumbnails(
                channels, "ffmpeg", Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(5));
        t.start();
        return t;
    }

    /** Checks for ffmpeg once (in the background), then refreshes the watched inputs periodically. */
    void start() {
        workers.execute(() -> {
            ffmpegFound = ffmpegRuns();
            if (ffmpegFound) {
                LOG.info("event=thumbnails-enabled ffmpeg={} refreshMs={}", ffmpeg, refreshMs);
                watched.forEach((key, w) -> workers.execute(() -> refresh(key, w)));
                refreshWhileWatched();
            } else {
                LOG.info(
                        "event=thumbnails-disabled reason=\"'{} -version' does not run: put ffmpeg on the server's PATH for input pictures\"",
                        ffmpeg);
                watched.clear();
            }
        });
    }

    /** Whether ffmpeg ran at start: null until the check has run. */
    Boolean ffmpegFound() {
        return ffmpegFound;
    }

    /**
     * The latest picture of an input, and a mark that someone is looking at it: the first request
     * starts a refresh at once, later ones keep the input watched.
     */
    Optional<byte[]> latest(String channel, String input) {
        if (Boolean.FALSE.equals(ffmpegFound)) {
            return Optional.empty();
        }
        Key key = new Key(channel, input);
        boolean[] added = {false};
        Watched w = watched.computeIfAbsent(key, k -> {
            added[0] = true;
            return new Watched();
        });
        w.lastAskedNanos = System.nanoTime();
        if (added[0] && Boolean.TRUE.equals(ffmpegFound)) {
            workers.execute(() -> refresh(key, w));
            refreshWhileWatched();
        }
        return Optional.ofNullable(w.jpeg);
    }

    /** Starts the periodic refresh unless it runs; it stops itself once nobody watches any input. */
    private void refreshWhileWatched() {
        if (!watched.isEmpty()) {
            refreshing.wake();
        }
    }

    /** Whether the periodic refresh is scheduled (tests). */
    boolean refreshing() {
        return refreshing.running();
    }

    private void refreshWatched() {
        long now = System.nanoTime();
        watched.forEach((key, w) -> {
            if (now - w.lastAskedNanos > watchForNanos) {
                watched.remove(key, w);
            } else {
                refresh(key, w);
            }
        });
    }

    private void refresh(Key key, Watched w) {
        if (!w.decoding.compareAndSet(false, true)) {
            return;
        }
        try {
            LiveChannel channel = channels.apply(key.channel());
            if (channel == null || !live(channel, key.input())) {
                w.jpeg = null; // a down input shows no picture rather than a frozen one
                return;
            }
            byte[] flv = snapshot(channel, key.input());
            if (flv == null) {
                return;
            }
            w.jpeg = decode(flv);
            if (w.failing) {
                LOG.info("event=thumbnail-recovered channel={} input={}", key.channel(), key.input());
                w.failing = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!w.failing) {
                LOG.warn(
                        "event=thumbnail-failed channel={} input={} error=\"{}\"",
                        key.channel(),
                        key.input(),
                        e.getMessage());
                w.failing = true;
            }
        } finally {
            w.decoding.set(false);
        }
    }

    private static boolean live(LiveChannel channel, String input) {
        for (InputStatus s : channel.inputStatus()) {
            if (s.name().equals(input)) {
                return s.state() != InputState.DOWN;
            }
        }
        return false;
    }

    /** The input's latest GOP as FLV bytes, or null when it has no keyframe cached. */
    private byte[] snapshot(LiveChannel channel, String input) {
        Future<List<MediaPacket>> taken = channel.inputSnapshot(input);
        if (!taken.awaitUninterruptibly(decodeTimeoutMs)) {
            // the loop answers late: whatever it hands over then is released here
            taken.addListener(f -> {
                if (f.isSuccess()) {
                    taken.getNow().forEach(MediaPacket::release);
                }
            });
            throw new IllegalStateException("channel " + channel.name() + " did not hand over the GOP of " + input
                    + " within " + decodeTimeoutMs + " ms");
        }
        if (!taken.isSuccess()) {
            throw new IllegalStateException(taken.cause().getMessage(), taken.cause());
        }
        List<MediaPacket> packets = taken.getNow();
        try {
            return packets.stream().anyMatch(MediaPacket::isVideoKeyframe) ? FlvWriter.write(packets) : null;
        } finally {
            packets.forEach(MediaPacket::release);
        }
    }

    /**
     * Runs {@code ffmpeg -f flv -i pipe:0 -frames:v 1 -vf scale=320:-2 -f image2 -vcodec mjpeg pipe:1},
     * killed after the decode timeout.
     */
    private byte[] decode(byte[] flv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        ffmpeg,
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-f",
                        "flv",
                        "-i",
                        "pipe:0",
                        "-frames:v",
                        "1",
                        "-vf",
                        "scale=320:-2",
                        "-f",
                        "image2",
                        "-vcodec",
                        "mjpeg",
                        "pipe:1")
                .start();
        running.add(process);
        ScheduledFuture<?> kill = timeouts.schedule(process::destroyForcibly, decodeTimeoutMs, TimeUnit.MILLISECONDS);
        try {
            Thread feeder = new Thread(() -> feed(process, flv), "thumbnail-feed");
            feeder.setDaemon(true);
            feeder.start();
            byte[] jpeg = process.getInputStream().readNBytes(MAX_JPEG_BYTES);
            if (!process.waitFor(decodeTimeoutMs, TimeUnit.MILLISECONDS)) {
                throw new IOException("ffmpeg did not exit within " + decodeTimeoutMs + " ms");
            }
            String errors =
                    new String(process.getErrorStream().readNBytes(MAX_ERROR_TEXT), StandardCharsets.UTF_8).strip();
            if (kill.isDone()) {
                throw new IOException("ffmpeg made no picture within " + decodeTimeoutMs + " ms and was killed");
            }
            if (process.exitValue() != 0 || !isJpeg(jpeg)) {
                throw new IOException("ffmpeg exited with " + process.exitValue() + " and " + jpeg.length
                        + " bytes of picture" + (errors.isEmpty() ? "" : ": " + errors));
            }
            return jpeg;
        } finally {
            kill.cancel(false);
            process.destroyForcibly();
            running.remove(process);
        }
    }

    /** Writes the clip to ffmpeg's stdin; ffmpeg may close it early once it has its frame. */
    private static void feed(Process process, byte[] flv) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(flv);
        } catch (IOException e) {
            // broken pipe: ffmpeg stopped reading (it had its frame, or it failed and says why on stderr)
        }
    }

    static boolean isJpeg(byte[] b) {
        return b.length >= 4
                && (b[0] & 0xFF) == 0xFF
                && (b[1] & 0xFF) == 0xD8
                && (b[b.length - 2] & 0xFF) == 0xFF
                && (b[b.length - 1] & 0xFF) == 0xD9;
    }

    private boolean ffmpegRuns() {
        try {
            Process p = new ProcessBuilder(ffmpeg, "-version")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(decodeTimeoutMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops refreshing and kills any ffmpeg still running. */
    @Override
    public void close() {
        workers.shutdownNow();
        timeouts.shutdownNow();
        running.forEach(Process::destroyForcibly);
        watched.clear();
    }
}
