package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;

/**
 * The 4-byte header of one transport stream packet and what its adaptation field says that matters
 * here (ISO/IEC 13818-1 §2.4.3.2).
 *
 * @param pid the packet identifier
 * @param payloadUnitStart a PES packet or PSI section starts in this packet's payload
 * @param transportError the transport_error_indicator: the packet is known to be damaged
 * @param continuityCounter 4-bit counter that increments per PID with every packet carrying payload
 * @param discontinuity the adaptation field's discontinuity_indicator: the counter (and the time base)
 *     may jump here
 * @param payloadOffset absolute index of the first payload byte in the buffer the header was read from
 * @param payloadLength payload bytes, 0 when the packet carries only an adaptation field
 */
record TsPacketHeader(
        int pid,
        boolean payloadUnitStart,
        boolean transportError,
        int continuityCounter,
        boolean discontinuity,
        int payloadOffset,
        int payloadLength) {

    static final int NULL_PID = 0x1FFF;
    private static final int HEADER_BYTES = 4;

    boolean hasPayload() {
        return payloadLength > 0;
    }

    /**
     * @param buf holds a packet starting with the sync byte at {@code offset}; read with absolute getters
     * @return the header, or null when the adaptation field length runs past the end of the packet
     */
    static TsPacketHeader read(ByteBuf buf, int offset) {
        int b1 = buf.getUnsignedByte(offset + 1);
        int b3 = buf.getUnsignedByte(offset + 3);
        int pid = (b1 & 0x1F) << 8 | buf.getUnsignedByte(offset + 2);
        int adaptationFieldControl = (b3 >> 4) & 0x03;
        int end = offset + TsPacketReader.PACKET_SIZE;
        int payloadOffset = offset + HEADER_BYTES;
        boolean discontinuity = false;
        if ((adaptationFieldControl & 0x02) != 0) {
            int length = buf.getUnsignedByte(payloadOffset);
            if (payloadOffset + 1 + length > end) {
                return null;
            }
            discontinuity = length > 0 && (buf.getUnsignedByte(payloadOffset + 1) & 0x80) != 0;
            payloadOffset += 1 + length;
        }
        int payloadLength = (adaptationFieldControl & 0x01) != 0 ? end - payloadOffset : 0;
        return new TsPacketHeader(
                pid, (b1 & 0x40) != 0, (b1 & 0x80) != 0, b3 & 0x0F, discontinuity, payloadOffset, payloadLength);
    }
}
