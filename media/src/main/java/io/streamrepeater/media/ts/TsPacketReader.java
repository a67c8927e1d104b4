package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Cuts a byte stream, delivered in chunks split anywhere, into 188-byte transport stream packets.
 * Whole packets inside a chunk are handed out in place; a packet split across chunks is gathered in
 * a 188-byte carry array. Bytes that do not start with the sync byte 0x47 where a packet should begin
 * are skipped one by one (and counted) until one does.
 */
final class TsPacketReader {
    static final int PACKET_SIZE = 188;
    static final int SYNC_BYTE = 0x47;

    /** Receives one packet: 188 bytes at {@code offset}, valid only during the call. */
    interface PacketSink {
        /** @param buf holds the packet; not retained, not to be released or kept after the call */
        void packet(ByteBuf buf, int offset);
    }

    private final byte[] carry = new byte[PACKET_SIZE];
    private final ByteBuf carryView = Unpooled.wrappedBuffer(carry);
    private int carried;
    private long bytesSkipped;

    /**
     * @param chunk the next bytes of the stream; all readable bytes are consumed (the reader index moves
     *     to the writer index), not retained, not released: the caller keeps ownership
     */
    void feed(ByteBuf chunk, PacketSink sink) {
        int pos = chunk.readerIndex();
        int end = chunk.writerIndex();
        chunk.readerIndex(end);
        while (pos < end) {
            if (carried > 0) {
                int take = Math.min(PACKET_SIZE - carried, end - pos);
                chunk.getBytes(pos, carry, carried, take);
                carried += take;
                pos += take;
                if (carried == PACKET_SIZE) {
                    carried = 0;
                    sink.packet(carryView, 0);
                }
            } else if (chunk.getUnsignedByte(pos) != SYNC_BYTE) {
                bytesSkipped++;
                pos++;
            } else if (end - pos >= PACKET_SIZE) {
                sink.packet(chunk, pos);
                pos += PACKET_SIZE;
            } else {
                chunk.getBytes(pos, carry, 0, end - pos);
                carried = end - pos;
                pos = end;
            }
        }
    }

    /** Bytes thrown away while looking for a sync byte. */
    long bytesSkipped() {
        return bytesSkipped;
    }

    /** Bytes of an incomplete packet waiting for the next chunk. */
    int bytesCarried() {
        return carried;
    }
}
