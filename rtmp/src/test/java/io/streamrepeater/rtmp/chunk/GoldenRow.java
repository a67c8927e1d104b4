package io.streamrepeater.rtmp.chunk;

import java.util.List;

/**
 * One row of the chunk golden table: the bytes a peer sends, the messages they decode to, and the acknowledgements
 * the decoder writes back. The same row checks encoding when {@code encodes} says our encoder produces exactly these
 * bytes from these messages (rows that capture other peers' choices, such as interleaving or an omitted extended
 * timestamp, are decode-only).
 */
record GoldenRow(String name, Wire wire, List<ExpectedMessage> messages, List<Long> acknowledgements, boolean encodes) {
    @Override
    public String toString() {
        return name;
    }
}
