package io.streamrepeater.channel;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Plays a slate file as the channel's last-resort input: its packets are fed in real time, looping
 * forever, with timestamps that keep increasing across loops, so the switch treats it like any
 * encoder (keyframe start, rebased timestamps, headers re-sent). Runs on the channel's event loop.
 */
final class SlatePlayer {
    static final long TICK_MS = 10;

    private final FlvFile file;
    private final InputSession session;
    private final EventExecutor loop;
    private final LongSupplier clockMs;
    private final long loopMs;
    private final long firstTs;
    private final long audioWindowEnd;
    private long startedAtMs = -1;
    private int index;
    private long loopNumber;
    private ScheduledFuture<?> task;

    SlatePlayer(FlvFile file, InputSession session, EventExecutor loop, LongSupplier clockMs) {
        this.file = file;
        this.session = session;
        this.loop = loop;
        this.clockMs = clockMs;
        List<MediaPacket> packets = file.packets();
        this.firstTs = packets.isEmpty() ? 0 : packets.get(0).dts();
        long videoSpan = videoSpanMs(packets);
        this.loopMs = Math.max(videoSpan > 0 ? videoSpan : file.durationMs(), 40);
        long firstAudio = packets.stream()
                .filter(p -> p.kind() == MediaKind.AUDIO && !p.sequenceHeader())
                .mapToLong(MediaPacket::dts)
                .findFirst()
                .orElse(firstTs);
        this.audioWindowEnd = firstAudio - firstTs + loopMs;
    }

    /**
     * The loop follows the picture: one video frame after the last one the next loop begins, so the
     * video never stutters. Encoders shift audio by the codec's priming delay, so each loop plays only
     * one loop's length of audio from its first audio packet; the rest would overlap the next loop.
     */
    private static long videoSpanMs(List<MediaPacket> packets) {
        long first = -1;
        long last = -1;
        int n = 0;
        for (MediaPacket p : packets) {
            if (p.kind() == MediaKind.VIDEO && !p.sequenceHeader()) {
                if (first < 0) {
                    first = p.dts();
                }
                last = p.dts();
                n++;
            }
        }
        return n < 2 ? 0 : last - first + (last - first) / (n - 1);
    }

    void start() {
        task = loop.scheduleAtFixedRate(this::play, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Feeds every packet that is due by now. */
    void play() {
        List<MediaPacket> packets = file.packets();
        if (packets.isEmpty()) {
            return;
        }
        long now = clockMs.getAsLong();
        if (startedAtMs < 0) {
            startedAtMs = now;
        }
        for (int sent = 0; sent < packets.size(); sent++) {
            MediaPacket p = packets.get(index);
            long ts = p.dts() - firstTs + loopNumber * loopMs;
            if (startedAtMs + ts > now) {
                return;
            }
            boolean repeatHeader = loopNumber > 0 && (p.sequenceHeader() || p.metadata());
            boolean audioOverlap =
                    p.kind() == MediaKind.AUDIO && !p.sequenceHeader() && p.dts() - firstTs >= audioWindowEnd;
            if (!repeatHeader && !audioOverlap) {
                MediaPacket copy = p.retainedDuplicate();
                MediaPacket out = copy.withDts(ts);
                copy.release();
                session.packet(out);
            }
            index++;
            if (index == packets.size()) {
                index = 0;
                loopNumber++;
            }
        }
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
        file.close();
    }
}
