package io.streamrepeater.media.ts;

/** The CRC-32 that ends every PSI section (polynomial 0x04C11DB7, MSB first, no final XOR). */
final class Crc32Mpeg2 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? crc << 1 ^ 0x04C11DB7 : crc << 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc32Mpeg2() {}

    /** CRC over {@code length} bytes; over a whole section including its CRC field the result is 0. */
    static int of(byte[] data, int offset, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = crc << 8 ^ TABLE[(crc >>> 24 ^ data[i]) & 0xFF];
        }
        return crc;
    }
}
