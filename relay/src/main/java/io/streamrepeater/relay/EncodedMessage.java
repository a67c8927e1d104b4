package io.streamrepeater.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;

/**
 * One media message encoded as RTMP chunks once per channel, kept as its separate parts (chunk headers and
 * payload slices, in wire order) so that every destination writes the same single-region buffers: gathered by
 * address straight into a system call ({@link #addTo}), or as retained duplicates through Netty
 * ({@link #writeFrom}).
 *
 * <p>Reference counted by the relay, on the channel's event loop only (a plain int, no atomics): the encoder
 * holds one reference, and each destination that keeps the message until the end of the event loop's turn holds
 * one more ({@link #retain}); the parts are given back when the last is released. Writes through Netty hold
 * their own references to the parts, so they outlive this count.
 */
final class EncodedMessage {
    private final ByteBuf[] parts;
    private final int length;
    /**
     * Each part's native address and length, worked out once here for every destination's gathering write; null
     * when the message cannot be gathered.
     */
    private final long[] addresses;

    private final int[] lengths;
    private int refs = 1;

    /** @param parts ownership passes to this message */
    EncodedMessage(ByteBuf[] parts) {
        this.parts = parts;
        int total = 0;
        boolean byAddress = GatherBuffers.SUPPORTED;
        for (ByteBuf part : parts) {
            total += part.readableBytes();
            byAddress &= part.hasMemoryAddress();
        }
        this.length = total;
        if (byAddress) {
            addresses = new long[parts.length];
            lengths = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                addresses[i] = parts[i].memoryAddress() + parts[i].readerIndex();
                lengths[i] = parts[i].readableBytes();
            }
        } else {
            addresses = null;
            lengths = null;
        }
    }

    /** Bytes on the wire. */
    int length() {
        return length;
    }

    /**
     * Whether every part lives at a native memory address (and the platform's {@code iovec} is known), so that
     * {@link #addTo} can gather it.
     */
    boolean gatherable() {
        return addresses != null;
    }

    /**
     * Queues retained duplicates (or slices) of the parts from byte {@code offset} on, on the channel without
     * flushing (the caller flushes, once for everything written in this turn of the event loop): the whole message
     * from 0, or the rest of one whose beginning is already in the socket. {@code done} completes with the last
     * part (writes on one channel complete in order); earlier parts report failures through the pipeline.
     *
     * @param offset 0 to less than {@link #length()}
     */
    void writeFrom(int offset, Channel channel, ChannelPromise done) {
        int last = parts.length - 1;
        int skip = offset;
        for (int i = 0; i <= last; i++) {
            ByteBuf part = parts[i];
            int size = part.readableBytes();
            if (skip >= size) {
                skip -= size;
                continue;
            }
            ByteBuf piece =
                    skip == 0 ? part.retainedDuplicate() : part.retainedSlice(part.readerIndex() + skip, size - skip);
            skip = 0;
            channel.write(piece, i == last ? done : channel.voidPromise());
        }
    }

    /**
     * Adds every part's address and length to {@code iov}, for a gathering write of this message; only for a
     * {@link #gatherable()} message. The addresses stay valid while the caller holds a reference.
     *
     * @return false if {@code iov} had no room for all of them (what was added stays: the caller writes it)
     */
    boolean addTo(GatherBuffers iov) {
        long[] a = addresses;
        int[] l = lengths;
        for (int i = 0; i < a.length; i++) {
            if (l[i] != 0 && !iov.add(a[i], l[i])) {
                return false;
            }
        }
        return true;
    }

    /** One more holder of this message (on the event loop). */
    EncodedMessage retain() {
        refs++;
        return this;
    }

    /** A holder is done with it; the last one gives the parts back. */
    void release() {
        if (--refs == 0) {
            for (ByteBuf part : parts) {
                part.release();
            }
        }
    }
}
