package io.streamrepeater.app;

import io.netty.buffer.ByteBufUtil;
import io.streamrepeater.channel.ChannelOutput;
import io.streamrepeater.channel.InputListener;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.control.api.PreviewFeed;
import io.streamrepeater.media.FlvWriter;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One viewer of a live preview (HTTP-FLV) of a channel's output, or of one of its inputs: an output of the channel
 * like a destination (or a tap of the input, as the cluster's forwarding is), but bounded and expendable. On the channel's loop each packet is retained into a queue of {@link #CAPACITY} packets; a reader whose
 * queue is full is dropped at once (its feed ends), so that a slow viewer never holds the loop or the destinations
 * up. The HTTP thread takes the packets and turns them into FLV tags, timestamps rebased to the first packet's.
 * Starts with the channel's startup packets (metadata, sequence headers, the current GOP from its keyframe).
 */
final class PreviewReader implements ChannelOutput, InputListener, PreviewFeed {
    private static final Logger LOG = LoggerFactory.getLogger(PreviewReader.class);
    /** About 8 s of 30 fps video with its audio: room for a viewer's network hiccup, not for a stalled one. */
    static final int CAPACITY = 600;

    private final LiveChannel channel;
    /** The input watched, null for the channel's output. */
    private final String input;

    private final AtomicInteger readers;
    private final boolean endOnFormatChange;
    /** Channel loop only: the last video sequence header queued, to see a change of the picture's format. */
    private byte[] videoHeader;

    private final BlockingQueue<MediaPacket> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile boolean ended;
    private volatile String endReason;
    /** HTTP thread only. */
    private boolean headerSent;

    private long baseDts = -1;

    private PreviewReader(LiveChannel channel, String input, AtomicInteger readers, boolean endOnFormatChange) {
        this.channel = channel;
        this.input = input;
        this.readers = readers;
        this.endOnFormatChange = endOnFormatChange;
    }

    /**
     * Starts a reader of {@code channel}'s output, counted in {@code readers}.
     *
     * @throws IllegalStateException when {@code max} readers are open already
     */
    static PreviewReader open(LiveChannel channel, AtomicInteger readers, int max) throws Exception {
        return open(channel, null, readers, max, false);
    }

    /**
     * Starts a reader of one input of {@code channel} (its own packets and timestamps, whether it feeds the channel or
     * not), or of the channel's output when {@code input} is null.
     *
     * @param endOnFormatChange end the feed before a video sequence header that differs from the last one (see
     *     {@link io.streamrepeater.control.api.ControlPort#openPreview})
     * @throws IllegalStateException when {@code max} readers are open already
     * @throws java.util.concurrent.ExecutionException when the channel has no such input
     */
    static PreviewReader open(
            LiveChannel channel, String input, AtomicInteger readers, int max, boolean endOnFormatChange)
            throws Exception {
        if (readers.incrementAndGet() > max) {
            readers.decrementAndGet();
            throw new IllegalStateException(
                    "all " + max + " live previews of this server are being watched; close one and try again");
        }
        PreviewReader reader = new PreviewReader(channel, input, readers, endOnFormatChange);
        try {
            channel.loop()
                    .submit(() -> {
                        // on the loop, so that the live packets follow on from the startup ones
                        List<MediaPacket> startup =
                                input == null ? channel.startupPackets() : channel.inputStartupPackets(input);
                        for (MediaPacket p : startup) {
                            reader.noteFormat(p);
                            if (!reader.queue.offer(p)) {
                                p.release();
                            }
                        }
                        if (input == null) {
                            channel.addOutput(reader);
                        } else {
                            channel.addInputListener(input, reader).syncUninterruptibly();
                        }
                    })
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            reader.close();
            throw e;
        }
        LOG.info("event=preview-opened channel={} input={} readers={}", channel.name(), input, readers.get());
        return reader;
    }

    /** Channel loop: the input's encoder left; its next session would start a new timeline, so the feed ends. */
    @Override
    public void ended(String reason) {
        end("the input's encoder left: " + reason);
    }

    /** Channel loop: keep the packet, or drop this reader if it is too far behind. */
    @Override
    public void packet(MediaPacket packet) {
        if (ended) {
            return;
        }
        if (!noteFormat(packet)) {
            end("the picture's format changed (a new video sequence header); the player starts again on it");
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

    /**
     * Channel loop: remembers a video sequence header.
     *
     * @return false when this reader ends at a format change and {@code p} is a video sequence header that differs
     *     from the one before it
     */
    private boolean noteFormat(MediaPacket p) {
        if (!endOnFormatChange || p.kind() != MediaKind.VIDEO || !p.sequenceHeader()) {
            return true;
        }
        byte[] header = ByteBufUtil.getBytes(p.payload());
        boolean same = videoHeader == null || Arrays.equals(videoHeader, header);
        videoHeader = header;
        return same;
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
            if (input == null) {
                channel.removeOutput(this);
            } else {
                channel.removeInputListener(this);
            }
            for (MediaPacket p = queue.poll(); p != null; p = queue.poll()) {
                p.release();
            }
        });
        LOG.info("event=preview-closed channel={} input={} reason=\"{}\"", channel.name(), input, reason);
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
