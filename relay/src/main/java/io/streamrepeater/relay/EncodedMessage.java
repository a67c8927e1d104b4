package io.streamrepeater.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkHeaders;

/**
 * One media message encoded as RTMP chunks once per channel: its chunk headers in one buffer and the packet's payload
 * itself (one more reference to it, no copy, no derived buffer), with the wire order of their pieces (header 0,
 * payload part 0, header 1, …). Every destination writes the same bytes: gathered by address straight into a system
 * call ({@link #addTo}), or as retained slices through Netty ({@link #writeFrom}), made only on that slower path.
 *
 * <p>Reference counted by the relay, on the channel's event loop only (a plain int, no atomics): the encoder holds
 * one reference, and each destination that keeps the message until the end of the event loop's turn holds one more
 * ({@link #retain}); the headers and the payload are given back when the last is released. Writes through Netty hold
 * their own references to their slices, so they outlive this count.
 */
final class EncodedMessage {
    private final ChunkHeaders layout;
    private final ByteBuf headers;
    private final ByteBuf payload;
    /** The payload's first byte in {@link #payload}, as an absolute index (its reader index may move later). */
    private final int payloadStart;

    private final int length;
    /**
     * Each piece's native address and length in wire order, worked out once here for every destination's gathering
     * write; null when the message cannot be gathered.
     */
    private final long[] addresses;

    private final int[] lengths;
    private int refs = 1;

    /**
     * @param layout the chunk headers; their buffer passes to this message
     * @param payload the payload's readable bytes; one reference passes to this message
     */
    EncodedMessage(ChunkHeaders layout, ByteBuf payload) {
        this.layout = layout;
        this.headers = layout.buffer();
        this.payload = payload;
        this.payloadStart = payload.readerIndex();
        this.length = layout.wireLength();
        int pieces = pieces();
        if (GatherBuffers.SUPPORTED
                && headers.hasMemoryAddress()
                && (layout.payloadBytes() == 0 || payload.hasMemoryAddress())) {
            addresses = new long[pieces];
            lengths = new int[pieces];
            for (int i = 0; i < pieces; i++) {
                ByteBuf b = bufferOf(i);
                addresses[i] = b.memoryAddress() + startOf(i);
                lengths[i] = lengthOf(i);
            }
        } else {
            addresses = null;
            lengths = null;
        }
    }

    /**
     * Encodes {@code payload} as a standalone message (format-0 first chunk with the absolute timestamp, format-3
     * continuations).
     *
     * @param payload borrowed: the message takes one more reference to it, the caller keeps its own
     * @return a new message owned by the caller
     */
    static EncodedMessage encode(
            int chunkStreamId,
            int typeId,
            long timestamp,
            int messageStreamId,
            ByteBuf payload,
            int chunkSize,
            ByteBufAllocator alloc) {
        ChunkHeaders layout = ChunkEncoder.encodeStandaloneHeaders(
                chunkStreamId, typeId, timestamp, messageStreamId, payload.readableBytes(), chunkSize, alloc);
        return new EncodedMessage(layout, payload.retain());
    }

    /** Pieces on the wire: a header and a payload part per chunk, only the header for an empty message. */
    private int pieces() {
        return layout.payloadBytes() == 0 ? 1 : 2 * layout.chunks();
    }

    private ByteBuf bufferOf(int piece) {
        return (piece & 1) == 0 ? headers : payload;
    }

    /** The piece's first byte in its buffer, as an absolute index. */
    private int startOf(int piece) {
        int chunk = piece >> 1;
        return (piece & 1) == 0
                ? headers.readerIndex() + layout.headerOffset(chunk)
                : payloadStart + layout.payloadOffset(chunk);
    }

    private int lengthOf(int piece) {
        int chunk = piece >> 1;
        return (piece & 1) == 0 ? layout.headerLength(chunk) : layout.payloadLength(chunk);
    }

    /** Bytes on the wire. */
    int length() {
        return length;
    }

    /**
     * Whether every piece lives at a native memory address (and the platform's {@code iovec} is known), so that
     * {@link #addTo} can gather it.
     */
    boolean gatherable() {
        return addresses != null;
    }

    /**
     * Queues retained slices of the pieces from byte {@code offset} on, on the channel without flushing (the caller
     * flushes, once for everything written in this turn of the event loop): the whole message from 0, or the rest of
     * one whose beginning is already in the socket. {@code done} completes with the last piece (writes on one channel
     * complete in order); earlier pieces report failures through the pipeline.
     *
     * @param offset 0 to less than {@link #length()}
     */
    void writeFrom(int offset, Channel channel, ChannelPromise done) {
        int last = pieces() - 1;
        int skip = offset;
        for (int i = 0; i <= last; i++) {
            int size = lengthOf(i);
            if (skip >= size) {
                skip -= size;
                continue;
            }
            ByteBuf piece = bufferOf(i).retainedSlice(startOf(i) + skip, size - skip);
            skip = 0;
            channel.write(piece, i == last ? done : channel.voidPromise());
        }
    }

    /**
     * Adds every piece's address and length to {@code iov}, for a gathering write of this message; only for a
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

    /** A holder is done with it; the last one gives the headers and the payload back. */
    void release() {
        if (--refs == 0) {
            headers.release();
            payload.release();
        }
    }
}
