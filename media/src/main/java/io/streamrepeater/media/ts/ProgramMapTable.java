package io.streamrepeater.media.ts;

import java.util.ArrayList;
import java.util.List;

/** Reads a program map section (table id 2, ISO/IEC 13818-1 §2.4.4.8). */
final class ProgramMapTable {
    private static final int TABLE_ID = 0x02;
    private static final int HEADER_BYTES = 8;
    private static final int CRC_BYTES = 4;

    private ProgramMapTable() {}

    /**
     * @param section a complete section with a checked CRC
     * @return the elementary streams in table order; null when the section is not a PMT or its
     *     descriptor lengths run past its end
     */
    static List<ElementaryStream> streams(byte[] section) {
        if ((section[0] & 0xFF) != TABLE_ID || section.length < HEADER_BYTES + 4 + CRC_BYTES) {
            return null;
        }
        int end = section.length - CRC_BYTES;
        int programInfoLength = (section[HEADER_BYTES + 2] & 0x0F) << 8 | section[HEADER_BYTES + 3] & 0xFF;
        int at = HEADER_BYTES + 4 + programInfoLength;
        List<ElementaryStream> streams = new ArrayList<>();
        while (at + 5 <= end) {
            int streamType = section[at] & 0xFF;
            int pid = (section[at + 1] & 0x1F) << 8 | section[at + 2] & 0xFF;
            int infoLength = (section[at + 3] & 0x0F) << 8 | section[at + 4] & 0xFF;
            at += 5 + infoLength;
            if (at > end) {
                return null;
            }
            streams.add(new ElementaryStream(pid, streamType));
        }
        return streams;
    }
}
