package io.streamrepeater.media;

import java.util.Arrays;

/**
 * Reads a bit string most significant bit first, with the Exp-Golomb codes of H.264. Running past
 * the end throws an {@link IllegalArgumentException} naming {@code what} is being read.
 */
final class BitReader {
    private final byte[] data;
    private final String what;
    private long bitPosition;

    BitReader(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    /**
     * Turns a NAL unit payload into its raw byte sequence: drops the emulation prevention byte of
     * every {@code 00 00 03} sequence.
     */
    static byte[] unescapeRbsp(byte[] nal, int from, int to) {
        byte[] out = new byte[to - from];
        int length = 0;
        int zeros = 0;
        for (int i = from; i < to; i++) {
            int b = nal[i] & 0xFF;
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[length++] = (byte) b;
        }
        return Arrays.copyOf(out, length);
    }

    boolean flag() {
        return bits(1) == 1;
    }

    /** Reads up to 32 bits as an unsigned value. */
    long bits(int count) {
        if (bitPosition + count > (long) data.length * 8) {
            throw new IllegalArgumentException(what + " is truncated: needs " + count + " more bit(s) at bit "
                    + bitPosition + " of " + (long) data.length * 8);
        }
        long value = 0;
        for (int i = 0; i < count; i++) {
            int bit = (data[(int) (bitPosition >> 3)] >> (7 - (bitPosition & 7))) & 1;
            value = value << 1 | bit;
            bitPosition++;
        }
        return value;
    }

    int bitsAsInt(int count) {
        return (int) bits(count);
    }

    /** Unsigned Exp-Golomb code ue(v). */
    int unsignedExpGolomb() {
        int leadingZeros = 0;
        while (bits(1) == 0) {
            leadingZeros++;
            if (leadingZeros > 31) {
                throw new IllegalArgumentException(
                        what + " has an Exp-Golomb code longer than 32 bits at bit " + bitPosition);
            }
        }
        long value = (1L << leadingZeros) - 1 + bits(leadingZeros);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " has an Exp-Golomb value out of range: " + value);
        }
        return (int) value;
    }

    /** Signed Exp-Golomb code se(v). */
    int signedExpGolomb() {
        int code = unsignedExpGolomb();
        return (code & 1) == 1 ? (code + 1) / 2 : -(code / 2);
    }
}
