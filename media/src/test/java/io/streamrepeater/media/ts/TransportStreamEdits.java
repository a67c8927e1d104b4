package io.streamrepeater.media.ts;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Damages and rewrites transport stream bytes the way a network or a long-running encoder would. */
final class TransportStreamEdits {
    private static final int PACKET = 188;

    private TransportStreamEdits() {}

    /** The stream without a random {@code fraction} of its packets (PAT and PMT included). */
    static byte[] dropPackets(byte[] ts, double fraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] out = new byte[ts.length];
        int length = 0;
        for (int at = 0; at + PACKET <= ts.length; at += PACKET) {
            if (random.nextDouble() >= fraction) {
                System.arraycopy(ts, at, out, length, PACKET);
                length += PACKET;
            }
        }
        return Arrays.copyOf(out, length);
    }

    /**
     * The stream with every PES PTS and DTS moved by {@code ticks} modulo 2^33 (the PCR is left alone: the
     * demuxer does not use it).
     */
    static byte[] shiftTimestamps(byte[] ts, long ticks) {
        byte[] out = ts.clone();
        for (int at = 0; at + PACKET <= out.length; at += PACKET) {
            boolean unitStart = (out[at + 1] & 0x40) != 0;
            int control = (out[at + 3] >> 4) & 0x03;
            if (!unitStart || (control & 0x01) == 0) {
                continue;
            }
            int pes = at + 4 + ((control & 0x02) != 0 ? 1 + (out[at + 4] & 0xFF) : 0);
            boolean startCode = out[pes] == 0 && out[pes + 1] == 0 && out[pes + 2] == 1;
            if (!startCode || (out[pes + 3] & 0xFF) < 0xC0) {
                continue; // a PSI section, or a stream id without the optional PES header
            }
            int flags = (out[pes + 7] & 0xFF) >> 6;
            if (flags >= 2) {
                shiftTimestamp(out, pes + 9, ticks);
            }
            if (flags == 3) {
                shiftTimestamp(out, pes + 14, ticks);
            }
        }
        return out;
    }

    static long readTimestamp(byte[] b, int at) {
        return ((long) (b[at] >> 1) & 0x07) << 30
                | ((b[at + 1] & 0xFFL) << 7 | (b[at + 2] & 0xFF) >> 1) << 15
                | (b[at + 3] & 0xFFL) << 7
                | (b[at + 4] & 0xFF) >> 1;
    }

    private static void shiftTimestamp(byte[] b, int at, long ticks) {
        long value = (readTimestamp(b, at) + ticks) & ((1L << 33) - 1);
        b[at] = (byte) ((b[at] & 0xF1) | (int) (value >> 30) << 1); // keeps the 4-bit prefix and marker bit
        b[at + 1] = (byte) (value >> 22);
        b[at + 2] = (byte) ((value >> 14) & 0xFE | 1);
        b[at + 3] = (byte) (value >> 7);
        b[at + 4] = (byte) ((value << 1) & 0xFE | 1);
    }
}
