package io.streamrepeater.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.List;
import java.util.Objects;

/**
 * Reassembles RTMP chunks into {@link RawMessage}s: all four header formats, 1-, 2- and 3-byte chunk stream ids,
 * extended timestamps (also when a peer repeats them on format-3 chunks, and when it does not), and unsigned 32-bit
 * timestamps that wrap. Acts on the protocol control messages that concern the chunk layer: SetChunkSize, Abort and
 * Window Acknowledgement Size, and writes an Acknowledgement (through the handlers in front of it, normally a
 * {@link ChunkEncoder}) each time a window's worth of bytes has been received.
 *
 * <p>Ownership: every complete message, control messages included, goes up the pipeline as a {@code RawMessage}
 * that the receiver releases. Partly received payloads are held here and released on Abort, error or removal.
 *
 * <p>Errors: a chunk stream that breaks the protocol or a {@link ChunkLimits} limit raises a {@link ChunkException}
 * naming the rule; the decoder then discards all further input.
 */
public final class ChunkDecoder extends ByteToMessageDecoder {
    private static final int[] MESSAGE_HEADER_SIZE = {11, 7, 3, 0};

    private ChunkLimits limits;
    private PendingBudget budget;
    private final IntObjectMap<InboundChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = ChunkEncoder.DEFAULT_CHUNK_SIZE;
    private long pendingBytes;
    private long acknowledgementWindow;
    private long bytesReceived;
    private long bytesAtLastAcknowledgement;
    private boolean failed;

    public ChunkDecoder(ChunkLimits limits) {
        this(limits, PendingBudget.unlimited());
    }

    /**
     * @param limits what this connection may send now
     * @param budget the server-wide allowance its partly received messages draw from
     */
    public ChunkDecoder(ChunkLimits limits, PendingBudget budget) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /**
     * Gives the connection other limits and another server-wide budget from the next chunk on: a peer that has not
     * published may send only small command messages; an accepted publisher may send keyframes. What it holds now
     * moves to the new budget. Call on the connection's event loop (a handler behind this decoder, on the message that
     * accepted the publish: the bytes after it are decoded with the new limits).
     */
    public void changeLimits(ChunkLimits newLimits, PendingBudget newBudget) {
        Objects.requireNonNull(newLimits, "newLimits");
        Objects.requireNonNull(newBudget, "newBudget");
        budget.release(pendingBytes);
        newBudget.forceReserve(pendingBytes);
        limits = newLimits;
        budget = newBudget;
    }

    /** The limits the connection is held to now. */
    public ChunkLimits limits() {
        return limits;
    }

    /** Chunk size the peer currently uses (128 until it sends SetChunkSize). */
    public int chunkSize() {
        return chunkSize;
    }

    /** Acknowledgement window the peer asked for; 0 until it sends Window Acknowledgement Size. */
    public long acknowledgementWindow() {
        return acknowledgementWindow;
    }

    /** Bytes of complete chunks received so far (not wrapped at 2^32). */
    public long bytesReceived() {
        return bytesReceived;
    }

    /**
     * @param in the cumulation, owned by {@link ByteToMessageDecoder}; complete messages are added to {@code out}
     *     and owned by whoever receives them
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed || !ctx.channel().isOpen()) {
            // After an error, or once a handler behind closed the connection (the ingest session does on a bad
            // command), the rest of the input is not for anyone.
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (decodeChunk(ctx, in, out)) {
                if (!out.isEmpty()) {
                    // One message per call: ByteToMessageDecoder hands it on before asking for the next, so a
                    // handler that closes the connection on it stops the decoding of what follows.
                    break;
                }
            }
        } catch (ChunkException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            discardAllPartials();
            throw e;
        }
    }

    /** Consumes one complete chunk from {@code in}, or nothing if the next chunk has not fully arrived. */
    private boolean decodeChunk(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        final int start = in.readerIndex();
        final int end = in.writerIndex();
        if (start == end) {
            return false;
        }
        int first = in.getUnsignedByte(start);
        int format = first >>> 6;
        int csid = first & 0x3F;
        int pos = start + 1;
        if (csid == 0) {
            if (end - pos < 1) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos);
            pos += 1;
        } else if (csid == 1) {
            if (end - pos < 2) {
                return false;
            }
            csid = 64 + in.getUnsignedShortLE(pos);
            pos += 2;
        }

        InboundChunkStream stream = streams.get(csid);
        if (stream == null) {
            if (format != 0) {
                throw new ChunkException("header format " + format + " on chunk stream " + csid
                        + ", which has no previous header (a chunk stream must start with format 0)");
            }
            if (streams.size() >= limits.maxChunkStreams()) {
                throw new ChunkLimitException(
                        ChunkLimitException.Limit.MAX_CHUNK_STREAMS,
                        "chunk stream " + csid
                                + " would be chunk stream number " + (streams.size() + 1)
                                + " on this connection, limit " + limits.maxChunkStreams());
            }
        }

        if (end - pos < MESSAGE_HEADER_SIZE[format]) {
            return false;
        }
        long timestampField;
        boolean extended;
        int length;
        int typeId;
        int msid;
        if (format == 3) {
            timestampField = stream.timestampField();
            extended = stream.extendedTimestamp();
            length = stream.messageLength();
            typeId = stream.typeId();
            msid = stream.messageStreamId();
            if (extended) {
                switch (peekRepeatedExtendedTimestamp(in, pos, end, timestampField)) {
                    case PRESENT -> pos += 4;
                    case UNDECIDED -> {
                        return false;
                    }
                    case ABSENT -> {}
                }
            }
        } else {
            timestampField = in.getUnsignedMedium(pos);
            length = format == 2 ? stream.messageLength() : in.getUnsignedMedium(pos + 3);
            typeId = format == 2 ? stream.typeId() : in.getUnsignedByte(pos + 6);
            msid = format == 0 ? in.getIntLE(pos + 7) : stream.messageStreamId();
            pos += MESSAGE_HEADER_SIZE[format];
            extended = timestampField == ChunkFramer.EXTENDED_MARKER;
            if (extended) {
                if (end - pos < 4) {
                    return false;
                }
                timestampField = in.getUnsignedInt(pos);
                pos += 4;
            }
        }

        boolean continuation = stream != null && stream.hasPartial();
        if (continuation && format != 3) {
            throw new ChunkException("header format " + format + " on chunk stream " + csid + " while its "
                    + stream.messageLength() + "-byte message has " + stream.partialBytes()
                    + " bytes; expected a format 3 continuation");
        }
        if (format <= 1 && length > limits.maxMessageSize()) {
            throw new ChunkLimitException(
                    ChunkLimitException.Limit.MAX_MESSAGE_SIZE,
                    "message length " + length + " on chunk stream " + csid + " exceeds limit "
                            + limits.maxMessageSize());
        }
        int received = continuation ? stream.partialBytes() : 0;
        int dataLength = Math.min(chunkSize, length - received);
        if (end - pos < dataLength) {
            return false;
        }

        // The whole chunk is here: commit.
        if (stream == null) {
            stream = new InboundChunkStream(csid);
            streams.put(csid, stream);
        }
        if (!continuation) {
            stream.startMessage(format, timestampField, extended, length, typeId, msid);
        }
        in.readerIndex(pos);
        if (!continuation && dataLength == length) {
            ByteBuf payload = length == 0 ? ctx.alloc().buffer(0, 0) : in.readRetainedSlice(length);
            deliver(stream, payload, out);
        } else {
            if (!budget.tryReserve(dataLength)) {
                throw new ChunkLimitException(
                        ChunkLimitException.Limit.SERVER_PENDING_BYTES,
                        "the server's "
                                + budget.name() + " allowance of " + budget.capacity()
                                + " bytes of partly received messages"
                                + " is spent (" + budget.used() + " held over all connections; this one holds "
                                + pendingBytes
                                + ")");
            }
            stream.append(ctx.alloc(), in, dataLength);
            pendingBytes += dataLength;
            if (stream.partialBytes() == length) {
                pendingBytes -= length;
                budget.release(length);
                deliver(stream, stream.takePayload(), out);
            } else if (pendingBytes > limits.maxPendingBytes()) {
                throw new ChunkLimitException(
                        ChunkLimitException.Limit.MAX_PENDING_BYTES,
                        "pending partial payload "
                                + pendingBytes + " bytes exceeds limit " + limits.maxPendingBytes()
                                + " (while receiving chunk stream " + csid + ")");
            }
        }
        bytesReceived += in.readerIndex() - start;
        acknowledgeIfWindowReached(ctx);
        return true;
    }

    private enum RepeatedTimestamp {
        PRESENT,
        ABSENT,
        UNDECIDED
    }

    /**
     * Peers differ on whether a format-3 chunk repeats the extended timestamp, so look: the four bytes are taken as
     * the repeated timestamp only if they equal the expected value. Decides as soon as an arrived byte differs,
     * waits only while the arrived prefix still matches.
     *
     * @param in only read at absolute indexes; nothing is consumed or released
     */
    private static RepeatedTimestamp peekRepeatedExtendedTimestamp(ByteBuf in, int pos, int end, long expected) {
        int available = Math.min(4, end - pos);
        for (int i = 0; i < available; i++) {
            int expectedByte = (int) (expected >>> (24 - 8 * i)) & 0xFF;
            if (in.getUnsignedByte(pos + i) != expectedByte) {
                return RepeatedTimestamp.ABSENT;
            }
        }
        return available == 4 ? RepeatedTimestamp.PRESENT : RepeatedTimestamp.UNDECIDED;
    }

    /** Acts on chunk-layer control messages, then hands the message up. Takes ownership of {@code payload}. */
    private void deliver(InboundChunkStream stream, ByteBuf payload, List<Object> out) {
        int typeId = stream.typeId();
        if (typeId == ProtocolControlType.SET_CHUNK_SIZE
                || typeId == ProtocolControlType.ABORT
                || typeId == ProtocolControlType.WINDOW_ACKNOWLEDGEMENT_SIZE) {
            try {
                applyControl(typeId, payload);
            } catch (ChunkException e) {
                payload.release();
                throw e;
            }
        }
        out.add(new RawMessage(stream.chunkStreamId(), typeId, stream.timestamp(), stream.messageStreamId(), payload));
    }

    /** @param payload only read; the caller keeps ownership */
    private void applyControl(int typeId, ByteBuf payload) {
        String name = switch (typeId) {
            case ProtocolControlType.SET_CHUNK_SIZE -> "SetChunkSize";
            case ProtocolControlType.ABORT -> "Abort";
            default -> "WindowAcknowledgementSize";
        };
        if (payload.readableBytes() < 4) {
            throw new ChunkException(name + " payload has " + payload.readableBytes() + " bytes, expected 4");
        }
        long value = payload.getUnsignedInt(payload.readerIndex());
        switch (typeId) {
            case ProtocolControlType.SET_CHUNK_SIZE -> chunkSize = validChunkSize(value);
            case ProtocolControlType.ABORT -> {
                InboundChunkStream aborted = value <= Integer.MAX_VALUE ? streams.get((int) value) : null;
                if (aborted != null) {
                    int dropped = aborted.discardPartial();
                    pendingBytes -= dropped;
                    budget.release(dropped);
                }
            }
            default -> acknowledgementWindow = value;
        }
    }

    private int validChunkSize(long value) {
        if (value == 0) {
            throw new ChunkException("chunk size 0 is invalid, must be 1.." + limits.maxChunkSize());
        }
        if ((value & 0x80000000L) != 0) {
            throw new ChunkException("chunk size " + value + " has the reserved top bit set");
        }
        if (value > limits.maxChunkSize()) {
            throw new ChunkLimitException(
                    ChunkLimitException.Limit.MAX_CHUNK_SIZE,
                    "chunk size " + value + " exceeds limit " + limits.maxChunkSize());
        }
        return (int) value;
    }

    private void acknowledgeIfWindowReached(ChannelHandlerContext ctx) {
        if (acknowledgementWindow > 0 && bytesReceived - bytesAtLastAcknowledgement >= acknowledgementWindow) {
            bytesAtLastAcknowledgement = bytesReceived;
            ByteBuf sequenceNumber = ctx.alloc().buffer(4).writeInt((int) bytesReceived);
            ctx.writeAndFlush(new RawMessage(
                    ProtocolControlType.CHUNK_STREAM, ProtocolControlType.ACKNOWLEDGEMENT, 0, 0, sequenceNumber));
        }
    }

    private void discardAllPartials() {
        for (InboundChunkStream stream : streams.values()) {
            int dropped = stream.discardPartial();
            pendingBytes -= dropped;
            budget.release(dropped);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        discardAllPartials();
        super.handlerRemoved0(ctx);
    }
}
