package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Gathers one PSI section (PAT or PMT) of one PID from the payloads of consecutive packets
 * (ISO/IEC 13818-1 §2.4.4): the pointer field in a packet that starts a section, then the 3-byte
 * header that gives the length. Only the first section starting in a packet is read, which is all
 * a PAT or PMT of one program needs. A section whose CRC does not match is thrown away.
 */
final class PsiSectionAssembler {
    /** A PAT or PMT section is at most 1024 bytes (section_length up to 1021 plus 3 bytes of header). */
    static final int MAX_SECTION_BYTES = 1024;

    private final byte[] section = new byte[MAX_SECTION_BYTES];
    private int length = -1; // -1: waiting for a packet that starts a section
    private int expected;

    /**
     * @param buf holds the packet; read with absolute getters, not retained
     * @return the complete section with a valid CRC (a new array), or null when none is complete yet
     *     or the one just completed is damaged
     */
    byte[] accept(TsPacketHeader header, ByteBuf buf) {
        int from = header.payloadOffset();
        int end = from + header.payloadLength();
        if (header.payloadUnitStart()) {
            int pointer = buf.getUnsignedByte(from);
            from += 1 + pointer;
            if (from > end) {
                length = -1;
                return null;
            }
            length = 0;
            expected = -1;
        } else if (length < 0) {
            return null;
        }
        int take = Math.min(end - from, MAX_SECTION_BYTES - length);
        buf.getBytes(from, section, length, take);
        length += take;
        if (expected < 0 && length >= 3) {
            expected = 3 + ((section[1] & 0x0F) << 8 | section[2] & 0xFF);
            if (expected > MAX_SECTION_BYTES || expected < 3 + 5 + 4) {
                length = -1;
                return null;
            }
        }
        if (expected < 0 || length < expected) {
            return null;
        }
        length = -1;
        if (Crc32Mpeg2.of(section, 0, expected) != 0) {
            return null;
        }
        return Arrays.copyOf(section, expected);
    }

    /** Forgets a section in progress (after a continuity error). */
    void reset() {
        length = -1;
    }
}
