package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;

/**
 * The timestamps of one PES packet (ISO/IEC 13818-1 §2.4.3.7), in 33-bit 90 kHz units.
 *
 * @param pts presentation timestamp, {@link #NO_TIMESTAMP} when absent
 * @param dts decoding timestamp; equal to {@code pts} when the packet carries only a PTS
 */
record PesHeader(long pts, long dts) {
    static final long NO_TIMESTAMP = -1;
    static final int FIXED_BYTES = 6;
    private static final int OPTIONAL_HEADER_BYTES = 3;

    boolean hasTimestamps() {
        return pts != NO_TIMESTAMP;
    }

    /**
     * Reads the header of a complete PES packet and moves the reader index of {@code pes} to the first
     * elementary stream byte (and the writer index to the declared end, if a length is declared).
     *
     * @param pes the whole PES packet from its start code; not retained, not released
     * @return the timestamps, or null when the header is malformed or the packet ends before its
     *     declared length (indices then unchanged)
     */
    static PesHeader read(ByteBuf pes) {
        int start = pes.readerIndex();
        int available = pes.readableBytes();
        if (available < FIXED_BYTES + OPTIONAL_HEADER_BYTES || pes.getUnsignedMedium(start) != 0x000001) {
            return null;
        }
        int declared = pes.getUnsignedShort(start + 4);
        if (declared != 0 && FIXED_BYTES + declared > available) {
            return null;
        }
        int flags = pes.getUnsignedByte(start + 7);
        int headerDataLength = pes.getUnsignedByte(start + 8);
        int payload = start + FIXED_BYTES + OPTIONAL_HEADER_BYTES + headerDataLength;
        int end = declared == 0 ? pes.writerIndex() : start + FIXED_BYTES + declared;
        if ((pes.getUnsignedByte(start + 6) & 0xC0) != 0x80 || payload > end) {
            return null;
        }
        int timestampBytes = switch (flags >> 6) {
            case 2 -> 5;
            case 3 -> 10;
            default -> 0;
        };
        if (timestampBytes > headerDataLength) {
            return null;
        }
        long pts = timestampBytes > 0 ? readTimestamp(pes, start + 9) : NO_TIMESTAMP;
        long dts = timestampBytes == 10 ? readTimestamp(pes, start + 14) : pts;
        pes.writerIndex(end);
        pes.readerIndex(payload);
        return new PesHeader(pts, dts);
    }

    /** A 33-bit timestamp spread over 5 bytes with marker bits (§2.4.3.7). */
    static long readTimestamp(ByteBuf buf, int at) {
        long high = (buf.getUnsignedByte(at) >> 1) & 0x07;
        long middle = buf.getUnsignedShort(at + 1) >> 1;
        long low = buf.getUnsignedShort(at + 3) >> 1;
        return high << 30 | middle << 15 | low;
    }
}
