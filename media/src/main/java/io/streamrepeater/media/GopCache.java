package io.streamrepeater.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The packets of the current group of pictures: the last video keyframe and every audio, video and
 * data packet after it, so that a viewer or a switch can start at once on a keyframe.
 *
 * <p>Sequence headers and metadata are not kept here (see {@link CodecHeaders}), nor are
 * end-of-sequence markers, which would stop a decoder when replayed. Packets before the first
 * keyframe are dropped. When a GOP grows past {@code maxBytes} or {@code maxPackets} (an encoder
 * with a very long or no keyframe interval) the cache empties itself and stays empty until the
 * next keyframe, rather than hold an unbounded amount of memory.
 *
 * <p>Ownership: the cache holds its own reference to each kept packet and releases it when the GOP
 * is replaced, on overflow and on {@link #close()}. Not thread-safe: use it from the stream's event
 * loop.
 */
public final class GopCache implements AutoCloseable {
    private final long maxBytes;
    private final int maxPackets;
    private final List<MediaPacket> packets = new ArrayList<>();
    private long bytes;
    /** True between a keyframe and an overflow: packets are being collected. */
    private boolean collecting;

    private long overflows;
    private boolean keyframeSeen;
    private long lastKeyframeDts;
    private long keyframeIntervalMs;

    /**
     * @param maxBytes most payload bytes one GOP may hold, at least 1
     * @param maxPackets most packets one GOP may hold, at least 1
     */
    public GopCache(long maxBytes, int maxPackets) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("GOP cache maxBytes must be at least 1, got " + maxBytes);
        }
        if (maxPackets < 1) {
            throw new IllegalArgumentException("GOP cache maxPackets must be at least 1, got " + maxPackets);
        }
        this.maxBytes = maxBytes;
        this.maxPackets = maxPackets;
    }

    /**
     * Offers a packet to the cache; a video keyframe starts a new GOP.
     *
     * @param packet any packet; the caller keeps ownership (the cache takes its own retained duplicate
     *     when it keeps the packet)
     */
    public void add(MediaPacket packet) {
        if (packet.sequenceHeader() || packet.metadata()) {
            return;
        }
        if (packet.videoInfo() != null && packet.videoInfo().endOfSequence()) {
            return;
        }
        if (packet.isVideoKeyframe()) {
            startGop(packet.dts());
        } else if (!collecting) {
            return;
        }
        packets.add(packet.retainedDuplicate());
        bytes += packet.content().readableBytes();
        if (bytes > maxBytes || packets.size() > maxPackets) {
            releasePackets();
            collecting = false;
            overflows++;
        }
    }

    private void startGop(long keyframeDts) {
        if (keyframeSeen) {
            long interval = keyframeDts - lastKeyframeDts;
            keyframeIntervalMs = Math.max(interval, 0); // a timestamp going backwards says nothing
        }
        keyframeSeen = true;
        lastKeyframeDts = keyframeDts;
        releasePackets();
        collecting = true;
    }

    /**
     * The cached GOP in arrival order, starting with its keyframe; empty before the first keyframe and
     * after an overflow.
     *
     * @return retained duplicates that the caller owns and must release, each one
     */
    public List<MediaPacket> snapshot() {
        List<MediaPacket> copy = new ArrayList<>(packets.size());
        for (MediaPacket packet : packets) {
            copy.add(packet.retainedDuplicate());
        }
        return copy;
    }

    /** DTS difference between the last two keyframes seen, in ms; 0 until two have been seen. */
    public long keyframeIntervalMs() {
        return keyframeIntervalMs;
    }

    /** How many times a GOP outgrew the limits and was dropped. */
    public long overflows() {
        return overflows;
    }

    /** Number of packets held. */
    public int size() {
        return packets.size();
    }

    /** Payload bytes held. */
    public long bytes() {
        return bytes;
    }

    /** Releases every held packet; the next keyframe starts a new GOP. */
    @Override
    public void close() {
        releasePackets();
        collecting = false;
    }

    private void releasePackets() {
        for (MediaPacket packet : packets) {
            packet.release();
        }
        packets.clear();
        bytes = 0;
    }
}
