package io.streamrepeater.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One complete RTMP message as the chunk layer sees it: header fields plus the assembled payload.
 *
 * <p>Ownership: a {@code RawMessage} owns its payload. Whoever receives one from the pipeline
 * releases it (or passes it on); the chunk encoder releases what it is given to write.
 */
public final class RawMessage extends DefaultByteBufHolder {
    private final int chunkStreamId;
    private final int typeId;
    private final long timestamp;
    private final int messageStreamId;

    /**
     * @param chunkStreamId chunk stream id (2 for protocol control, 3+ otherwise)
     * @param typeId RTMP message type id (1..22)
     * @param timestamp message timestamp in ms, unsigned 32 bit (0..0xFFFFFFFF)
     * @param messageStreamId message stream id (little-endian on the wire)
     * @param payload the message body; ownership passes to this message
     */
    public RawMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, ByteBuf payload) {
        super(payload);
        this.chunkStreamId = chunkStreamId;
        this.typeId = typeId;
        this.timestamp = timestamp & 0xFFFFFFFFL;
        this.messageStreamId = messageStreamId;
    }

    public int chunkStreamId() {
        return chunkStreamId;
    }

    public int typeId() {
        return typeId;
    }
    /** Unsigned 32-bit millisecond timestamp. */
    public long timestamp() {
        return timestamp;
    }

    public int messageStreamId() {
        return messageStreamId;
    }
    /** The payload; same as {@link #content()}. Not retained by this call. */
    public ByteBuf payload() {
        return content();
    }

    @Override
    public RawMessage replace(ByteBuf content) {
        return new RawMessage(chunkStreamId, typeId, timestamp, messageStreamId, content);
    }

    @Override
    public RawMessage retain() {
        super.retain();
        return this;
    }

    @Override
    public RawMessage retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public String toString() {
        return "RawMessage{csid=" + chunkStreamId + ", type=" + typeId + ", ts=" + timestamp + ", msid="
                + messageStreamId + ", len=" + content().readableBytes() + '}';
    }
}
