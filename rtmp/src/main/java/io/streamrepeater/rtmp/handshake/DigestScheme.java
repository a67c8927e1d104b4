package io.streamrepeater.rtmp.handshake;

/**
 * Where a digest-form handshake packet hides its 32-byte digest. The four bytes at {@code offsetBase} are summed,
 * taken modulo 728 and added to {@code offsetBase + 4}; the scheme names follow the librtmp/ffmpeg numbering.
 */
enum DigestScheme {
    /** Offset derived from bytes 8..11; digest somewhere in 12..771 (what ffmpeg and Flash Player 9 send). */
    SCHEME_0(8),
    /** Offset derived from bytes 772..775; digest somewhere in 776..1535 (Flash Player 10). */
    SCHEME_1(772);

    private static final int OFFSET_MODULUS = 728;

    private final int offsetBase;

    DigestScheme(int offsetBase) {
        this.offsetBase = offsetBase;
    }

    /** Start of the 32-byte digest inside a 1536-byte packet laid out with this scheme. */
    int digestOffset(byte[] packet) {
        int sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += packet[offsetBase + i] & 0xFF;
        }
        return sum % OFFSET_MODULUS + offsetBase + 4;
    }
}
