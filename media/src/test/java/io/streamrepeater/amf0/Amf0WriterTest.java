package io.streamrepeater.amf0;

import static io.streamrepeater.amf0.Amf0GoldenTable.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamrepeater.testkit.Hex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the writer accepts beyond the reader's own types, and what it refuses. */
class Amf0WriterTest {

    @Test
    void writesAnyNumberAsADouble() {
        assertThat(hex(42)).isEqualTo(hex(42.0)).isEqualTo("00 40 45 00 00 00 00 00 00");
        assertThat(hex(42L)).isEqualTo(hex(42.0));
        assertThat(hex(42.0f)).isEqualTo(hex(42.0));
        assertThat(hex((short) 42)).isEqualTo(hex(42.0));
    }

    @Test
    void writesAnyStringKeyedMapAsAnObjectInItsIterationOrder() {
        Map<String, Object> sorted = new TreeMap<>(Map.of("b", true, "a", false));
        assertThat(hex(sorted))
                .isEqualTo(hex(object("a", false, "b", true)))
                .isEqualTo("03 00 01 61 01 00 00 01 62 01 01 00 00 09");
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("x", null);
        assertThat(hex(plain)).isEqualTo("03 00 01 78 05 00 00 09");
    }

    @Test
    void writesAnyListAsAStrictArray() {
        assertThat(hex(List.of("a"))).isEqualTo("0a 00 00 00 01 02 00 01 61");
    }

    @Test
    void typedObjectPropertiesMayBeAnyMap() {
        assertThat(hex(new Amf0TypedObject("T", Map.of("k", 1.0))))
                .isEqualTo(hex(new Amf0TypedObject("T", object("k", 1.0))));
    }

    @Test
    void refusesValuesWithoutAnAmf0FormAndLeavesTheBufferAsItWas() {
        assertRefused(new byte[] {1}, "AMF0: cannot write a value of type [B");
        assertRefused(object("ok", 1.0, "bad", new Object()), "AMF0: cannot write a value of type java.lang.Object");
        assertRefused(Map.of(1, "x"), "AMF0: property names must be strings, got java.lang.Integer");
        assertRefused(
                object("k".repeat(70_000), 1.0),
                "AMF0: property name is 70000 UTF-8 bytes, more than the 65535 its 16-bit length allows");
        assertRefused(
                new Amf0TypedObject("C".repeat(65_536), object()),
                "AMF0: class name is 65536 UTF-8 bytes, more than the 65535 its 16-bit length allows");
    }

    @Test
    void refusesNestingTheReaderWouldRefuse() {
        Amf0Object deepest = object();
        Amf0Object root = deepest;
        for (int i = 1; i < 64; i++) {
            root = object("a", root);
        }
        assertThat(hex(root)).startsWith("03 00 01 61 03");
        assertRefused(List.of(root), "AMF0: nesting deeper than 64 cannot be written (the reader would refuse it)");

        Amf0Object cyclic = object();
        cyclic.put("self", cyclic);
        assertRefused(cyclic, "AMF0: nesting deeper than 64 cannot be written (the reader would refuse it)");
    }

    private static void assertRefused(Object value, String message) {
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeByte(0x77);
            assertThatThrownBy(() -> Amf0Writer.writeAll(out, true, value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
            assertThat(out.writerIndex()).as("writer index restored").isEqualTo(1);
            assertThatThrownBy(() -> Amf0Writer.write(out, value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
            assertThat(out.writerIndex()).as("writer index restored").isEqualTo(1);
        } finally {
            out.release();
        }
    }

    private static String hex(Object value) {
        ByteBuf out = Unpooled.buffer();
        try {
            Amf0Writer.write(out, value);
            return Hex.format(ByteBufUtil.getBytes(out)).replace('\n', ' ');
        } finally {
            out.release();
        }
    }
}
