package io.streamrepeater.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * The chunk headers of one message framed on its own, all in one buffer, and where each goes on the wire: chunk
 * {@code i} is its header ({@link #headerOffset}, {@link #headerLength} in {@link #buffer()}) followed by its part of
 * the payload ({@link #payloadOffset}, {@link #payloadLength} from the payload's first byte). A sender writes header
 * 0, payload part 0, header 1, payload part 1, … straight from the two memory regions, without a buffer object per
 * part.
 *
 * @param buffer the headers, back to back; owned by whoever asked for them (release it)
 * @param firstHeader bytes of chunk 0's header (basic, message and extended timestamp)
 * @param continuationHeader bytes of every later chunk's header (format 3, and the extended timestamp again)
 * @param chunkSize the chunk size the message was cut with
 * @param payloadBytes the payload's length
 */
public record ChunkHeaders(ByteBuf buffer, int firstHeader, int continuationHeader, int chunkSize, int payloadBytes) {
    /** Chunks on the wire: at least one, also for an empty payload. */
    public int chunks() {
        return chunks(payloadBytes, chunkSize);
    }

    /** Chunks a payload of {@code payloadBytes} takes at {@code chunkSize}: at least one. */
    static int chunks(int payloadBytes, int chunkSize) {
        return payloadBytes == 0 ? 1 : (int) ((payloadBytes + (long) chunkSize - 1) / chunkSize);
    }

    /** Where chunk {@code chunk}'s header starts in {@link #buffer()}, from its reader index. */
    public int headerOffset(int chunk) {
        return chunk == 0 ? 0 : firstHeader + (chunk - 1) * continuationHeader;
    }

    public int headerLength(int chunk) {
        return chunk == 0 ? firstHeader : continuationHeader;
    }

    /** Where chunk {@code chunk}'s part of the payload starts, from the payload's first byte. */
    public int payloadOffset(int chunk) {
        return chunk * chunkSize;
    }

    /** Bytes of the payload in chunk {@code chunk}; 0 only for the one chunk of an empty payload. */
    public int payloadLength(int chunk) {
        return Math.min(chunkSize, payloadBytes - chunk * chunkSize);
    }

    /** Bytes on the wire: every header and the payload. */
    public int wireLength() {
        return buffer.readableBytes() + payloadBytes;
    }
}
