package io.streamrepeater.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The decoder's memory of one chunk stream: the last header fields (which later compressed headers leave out) and
 * the message being assembled, if any.
 */
final class InboundChunkStream {
    private final int chunkStreamId;
    private long timestamp;
    private long delta;
    private long timestampField;
    private boolean extendedTimestamp;
    private int messageLength;
    private int typeId;
    private int messageStreamId;
    /** Payload received so far of a message that spans chunks; null between messages. */
    private ByteBuf partial;

    InboundChunkStream(int chunkStreamId) {
        this.chunkStreamId = chunkStreamId;
    }

    int chunkStreamId() {
        return chunkStreamId;
    }

    long timestamp() {
        return timestamp;
    }

    int messageLength() {
        return messageLength;
    }

    int typeId() {
        return typeId;
    }

    int messageStreamId() {
        return messageStreamId;
    }
    /** The value of the last format 0/1/2 timestamp field, as read from the extended field when it was used. */
    long timestampField() {
        return timestampField;
    }
    /** Whether the last format 0/1/2 header used the extended timestamp; format-3 chunks may then repeat it. */
    boolean extendedTimestamp() {
        return extendedTimestamp;
    }

    boolean hasPartial() {
        return partial != null;
    }

    int partialBytes() {
        return partial == null ? 0 : partial.readableBytes();
    }

    /**
     * Applies the header of a message's first chunk and returns the message's timestamp.
     *
     * @param field absolute timestamp (format 0) or delta (formats 1, 2); ignored for format 3, which repeats the
     *     previous delta
     */
    long startMessage(int format, long field, boolean extended, int length, int type, int msid) {
        switch (format) {
            case 0 -> {
                timestamp = field;
                // RTMP spec 5.3.1.2.4 (and ffmpeg, librtmp): a format-3 message after a format-0 one uses
                // the format-0 timestamp as its delta.
                delta = field;
            }
            case 1, 2 -> {
                delta = field;
                timestamp = (timestamp + delta) & ChunkFramer.TIMESTAMP_MASK;
            }
            default -> timestamp = (timestamp + delta) & ChunkFramer.TIMESTAMP_MASK;
        }
        if (format < 3) {
            timestampField = field;
            extendedTimestamp = extended;
        }
        messageLength = length;
        typeId = type;
        messageStreamId = msid;
        return timestamp;
    }

    /**
     * Copies {@code length} bytes of chunk data into the message being assembled. The buffer grows as chunks arrive,
     * never past the declared length, so memory follows what the peer really sent. (A composite of slices would avoid
     * the copy but costs a component per chunk: 130,000 of them for a 16 MiB message at the default chunk size.)
     *
     * @param in read from, not released
     */
    void append(ByteBufAllocator alloc, ByteBuf in, int length) {
        if (partial == null) {
            partial = alloc.buffer(length, messageLength);
        }
        partial.writeBytes(in, length);
    }

    /** @return the assembled payload; the caller owns it */
    ByteBuf takePayload() {
        ByteBuf payload = partial;
        partial = null;
        return payload;
    }

    /** Drops the message being assembled (Abort, error or connection end) and returns how many bytes it held. */
    int discardPartial() {
        int bytes = partialBytes();
        if (partial != null) {
            partial.release();
            partial = null;
        }
        return bytes;
    }
}
