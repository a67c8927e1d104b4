package io.streamrepeater.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.EncoderException;

/**
 * Cuts one message into chunks without copying it: all chunk headers go into one small buffer, and the output is a
 * composite that alternates slices of that header buffer with retained slices of the payload.
 */
final class ChunkFramer {
    static final int MIN_CHUNK_STREAM_ID = 2;
    static final int MAX_CHUNK_STREAM_ID = 65599;
    static final long TIMESTAMP_MASK = 0xFFFFFFFFL;
    /** A 24-bit timestamp field holding this value means "see the 4-byte extended timestamp". */
    static final int EXTENDED_MARKER = 0xFFFFFF;

    private static final int[] MESSAGE_HEADER_SIZE = {11, 7, 3, 0};

    private ChunkFramer() {}

    /**
     * Frames {@code message} as a first chunk of header format {@code format} followed by format-3 continuations.
     *
     * @param timestampField absolute timestamp for format 0, delta for formats 1 and 2 (and for a format-3 first chunk,
     *     which repeats the previous delta); it decides whether the extended timestamp is written, on every chunk
     * @param message not released; its payload is retained once per chunk by the returned buffer
     * @return a new buffer the caller owns and releases (writing it to a channel does)
     */
    static ByteBuf frame(ByteBufAllocator alloc, int format, long timestampField, RawMessage message, int chunkSize) {
        ByteBuf[] parts = frameParts(alloc, format, timestampField, message, chunkSize);
        CompositeByteBuf framed = alloc.compositeBuffer(parts.length);
        // addComponents takes ownership of every part, also when it throws.
        framed.addComponents(true, parts);
        return framed;
    }

    /**
     * Like {@link #frame} but as the separate buffers a composite would hold, in wire order: header slices of one
     * small header buffer alternating with retained slices of the payload. Written one after the other they go out
     * as one gathering write, and each part, unlike a composite, is a single memory region a native transport writes
     * without building NIO buffer objects.
     *
     * @param message not released; its payload is retained once per chunk by the returned parts
     * @return new buffers, each owned by the caller (release every one, or write them)
     */
    static ByteBuf[] frameParts(
            ByteBufAllocator alloc, int format, long timestampField, RawMessage message, int chunkSize) {
        int csid = message.chunkStreamId();
        if (csid < MIN_CHUNK_STREAM_ID || csid > MAX_CHUNK_STREAM_ID) {
            throw new EncoderException("chunk stream id " + csid + " out of range " + MIN_CHUNK_STREAM_ID + ".."
                    + MAX_CHUNK_STREAM_ID + " in " + message);
        }
        ByteBuf payload = message.payload();
        int length = payload.readableBytes();
        if (length > ChunkLimits.MAX_24_BIT) {
            throw new EncoderException("message length " + length + " exceeds the 24-bit maximum "
                    + ChunkLimits.MAX_24_BIT + " in " + message);
        }
        boolean extended = timestampField >= EXTENDED_MARKER;
        int basicSize = csid < 64 ? 1 : csid < 320 ? 2 : 3;
        int extendedSize = extended ? 4 : 0;
        int firstHeaderSize = basicSize + MESSAGE_HEADER_SIZE[format] + extendedSize;
        int continuationHeaderSize = basicSize + extendedSize;
        int chunks = length == 0 ? 1 : (int) ((length + (long) chunkSize - 1) / chunkSize);

        ByteBuf headers = alloc.buffer(firstHeaderSize + (chunks - 1) * continuationHeaderSize);
        ByteBuf[] parts = new ByteBuf[length == 0 ? 1 : 2 * chunks];
        int count = 0;
        try {
            writeBasicHeader(headers, format, csid);
            writeMessageHeader(headers, format, timestampField, message);
            if (extended) {
                headers.writeInt((int) timestampField);
            }
            parts[count++] = headers.retainedSlice(0, firstHeaderSize);
            int offset = payload.readerIndex();
            for (int sent = 0, chunk = 0; chunk < chunks; chunk++) {
                if (chunk > 0) {
                    int headerStart = headers.writerIndex();
                    writeBasicHeader(headers, 3, csid);
                    if (extended) {
                        headers.writeInt((int) timestampField);
                    }
                    parts[count++] = headers.retainedSlice(headerStart, continuationHeaderSize);
                }
                int size = Math.min(chunkSize, length - sent);
                if (size > 0) {
                    parts[count++] = payload.retainedSlice(offset + sent, size);
                }
                sent += size;
            }
            return parts;
        } catch (RuntimeException e) {
            for (int i = 0; i < count; i++) {
                parts[i].release();
            }
            throw e;
        } finally {
            headers.release();
        }
    }

    private static void writeBasicHeader(ByteBuf out, int format, int csid) {
        if (csid < 64) {
            out.writeByte(format << 6 | csid);
        } else if (csid < 320) {
            out.writeByte(format << 6);
            out.writeByte(csid - 64);
        } else {
            out.writeByte(format << 6 | 1);
            out.writeShortLE(csid - 64);
        }
    }

    private static void writeMessageHeader(ByteBuf out, int format, long timestampField, RawMessage message) {
        if (format == 3) {
            return;
        }
        out.writeMedium((int) Math.min(timestampField, EXTENDED_MARKER));
        if (format == 2) {
            return;
        }
        out.writeMedium(message.payload().readableBytes());
        out.writeByte(message.typeId());
        if (format == 0) {
            out.writeIntLE(message.messageStreamId());
        }
    }
}
