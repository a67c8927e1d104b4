package io.streamrepeater.amf0;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamrepeater.testkit.Hex;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The golden table read in both directions: bytes decode to the values, values encode to the bytes. */
class Amf0GoldenTableTest {

    static Stream<GoldenRow> rows() {
        return Amf0GoldenTable.rows().stream();
    }

    static Stream<GoldenRow> readerOnlyRows() {
        return Amf0GoldenTable.readerOnlyRows().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decodes(GoldenRow row) {
        assertDecodes(row);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readerOnlyRows")
    void decodesReaderOnlyRow(GoldenRow row) {
        assertDecodes(row);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void encodes(GoldenRow row) {
        ByteBuf out = Unpooled.buffer();
        try {
            Amf0Writer.writeAll(out, row.values().toArray());
            assertThat(Hex.format(ByteBufUtil.getBytes(out))).isEqualTo(Hex.format(row.bytes()));
        } finally {
            out.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void encodesEachValueAloneAsItsSliceOfTheRow(GoldenRow row) {
        ByteBuf out = Unpooled.buffer();
        try {
            for (Object value : row.values()) {
                Amf0Writer.write(out, value);
            }
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(row.bytes());
        } finally {
            out.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void readsOneValueAtATime(GoldenRow row) {
        ByteBuf in = Unpooled.wrappedBuffer(row.bytes());
        try {
            for (Object expected : row.values()) {
                assertThat(Amf0Rendering.render(Amf0Reader.read(in))).isEqualTo(Amf0Rendering.render(expected));
            }
            assertThat(in.isReadable()).as("bytes left after the last value").isFalse();
        } finally {
            in.release();
        }
    }

    private static void assertDecodes(GoldenRow row) {
        ByteBuf in = Unpooled.wrappedBuffer(row.bytes());
        try {
            List<Object> values = Amf0Reader.readAll(in);
            assertThat(Amf0Rendering.render(values)).isEqualTo(Amf0Rendering.render(row.values()));
            assertThat(in.isReadable()).isFalse();
            assertThat(in.refCnt()).as("the reader must not release its input").isEqualTo(1);
        } finally {
            in.release();
        }
    }
}
