package io.streamrepeater.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.List;

/**
 * Writes {@link RawMessage}s as RTMP chunks, one connection's worth of header compression state per chunk stream
 * (format 0 on a stream's first message, a message stream change or a timestamp going backwards; format 1 when
 * length or type change; format 2 when only the delta changes; format 3 when everything repeats). Continuations are
 * format 3 and repeat the extended timestamp. The payload is never copied: the output is a composite of small header
 * buffers and retained payload slices. Encoding a SetChunkSize message switches the chunk size for the chunks after it.
 *
 * <p>Ownership: the encoder releases every {@code RawMessage} it is given; the produced buffers go down the
 * pipeline and are released by the transport. All methods must be called on the channel's event loop.
 */
public final class ChunkEncoder extends MessageToMessageEncoder<RawMessage> {
    /** Chunk size every RTMP connection starts with. */
    public static final int DEFAULT_CHUNK_SIZE = 128;

    private final IntObjectMap<OutboundChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    public ChunkEncoder() {
        super(RawMessage.class);
    }

    /** The chunk size used for the next message. */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Changes the chunk size for the messages written after this call, without telling the peer. Normally the peer
     * is told by writing a SetChunkSize message through this encoder, which calls this by itself.
     */
    public void setChunkSize(int chunkSize) {
        this.chunkSize = requireValidChunkSize(chunkSize);
    }

    /** @param message released by {@link MessageToMessageEncoder} after this returns */
    @Override
    protected void encode(ChannelHandlerContext ctx, RawMessage message, List<Object> out) {
        // Checked before anything is framed so that a bad value leaves no half-written state behind.
        int announcedChunkSize =
                message.typeId() == ProtocolControlType.SET_CHUNK_SIZE ? announcedChunkSize(message) : 0;
        OutboundChunkStream stream = streams.get(message.chunkStreamId());
        if (stream == null) {
            stream = new OutboundChunkStream();
            streams.put(message.chunkStreamId(), stream);
        }
        OutboundChunkStream.HeaderChoice header = stream.next(message);
        out.add(ChunkFramer.frame(ctx.alloc(), header.format(), header.timestampField(), message, chunkSize));
        if (announcedChunkSize != 0) {
            chunkSize = announcedChunkSize;
        }
    }

    private static int announcedChunkSize(RawMessage setChunkSize) {
        ByteBuf payload = setChunkSize.payload();
        if (payload.readableBytes() < 4) {
            throw new EncoderException("SetChunkSize payload has " + payload.readableBytes() + " bytes, expected 4");
        }
        int value = payload.getInt(payload.readerIndex());
        if (value < 1 || value > ChunkLimits.MAX_24_BIT) {
            throw new EncoderException("SetChunkSize value " + Integer.toUnsignedString(value) + " out of range 1.."
                    + ChunkLimits.MAX_24_BIT);
        }
        return value;
    }

    /**
     * Encodes one message on its own, independent of any connection's header state: a format-0 first chunk carrying
     * the absolute timestamp (extended when at least 0xFFFFFF), then format-3 continuations. Meant for fan-out: encode
     * a media message once and write retained duplicates of the result to every connection that uses this chunk size
     * (the connections' own {@code ChunkEncoder}s must not use the same chunk stream id for other messages).
     *
     * @param message not released by this method; the caller still owns it
     * @return a new buffer owned by the caller, sharing (retaining) the payload's memory
     */
    public static ByteBuf encodeStandalone(RawMessage message, int chunkSize, ByteBufAllocator alloc) {
        return ChunkFramer.frame(alloc, 0, message.timestamp(), message, requireValidChunkSize(chunkSize));
    }

    /**
     * The chunk headers {@link #encodeStandalone} would put around a payload of {@code payloadBytes}, in one buffer,
     * with where each goes: for fan-out over a native transport, which gathers headers and payload straight from
     * their memory by address, with no buffer object per part and the payload untouched.
     *
     * @param timestamp unsigned 32-bit milliseconds (higher bits are dropped, as {@link RawMessage} does)
     * @return the headers and their layout; the caller owns (releases) the buffer
     */
    public static ChunkHeaders encodeStandaloneHeaders(
            int chunkStreamId,
            int typeId,
            long timestamp,
            int messageStreamId,
            int payloadBytes,
            int chunkSize,
            ByteBufAllocator alloc) {
        return ChunkFramer.headers(
                alloc,
                0,
                timestamp & 0xFFFFFFFFL,
                chunkStreamId,
                typeId,
                messageStreamId,
                payloadBytes,
                requireValidChunkSize(chunkSize));
    }

    private static int requireValidChunkSize(int chunkSize) {
        if (chunkSize < 1 || chunkSize > ChunkLimits.MAX_24_BIT) {
            throw new IllegalArgumentException(
                    "chunk size " + chunkSize + " out of range 1.." + ChunkLimits.MAX_24_BIT);
        }
        return chunkSize;
    }
}
