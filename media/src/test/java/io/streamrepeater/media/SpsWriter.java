package io.streamrepeater.media;

import java.io.ByteArrayOutputStream;

/**
 * Writes an H.264 SPS bit by bit for cases ffmpeg does not produce by default (scaling lists,
 * pic_order_cnt_type 1, 4:2:2 cropping, extended SAR). {@link #toNalUnit()} adds the NAL header,
 * the RBSP trailing bits and the emulation prevention bytes, as an encoder would.
 */
final class SpsWriter {
    private final ByteArrayOutputStream rbsp = new ByteArrayOutputStream();
    private int current;
    private int bitCount;

    SpsWriter bits(long value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            current = current << 1 | (int) ((value >> i) & 1);
            if (++bitCount == 8) {
                rbsp.write(current);
                current = 0;
                bitCount = 0;
            }
        }
        return this;
    }

    SpsWriter flag(boolean value) {
        return bits(value ? 1 : 0, 1);
    }

    SpsWriter ue(int value) {
        long code = value + 1L;
        int length = 64 - Long.numberOfLeadingZeros(code);
        bits(0, length - 1);
        return bits(code, length);
    }

    SpsWriter se(int value) {
        return ue(value > 0 ? 2 * value - 1 : -2 * value);
    }

    /**
     * The bits with trailing bits (a 1, then 0s to the byte boundary) and nothing else: an AV1 OBU payload, whose
     * {@code uvlc()} codes are written with {@link #ue}.
     */
    byte[] withTrailingBits() {
        bits(1, 1);
        while (bitCount != 0) {
            bits(0, 1);
        }
        return rbsp.toByteArray();
    }

    /** NAL header 0x67, the RBSP with trailing bits, 0x03 inserted after every two zero bytes before 0..3. */
    byte[] toNalUnit() {
        withTrailingBits();
        ByteArrayOutputStream nal = new ByteArrayOutputStream();
        nal.write(0x67);
        int zeros = 0;
        for (byte b : rbsp.toByteArray()) {
            int value = b & 0xFF;
            if (zeros >= 2 && value <= 3) {
                nal.write(3);
                zeros = 0;
            }
            nal.write(value);
            zeros = value == 0 ? zeros + 1 : 0;
        }
        return nal.toByteArray();
    }

    /** An FLV AVC sequence header tag body carrying {@code sps} and a dummy PPS. */
    static String sequenceHeaderHex(byte[] sps, int profileIdc) {
        StringBuilder hex = new StringBuilder("17 00 000000 01");
        hex.append(String.format(" %02x 00 1e ff e1 %04x ", profileIdc, sps.length));
        for (byte b : sps) {
            hex.append(String.format("%02x", b & 0xFF));
        }
        return hex.append(" 01 0004 68ce3c80").toString();
    }
}
