package io.streamrepeater.amf0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamrepeater.testkit.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed and truncated input ends in an {@link Amf0Exception} that says what and where. */
class Amf0MalformedInputTest {

    static Stream<GoldenRow> allRows() {
        return Stream.concat(Amf0GoldenTable.rows().stream(), Amf0GoldenTable.readerOnlyRows().stream())
                .filter(row -> row.bytes().length < 1000); // the long strings would only repeat one case 70000 times
    }

    /**
     * Every prefix of a row either ends exactly after some of its values (and decodes to those) or
     * cuts a value and throws {@link Amf0Exception}, leaving the reader index where it was.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allRows")
    void everyTruncationThrowsOrEndsOnAValueBoundary(GoldenRow row) {
        int prefixesThatDecode = 0;
        for (int length = 0; length < row.bytes().length; length++) {
            ByteBuf in = Unpooled.wrappedBuffer(row.bytes(), 0, length);
            try {
                List<Object> values;
                try {
                    values = Amf0Reader.readAll(in);
                } catch (Amf0Exception expected) {
                    assertThat(in.readerIndex())
                            .as("reader index after a failed read")
                            .isZero();
                    continue;
                }
                assertThat(Amf0Rendering.render(values))
                        .as("prefix of %d bytes", length)
                        .isEqualTo(Amf0Rendering.render(row.values().subList(0, values.size())));
                prefixesThatDecode++;
            } finally {
                in.release();
            }
        }
        assertThat(prefixesThatDecode)
                .as("prefixes that end on a value boundary")
                .isEqualTo(row.values().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allRows")
    void everyTruncationOfTheFirstValueThrowsForRead(GoldenRow row) {
        int firstValueLength = firstValueLength(row.bytes());
        for (int length = 0; length < firstValueLength; length++) {
            ByteBuf in = Unpooled.wrappedBuffer(row.bytes(), 0, length);
            try {
                assertThatThrownBy(() -> Amf0Reader.read(in))
                        .as("prefix of %d bytes", length)
                        .isInstanceOf(Amf0Exception.class)
                        .hasMessageStartingWith("AMF")
                        .hasMessageContaining(" at offset ");
            } finally {
                in.release();
            }
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty input", "", "AMF0: input ended where a type marker was expected at offset 0"),
                Arguments.of("unknown marker", "12", "AMF0: unknown type marker 0x12 at offset 0"),
                Arguments.of(
                        "unknown marker inside an object",
                        "03 00 01 \"a\" ff",
                        "AMF0: unknown type marker 0xff at offset 4"),
                Arguments.of(
                        "movieclip", "04", "AMF0: movieclip marker 0x04 is reserved and not supported at offset 0"),
                Arguments.of(
                        "recordset", "0e", "AMF0: recordset marker 0x0e is reserved and not supported at offset 0"),
                Arguments.of(
                        "object end outside an object",
                        "09",
                        "AMF0: object-end marker 0x09 outside an object at offset 0"),
                Arguments.of(
                        "string longer than the input",
                        "02 ff ff 61 62 63",
                        "AMF0: string length 65535 exceeds remaining 3 bytes at offset 3"),
                Arguments.of(
                        "absurd long string length",
                        "0c ff ff ff ff 61",
                        "AMF0: long string length 4294967295 exceeds remaining 1 bytes at offset 5"),
                Arguments.of(
                        "absurd XML length",
                        "0f 7f ff ff ff",
                        "AMF0: XML document length 2147483647 exceeds remaining 0 bytes at offset 5"),
                Arguments.of(
                        "absurd strict array count",
                        "0a ff ff ff ff 05",
                        "AMF0: strict array count 4294967295 exceeds remaining 1 bytes at offset 5"),
                Arguments.of(
                        "absurd property name length",
                        "03 ff ff",
                        "AMF0: property name length 65535 exceeds remaining 0 bytes at offset 3"),
                Arguments.of(
                        "truncated number",
                        "00 3f f0 00",
                        "AMF0: truncated number: needs 8 bytes, 3 remain at offset 1"),
                Arguments.of(
                        "object without its end",
                        "03 00 01 \"a\" 05",
                        "AMF0: truncated property name length: needs 2 bytes, 0 remain at offset 5"),
                Arguments.of(
                        "empty name then end of input",
                        "03 00 00",
                        "AMF0: truncated object-end marker: needs 1 bytes, 0 remain at offset 3"),
                Arguments.of(
                        "reference with nothing before it",
                        "07 00 00",
                        "AMF0: reference 0 points past the 0 complex values read so far at offset 0"),
                Arguments.of(
                        "reference past the table",
                        "0a 00 00 00 01 07 00 05",
                        "AMF0: reference 5 points past the 1 complex values read so far at offset 5"),
                Arguments.of(
                        "reference to the enclosing object (a cycle)",
                        "03 00 01 \"a\" 07 00 00 00 00 09",
                        "AMF0: reference 0 points to a value that encloses it; cyclic values are not supported at offset 4"),
                Arguments.of(
                        "AMF3 externalizable object",
                        "11 0a 07 07 \"Foo\"",
                        "AMF3: externalizable AMF3 objects are not supported (class \"Foo\") at offset 1"),
                Arguments.of(
                        "AMF3 absurd string length",
                        "11 06 ff ff ff ff",
                        "AMF3: string length 268435455 exceeds remaining 0 bytes at offset 6"),
                Arguments.of(
                        "AMF3 string reference past the table",
                        "11 06 02",
                        "AMF3: string reference 1 points past the 0 strings read so far at offset 2"),
                Arguments.of(
                        "AMF3 absurd dense array count",
                        "11 09 ff ff ff ff 01",
                        "AMF3: array dense count 268435455 exceeds remaining 0 bytes at offset 7"),
                Arguments.of(
                        "AMF3 absurd sealed member count",
                        "11 0a ff ff ff f3 01",
                        "AMF3: sealed member count 33554431 exceeds remaining 0 bytes at offset 7"),
                Arguments.of(
                        "AMF3 absurd byte array length",
                        "11 0c ff ff ff ff",
                        "AMF3: byte array length 268435455 exceeds remaining 0 bytes at offset 6"),
                Arguments.of(
                        "AMF3 traits reference past the table",
                        "11 0a 01",
                        "AMF3: traits reference 0 points past the 0 traits read so far at offset 1"),
                Arguments.of(
                        "AMF3 object referring to itself",
                        "11 0a 0b 01 09 \"self\" 0a 00 01",
                        "AMF3: object reference 0 points to a value that encloses it; cyclic values are not supported at offset 9"),
                Arguments.of("AMF3 vector", "11 0d", "AMF3: vector marker 0x0d is not supported at offset 1"),
                Arguments.of("AMF3 dictionary", "11 11", "AMF3: dictionary marker 0x11 is not supported at offset 1"),
                Arguments.of("AMF3 unknown marker", "11 12", "AMF3: unknown type marker 0x12 at offset 1"),
                Arguments.of(
                        "AMF3 truncated U29",
                        "11 04 ff ff",
                        "AMF3: truncated integer: needs 1 bytes, 0 remain at offset 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputNamesTheProblemAndOffset(String name, String annotatedHex, String message) {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes(annotatedHex));
        try {
            assertThatThrownBy(() -> Amf0Reader.read(in))
                    .isInstanceOf(Amf0Exception.class)
                    .hasMessage(message);
            assertThat(in.readerIndex()).isZero();
            if (in.isReadable()) {
                assertThatThrownBy(() -> Amf0Reader.readAll(in))
                        .isInstanceOf(Amf0Exception.class)
                        .hasMessage(message);
                assertThat(in.readerIndex()).isZero();
            }
        } finally {
            in.release();
        }
    }

    @Test
    void offsetsCountFromWhereTheReadStarted() {
        ByteBuf in = Unpooled.wrappedBuffer(Hex.bytes("01 01   02 00 05 \"ab\""));
        try {
            assertThat(Amf0Reader.read(in)).isEqualTo(true);
            assertThatThrownBy(() -> Amf0Reader.read(in))
                    .hasMessage("AMF0: string length 5 exceeds remaining 2 bytes at offset 3");
            assertThat(in.readerIndex())
                    .as("left where the failed read started")
                    .isEqualTo(2);
        } finally {
            in.release();
        }
    }

    @Test
    void sixtyFourNestedObjectsAreReadAndSixtyFiveAreRefused() {
        assertThat(Amf0Rendering.render(readAll(nestedObjects(64)))).startsWith("List[Object{\"a\"=Object{");
        assertThatThrownBy(() -> readAll(nestedObjects(65)))
                .isInstanceOf(Amf0Exception.class)
                .hasMessage("AMF0: nesting deeper than 64 at offset " + (64 * 4 + 1));
    }

    @Test
    void nestingDepthCountsStrictArraysAndAmf3Containers() {
        byte[] strictArrays = repeat(Hex.bytes("0a 00 00 00 01"), 65, Hex.bytes("05"));
        assertThatThrownBy(() -> readAll(strictArrays)).hasMessageStartingWith("AMF0: nesting deeper than 64");

        // 63 AMF0 objects, then an AMF3 array holding an AMF3 array: depth 65
        byte[] mixed = repeat(Hex.bytes("03 00 01 \"a\""), 63, Hex.bytes("11 09 03 01 09 01 01"));
        assertThatThrownBy(() -> readAll(mixed)).hasMessageStartingWith("AMF3: nesting deeper than 64");
    }

    @Test
    void chainedReferencesThatWouldExpandExponentiallyAreRefused() {
        // [ [], [r1, r1], [r2, r2], ... ]: 40 levels is 440 bytes describing 2^40 values.
        List<Byte> bytes = new ArrayList<>();
        addAll(bytes, "0a 00 00 00 28"); // strict array of 40, reference index 0
        addAll(bytes, "0a 00 00 00 00"); // element 0: [], index 1
        for (int level = 1; level < 40; level++) {
            int previous = level; // element level-1 has index level
            addAll(
                    bytes,
                    String.format(
                            "0a 00 00 00 02 07 %02x %02x 07 %02x %02x",
                            previous >> 8, previous & 0xFF, previous >> 8, previous & 0xFF));
        }
        byte[] bomb = new byte[bytes.size()];
        for (int i = 0; i < bomb.length; i++) {
            bomb[i] = bytes.get(i);
        }
        assertThatThrownBy(() -> readAll(bomb))
                .isInstanceOf(Amf0Exception.class)
                .hasMessageStartingWith("AMF0: references expand to more than 1000000 values at offset ");
    }

    @Test
    void sharedReferencesResolveToTheSameInstance() {
        GoldenRow row = Amf0GoldenTable.readerOnlyRows().get(0);
        Amf0Object outer = (Amf0Object) readAll(row.bytes()).get(0);
        assertThat(outer.get("b")).isSameAs(outer.get("a"));
    }

    private static List<Object> readAll(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            return Amf0Reader.readAll(in);
        } finally {
            in.release();
        }
    }

    private static byte[] nestedObjects(int depth) {
        return repeat(
                Hex.bytes("03 00 01 \"a\""),
                depth - 1,
                concat(Hex.bytes("03 00 00 09"), repeatBytes(Hex.bytes("00 00 09"), depth - 1)));
    }

    /** {@code head} repeated {@code times}, then {@code tail}. */
    private static byte[] repeat(byte[] head, int times, byte[] tail) {
        return concat(repeatBytes(head, times), tail);
    }

    private static byte[] repeatBytes(byte[] bytes, int times) {
        byte[] all = new byte[bytes.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(bytes, 0, all, i * bytes.length, bytes.length);
        }
        return all;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static void addAll(List<Byte> bytes, String annotatedHex) {
        for (byte b : Hex.bytes(annotatedHex)) {
            bytes.add(b);
        }
    }

    private static int firstValueLength(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            Amf0Reader.read(in);
            return in.readerIndex();
        } finally {
            in.release();
        }
    }
}
