package io.streamrepeater.media.ts;

/** Reads the program association section (table id 0, ISO/IEC 13818-1 §2.4.4.3). */
final class ProgramAssociationTable {
    static final int PID = 0;
    private static final int TABLE_ID = 0x00;
    private static final int HEADER_BYTES = 8;
    private static final int CRC_BYTES = 4;

    private ProgramAssociationTable() {}

    /**
     * @param section a complete section with a checked CRC
     * @return the PID of the first program's map table, or -1 when the section is not a PAT or lists
     *     no program (program number 0 points at the network information table, not a program)
     */
    static int firstProgramMapPid(byte[] section) {
        if ((section[0] & 0xFF) != TABLE_ID) {
            return -1;
        }
        int end = section.length - CRC_BYTES;
        for (int at = HEADER_BYTES; at + 4 <= end; at += 4) {
            int programNumber = (section[at] & 0xFF) << 8 | section[at + 1] & 0xFF;
            if (programNumber != 0) {
                return (section[at + 2] & 0x1F) << 8 | section[at + 3] & 0xFF;
            }
        }
        return -1;
    }
}
