package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Finds the NAL units of an Annex B byte stream (ITU-T H.264 / H.265 Annex B): the bytes between
 * {@code 00 00 01} start codes, without the zero bytes that precede a start code (the leading zero
 * of a 4-byte start code, trailing_zero_8bits). Bytes before the first start code are ignored.
 */
final class AnnexB {
    private AnnexB() {}

    /**
     * The NAL units of the readable bytes of {@code stream}.
     *
     * @param stream read with absolute getters; not retained, not released, indices unchanged
     * @return pairs (absolute offset, length) in stream order, as {@code [offset0, length0, offset1, ...]};
     *     empty NAL units are left out
     */
    static int[] nalUnits(ByteBuf stream) {
        int[] units = new int[16];
        int count = 0;
        int end = stream.writerIndex();
        int nalStart = -1;
        int zeros = 0;
        for (int i = stream.readerIndex(); i < end; i++) {
            int b = stream.getByte(i);
            if (b == 0) {
                zeros++;
                continue;
            }
            if (b == 1 && zeros >= 2) {
                if (nalStart >= 0 && i - zeros > nalStart) {
                    units = add(units, count, nalStart, i - zeros - nalStart);
                    count += 2;
                }
                nalStart = i + 1;
            }
            zeros = 0;
        }
        if (nalStart >= 0 && end - zeros > nalStart) {
            units = add(units, count, nalStart, end - zeros - nalStart);
            count += 2;
        }
        return Arrays.copyOf(units, count);
    }

    private static int[] add(int[] units, int count, int offset, int length) {
        int[] grown = count + 2 > units.length ? Arrays.copyOf(units, units.length * 2) : units;
        grown[count] = offset;
        grown[count + 1] = length;
        return grown;
    }
}
