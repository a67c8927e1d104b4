package io.streamrepeater.app;

import io.streamrepeater.channel.ChannelOutput;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.control.api.PreviewFeed;
import io.streamrepeater.media.FlvWriter;
import io.streamrepeater.media.MediaPacket;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One viewer of a channel's live preview (HTTP-FLV): an output of the channel like a destination, but bounded and
 * expendable. On the channel's loop each packet is retained into a queue of {@link #CAPACITY} packets; a reader whose
 * queue is full is dropped at once (its feed ends), so that a slow viewer never holds the loop or the destinations
 * up. The HTTP thread takes the packets and turns them into FLV tags, timestamps rebased to the first packet's.
 * Starts with the channel's startup packets (metadata, sequence headers, the current GOP from its keyframe).
 */
final class PreviewReader implements ChannelOutput, PreviewFeed {
    private static final Logger LOG = LoggerFactory.getLogger(PreviewReader.class);
    /** About 8 s of 30 fps video with its audio: room for a viewer's network hiccup, not for a stalled one. */
    static final int CAPACITY = 600;

    private final LiveChannel channel;
    private final AtomicInteger readers;
    private final BlockingQueue<MediaPacket> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile boolean ended;
    private volatile String endReason;
    /** HTTP thread only. */
    private boolean headerSent;

    private long baseDts = -1;

    private PreviewReader(LiveChannel channel, AtomicInteger readers) {
        this.channel = channel;
        this.readers = readers;
    }

    /**
     * Starts a reader of {@code channel}'s output, counted in {@code readers}.
     *
     * @throws IllegalStateException when {@code max} readers are open already
     */
    static PreviewReader open(LiveChannel channel, AtomicInteger readers, int max) throws Exception {
        if (readers.incrementAndGet() > max) {
            readers.decrementAndGet();
            throw new IllegalStateException(
                    "all " + max + " live previews of this server are being watched; close one and try again");
        }
        PreviewReader reader = new PreviewReader(channel, readers);
        try {
            channel.loop()
                    .submit(() -> {
                        List<MediaPacket> startup = channel.startupPackets();
                        for (MediaPacket p : startup) {
                            if (!reader.queue.offer(p)) {
                                p.release();
                            }
                        }
                        channel.addOutput(reader);
                    })
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            reader.close();
            throw e;
        }
        LOG.info("event=preview-opened channel={} readers={}", channel.name(), readers.get());
        return reader;
    }

    /** Channel loop: keep the packet, or drop this reader if it is too far behind. */
    @Override
    public void packet(MediaPacket packet) {
        if (ended) {
            return;
        }
        MediaPacket kept = packet.retain();
        if (!queue.offer(kept)) {
            kept.release();
            end("the viewer did not keep up (" + CAPACITY + " packets behind)");
        }
    }

    @Override
    public byte[] next(long timeoutMs) throws InterruptedException {
        if (!headerSent) {
            headerSent = true;
            return FlvWriter.header(true);
        }
        MediaPacket p = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (p == null) {
            return ended ? null : new byte[0];
        }
        try {
            if (ended) {
                return null;
            }
            if (baseDts < 0) {
                baseDts = p.dts();
            }
            return FlvWriter.tag(p, Math.max(0, p.dts() - baseDts));
        } finally {
            p.release();
        }
    }

    /** Ends the feed: the reader leaves the channel's outputs and what it queued is released (on the loop). */
    private void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        endReason = reason;
        readers.decrementAndGet();
        channel.loop().execute(() -> {
            channel.removeOutput(this);
            for (MediaPacket p = queue.poll(); p != null; p = queue.poll()) {
                p.release();
            }
        });
        LOG.info("event=preview-closed channel={} reason=\"{}\"", channel.name(), reason);
    }

    @Override
    public void close() {
        end("the viewer left");
    }

    /** @return why the feed ended, null while it runs */
    String endReason() {
        return endReason;
    }
}
