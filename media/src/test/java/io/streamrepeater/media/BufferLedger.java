package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamrepeater.testkit.Hex;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out buffers to a test and checks at the end that every one of them was released: a
 * deterministic companion to the PARANOID leak detector, which only reports after a GC.
 */
final class BufferLedger {
    private final List<ByteBuf> issued = new ArrayList<>();

    /** A new buffer holding {@code hex}; the test owns it and must see it released. */
    ByteBuf hex(String hex) {
        return track(Hex.buffer(hex));
    }

    /** A new buffer of {@code size} bytes starting with {@code headerHex}, the rest zero. */
    ByteBuf sized(String headerHex, int size) {
        byte[] header = Hex.bytes(headerHex);
        ByteBuf buf = Unpooled.buffer(size);
        buf.writeBytes(header).writeZero(size - header.length);
        return track(buf);
    }

    private ByteBuf track(ByteBuf buf) {
        issued.add(buf);
        return buf;
    }

    void assertAllReleased() {
        for (int i = 0; i < issued.size(); i++) {
            assertThat(issued.get(i).refCnt())
                    .as("reference count of buffer #%d", i)
                    .isZero();
        }
    }
}
