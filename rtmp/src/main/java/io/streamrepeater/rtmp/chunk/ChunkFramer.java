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
        ByteBuf payload = message.payload();
        int length = payload.readableBytes();
        ChunkHeaders layout = headers(
                alloc,
                format,
                timestampField,
                message.chunkStreamId(),
                message.typeId(),
                message.messageStreamId(),
                length,
                chunkSize);
        ByteBuf headers = layout.buffer();
        int chunks = layout.chunks();
        ByteBuf[] parts = new ByteBuf[length == 0 ? 1 : 2 * chunks];
        int count = 0;
        try {
            int offset = payload.readerIndex();
            for (int chunk = 0; chunk < chunks; chunk++) {
                parts[count++] = headers.retainedSlice(layout.headerOffset(chunk), layout.headerLength(chunk));
                int size = layout.payloadLength(chunk);
                if (size > 0) {
                    parts[count++] = payload.retainedSlice(offset + layout.payloadOffset(chunk), size);
                }
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

    /**
     * Writes every chunk header of a message of {@code length} payload bytes into one new buffer: a first chunk of
     * header format {@code format} and format-3 continuations.
     *
     * @param timestampField as for {@link #frame}
     * @return the headers and their layout; the buffer is owned by the caller
     */
    static ChunkHeaders headers(
            ByteBufAllocator alloc,
            int format,
            long timestampField,
            int csid,
            int typeId,
            int messageStreamId,
            int length,
            int chunkSize) {
        if (csid < MIN_CHUNK_STREAM_ID || csid > MAX_CHUNK_STREAM_ID) {
            throw new EncoderException("chunk stream id " + csid + " out of range " + MIN_CHUNK_STREAM_ID + ".."
                    + MAX_CHUNK_STREAM_ID + " in a message of type " + typeId);
        }
        if (length > ChunkLimits.MAX_24_BIT) {
            throw new EncoderException("message length " + length + " exceeds the 24-bit maximum "
                    + ChunkLimits.MAX_24_BIT + " in a message of type " + typeId + " on chunk stream " + csid);
        }
        boolean extended = timestampField >= EXTENDED_MARKER;
        int basicSize = csid < 64 ? 1 : csid < 320 ? 2 : 3;
        int extendedSize = extended ? 4 : 0;
        int firstHeaderSize = basicSize + MESSAGE_HEADER_SIZE[format] + extendedSize;
        int continuationHeaderSize = basicSize + extendedSize;
        int chunks = ChunkHeaders.chunks(length, chunkSize);
        ByteBuf headers = alloc.buffer(firstHeaderSize + (chunks - 1) * continuationHeaderSize);
        writeBasicHeader(headers, format, csid);
        writeMessageHeader(headers, format, timestampField, length, typeId, messageStreamId);
        if (extended) {
            headers.writeInt((int) timestampField);
        }
        for (int chunk = 1; chunk < chunks; chunk++) {
            writeBasicHeader(headers, 3, csid);
            if (extended) {
                headers.writeInt((int) timestampField);
            }
        }
        return new ChunkHeaders(headers, firstHeaderSize, continuationHeaderSize, chunkSize, length);
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

    private static void writeMessageHeader(
            ByteBuf out, int format, long timestampField, int length, int typeId, int messageStreamId) {
        if (format == 3) {
            return;
        }
        out.writeMedium((int) Math.min(timestampField, EXTENDED_MARKER));
        if (format == 2) {
            return;
        }
        out.writeMedium(length);
        out.writeByte(typeId);
        if (format == 0) {
            out.writeIntLE(messageStreamId);
        }
    }
}
