package io.streamrepeater.media;

import java.util.ArrayList;
import java.util.List;

/** Splits AV1 data into its OBUs (AV1 bitstream specification §5.3): the low-overhead format, and config OBUs. */
public final class Av1Obus {
    private Av1Obus() {}

    /**
     * One OBU of {@code data}: its type, and where it starts, where its payload starts and where it ends.
     *
     * @param type obu_type
     */
    public record Obu(int type, int start, int payloadStart, int end) {}

    /**
     * The OBUs of {@code data[from..]}; an OBU without a size field runs to the end.
     *
     * @param what what the OBUs are, for the errors (e.g. "AV1 config OBU")
     * @throws IllegalArgumentException when a size field is truncated or a size runs past the end
     */
    public static List<Obu> split(byte[] data, int from, String what) {
        List<Obu> obus = new ArrayList<>();
        int at = from;
        while (at < data.length) {
            int header = data[at] & 0xFF;
            int payloadAt = at + 1 + ((header & 0x04) != 0 ? 1 : 0); // obu_extension_flag: one more byte
            long size;
            if ((header & 0x02) != 0) { // obu_has_size_field: leb128
                size = 0;
                for (int i = 0; ; i++) {
                    if (payloadAt >= data.length || i == 8) {
                        throw new IllegalArgumentException(what + " size field is truncated at byte " + at);
                    }
                    int b = data[payloadAt++] & 0xFF;
                    size |= (long) (b & 0x7F) << (7 * i);
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
            } else {
                size = data.length - payloadAt;
            }
            if (size > data.length - payloadAt) {
                throw new IllegalArgumentException(what + " of " + size + " bytes at byte " + at + ", only "
                        + (data.length - payloadAt) + " left");
            }
            int end = payloadAt + (int) size;
            obus.add(new Obu(header >> 3 & 0x0F, at, payloadAt, end));
            at = end;
        }
        return obus;
    }
}
