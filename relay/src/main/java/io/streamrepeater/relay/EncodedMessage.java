package io.streamrepeater.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.unix.IovArray;

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
    private final boolean gatherable;
    private int refs = 1;

    /** @param parts ownership passes to this message */
    EncodedMessage(ByteBuf[] parts) {
        this.parts = parts;
        int total = 0;
        boolean byAddress = true;
        for (ByteBuf part : parts) {
            total += part.readableBytes();
            byAddress &= part.hasMemoryAddress();
        }
        this.length = total;
        this.gatherable = byAddress;
    }

    /** Bytes on the wire. */
    int length() {
        return length;
    }

    /** Whether every part lives at a native memory address, so that {@link #addTo} can gather it. */
    boolean gatherable() {
        return gatherable;
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
            ByteBuf piece = skip == 0 ? part.retainedDuplicate()
                    : part.retainedSlice(part.readerIndex() + skip, size - skip);
            skip = 0;
            channel.write(piece, i == last ? done : channel.voidPromise());
        }
    }

    /**
     * Adds every part's address and length to {@code iov}, for a gathering write of this message.
     *
     * @return false if {@code iov} had no room for all of them (what was added stays: the caller clears or writes it)
     */
    boolean addTo(IovArray iov) {
        for (ByteBuf part : parts) {
            if (!iov.add(part, part.readerIndex(), part.readableBytes())) {
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
