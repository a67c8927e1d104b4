package io.streamrepeater.amf0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamrepeater.testkit.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated values survive write then read; generated and mutated golden bytes either decode (and
 * then survive write then read) or throw {@link Amf0Exception}, never anything else (DESIGN.md §6.3).
 */
class Amf0RoundTripPropertyTest {

    @Property(tries = 1000)
    void writtenValuesReadBackEqual(@ForAll("valueTrees") Object value) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            Amf0Writer.write(buffer, value);
            Object read = Amf0Reader.read(buffer);
            assertThat(Amf0Rendering.render(read)).isEqualTo(Amf0Rendering.render(value));
            assertThat(buffer.isReadable()).isFalse();
        } finally {
            buffer.release();
        }
    }

    @Property(tries = 3000)
    void arbitraryBytesDecodeAndReencodeOrThrowAmf0Exception(@ForAll("fuzzInputs") byte[] bytes) {
        // A fuzzer that only ever hits the first error check proves little: both outcomes must be common.
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("decoded").percentage(percent -> percent >= 3);
            coverage.check("refused").percentage(percent -> percent >= 30);
        });
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            List<Object> values;
            try {
                values = Amf0Reader.readAll(in);
            } catch (Amf0Exception expected) {
                assertThat(in.readerIndex()).isZero();
                Statistics.label("outcome").collect("refused");
                return;
            }
            Statistics.label("outcome").collect(bytes.length == 0 ? "empty" : "decoded");
            assertThat(in.isReadable()).isFalse();
            assertReencodes(values);
        } finally {
            in.release();
        }
    }

    /**
     * Containers nested up to {@value #DEEPEST} deep (AMF0 objects, ECMA arrays, strict arrays and typed objects,
     * then after an AVM+ marker AMF3 arrays and objects), sometimes with one byte changed: the reader stops at
     * {@value Amf0#MAX_NESTING_DEPTH} levels with an {@link Amf0Exception} instead of recursing until the stack
     * overflows, and what it accepts re-encodes.
     */
    @Property(tries = 1000)
    void deeplyNestedInputIsRefusedBeyondTheDepthLimitWithoutOverflowingTheStack(
            @ForAll("nestingDepths") int depth, @ForAll long layoutSeed, @ForAll boolean mutated) {
        Random random = new Random(layoutSeed);
        byte[] bytes = nestedContainers(depth, random);
        if (mutated) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            List<Object> values;
            try {
                values = Amf0Reader.readAll(in);
            } catch (Amf0Exception refused) {
                if (!mutated) {
                    assertThat(depth).as("refused: %s", refused.getMessage()).isGreaterThan(Amf0.MAX_NESTING_DEPTH);
                    assertThat(refused).hasMessageContaining("nesting deeper than " + Amf0.MAX_NESTING_DEPTH);
                }
                Statistics.label("outcome").collect("refused");
                return;
            }
            if (!mutated) {
                assertThat(depth).isLessThanOrEqualTo(Amf0.MAX_NESTING_DEPTH);
            }
            Statistics.label("outcome").collect("decoded");
            assertReencodes(values);
        } finally {
            in.release();
        }
    }

    private static final int DEEPEST = 5000;

    @Provide
    Arbitrary<Integer> nestingDepths() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 80)),
                Tuple.of(2, Arbitraries.integers().between(Amf0.MAX_NESTING_DEPTH - 2, Amf0.MAX_NESTING_DEPTH + 2)),
                Tuple.of(1, Arbitraries.integers().between(80, DEEPEST)));
    }

    /** {@code depth} containers one inside the other around a number; the kinds and the AMF3 switch at random. */
    private static byte[] nestedContainers(int depth, Random random) {
        java.io.ByteArrayOutputStream open = new java.io.ByteArrayOutputStream();
        List<byte[]> closers = new ArrayList<>();
        boolean amf3 = false;
        for (int level = 0; level < depth; level++) {
            if (!amf3 && random.nextInt(8) == 0) {
                open.write(Amf0.AVMPLUS_OBJECT_MARKER);
                amf3 = true;
            }
            int kind = random.nextInt(amf3 ? 2 : 4);
            byte[][] container = amf3 ? AMF3_CONTAINERS[kind] : AMF0_CONTAINERS[kind];
            open.writeBytes(container[0]);
            closers.add(container[1]);
        }
        open.writeBytes(amf3 ? Hex.bytes("04 2a") : Hex.bytes("00 40 45 00 00 00 00 00 00"));
        for (int level = closers.size() - 1; level >= 0; level--) {
            open.writeBytes(closers.get(level));
        }
        return open.toByteArray();
    }

    /** Opening bytes up to the one child, then the bytes after it. */
    private static final byte[][][] AMF0_CONTAINERS = {
        {Hex.bytes("03 00 01 \"a\""), Hex.bytes("00 00 09")}, // object {a: ...}
        {Hex.bytes("08 00 00 00 01 00 01 \"a\""), Hex.bytes("00 00 09")}, // ECMA array [a: ...]
        {Hex.bytes("0a 00 00 00 01"), new byte[0]}, // strict array [...]
        {Hex.bytes("10 00 01 \"T\" 00 01 \"a\""), Hex.bytes("00 00 09")}, // typed object T {a: ...}
    };

    private static final byte[][][] AMF3_CONTAINERS = {
        {Hex.bytes("09 03 01"), new byte[0]}, // AMF3 array, 1 dense, no named
        {Hex.bytes("0a 0b 01 03 \"a\""), Hex.bytes("01")}, // AMF3 dynamic anonymous object {a: ...}
    };

    /** What decodes must re-encode: AMF3 integers come back as doubles, AMF3 byte arrays have no AMF0 form. */
    private static void assertReencodes(List<Object> values) {
        ByteBuf out = Unpooled.buffer();
        try {
            if (containsByteArray(values)) {
                assertThatThrownBy(() -> Amf0Writer.writeAll(out, values.toArray()))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThat(out.writerIndex()).isZero();
                return;
            }
            Amf0Writer.writeAll(out, values.toArray());
            List<Object> reread = Amf0Reader.readAll(out);
            assertThat(Amf0Rendering.render(reread)).isEqualTo(Amf0Rendering.render(asWrittenByAmf0(values)));

            // The AMF0 encoding is now a fixed point.
            ByteBuf again = Unpooled.buffer();
            try {
                Amf0Writer.writeAll(again, reread.toArray());
                assertThat(ByteBufUtil.equals(again, out.readerIndex(0))).isTrue();
            } finally {
                again.release();
            }
        } finally {
            out.release();
        }
    }

    private static boolean containsByteArray(Object value) {
        if (value instanceof byte[]) {
            return true;
        } else if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(Amf0RoundTripPropertyTest::containsByteArray);
        } else if (value instanceof List<?> list) {
            return list.stream().anyMatch(Amf0RoundTripPropertyTest::containsByteArray);
        } else if (value instanceof Amf0TypedObject typed) {
            return containsByteArray(typed.properties());
        }
        return false;
    }

    private static Object asWrittenByAmf0(Object value) {
        if (value instanceof Integer number) {
            return number.doubleValue();
        } else if (value instanceof Amf0Object object) {
            Amf0Object copy = new Amf0Object();
            object.forEach((key, entry) -> copy.put(key, asWrittenByAmf0(entry)));
            return copy;
        } else if (value instanceof Amf0EcmaArray array) {
            Amf0EcmaArray copy = new Amf0EcmaArray();
            array.forEach((key, entry) -> copy.put(key, asWrittenByAmf0(entry)));
            return copy;
        } else if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(entry -> copy.add(asWrittenByAmf0(entry)));
            return copy;
        } else if (value instanceof Amf0TypedObject typed) {
            return new Amf0TypedObject(
                    typed.className(), (Amf0Object) asWrittenByAmf0(new Amf0Object(typed.properties())));
        }
        return value;
    }

    // ---- generators ----

    @Provide
    Arbitrary<Object> valueTrees() {
        return value(4);
    }

    private Arbitrary<Object> value(int depth) {
        Arbitrary<Object> leaf = Arbitraries.frequencyOf(
                Tuple.of(4, numbers().map(Object.class::cast)),
                Tuple.of(4, strings().map(Object.class::cast)),
                Tuple.of(1, longStrings().map(Object.class::cast)),
                Tuple.of(2, Arbitraries.of(true, false).map(Object.class::cast)),
                Tuple.of(2, Arbitraries.of(Amf0.UNDEFINED, Amf0.UNSUPPORTED).map(Object.class::cast)),
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(2, dates().map(Object.class::cast)),
                Tuple.of(1, strings().map(Amf0XmlDocument::new).map(Object.class::cast)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> child = Arbitraries.lazy(() -> value(depth - 1));
        Arbitrary<Map<String, Object>> entries =
                Arbitraries.maps(strings(), child).ofMaxSize(4);
        return Arbitraries.frequencyOf(
                Tuple.of(6, leaf),
                Tuple.of(2, entries.map(Amf0Object::new).map(Object.class::cast)),
                Tuple.of(2, entries.map(Amf0EcmaArray::new).map(Object.class::cast)),
                Tuple.of(2, child.list().ofMaxSize(4).map(Object.class::cast)),
                Tuple.of(1, Combinators.combine(strings(), entries).as((name, properties) ->
                        (Object) new Amf0TypedObject(name, new Amf0Object(properties)))));
    }

    private static Arbitrary<Double> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.integers().map(Integer::doubleValue),
                Arbitraries.longs().map(Double::longBitsToDouble), // every bit pattern, NaNs and infinities included
                Arbitraries.of(-0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.NEGATIVE_INFINITY));
    }

    /** Valid Unicode only: a lone surrogate has no UTF-8 form, so it could not round-trip anywhere. */
    private static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0, 0x1F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(
                        2,
                        Arbitraries.integers()
                                .between(0x800, 0xFFFF)
                                .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
        return codePoints.list().ofMaxSize(12).map(points -> {
            StringBuilder text = new StringBuilder();
            points.forEach(text::appendCodePoint);
            return text.toString();
        });
    }

    /** Around the 65535-byte boundary between string and long string, with one- and two-byte characters. */
    private static Arbitrary<String> longStrings() {
        return Combinators.combine(
                        Arbitraries.integers().between(65_530, 65_540),
                        Arbitraries.integers().between(0, 3))
                .as((bytes, twoByteChars) -> "é".repeat(twoByteChars) + "x".repeat(bytes - 2 * twoByteChars));
    }

    private static Arbitrary<Amf0Date> dates() {
        return Combinators.combine(numbers(), Arbitraries.shorts()).as(Amf0Date::new);
    }

    @Provide
    Arbitrary<byte[]> fuzzInputs() {
        List<byte[]> seeds = new ArrayList<>();
        for (GoldenRow row : Amf0GoldenTable.rows()) {
            if (row.bytes().length < 1000) {
                seeds.add(row.bytes());
            }
        }
        for (GoldenRow row : Amf0GoldenTable.readerOnlyRows()) {
            seeds.add(row.bytes());
        }
        Arbitrary<byte[]> randomBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(48);
        // Small values (0..0x12, 0xff) hit real markers and lengths far more often than uniform bytes.
        Arbitrary<byte[]> markerHeavy = Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.bytes().between((byte) 0, (byte) 0x12)),
                        Tuple.of(1, Arbitraries.bytes()))
                .array(byte[].class)
                .ofMaxSize(48);
        Arbitrary<byte[]> mutatedGolden = Combinators.combine(
                        Arbitraries.of(seeds),
                        Arbitraries.of(seeds),
                        Arbitraries.integers()
                                .between(0, 1 << 20)
                                .list()
                                .ofMinSize(2)
                                .ofMaxSize(4),
                        Arbitraries.bytes().list().ofMinSize(4).ofMaxSize(4),
                        Arbitraries.integers().between(0, 6))
                .as(Amf0RoundTripPropertyTest::mutate);
        return Arbitraries.oneOf(randomBytes, markerHeavy, mutatedGolden, mutatedGolden);
    }

    /**
     * Applies one kind of mutation at the given positions: overwrite, truncate, insert, bit flip, delete, duplicate
     * a range, or splice (a prefix of {@code seed}, then a suffix of {@code donor}).
     */
    private static byte[] mutate(byte[] seed, byte[] donor, List<Integer> positions, List<Byte> newBytes, int kind) {
        byte[] bytes = seed.clone();
        switch (kind) {
            case 0 -> {
                for (int i = 0; i < positions.size(); i++) {
                    bytes[positions.get(i) % bytes.length] = newBytes.get(i);
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, positions.get(0) % bytes.length);
            case 3 -> {
                for (int i = 0; i < positions.size(); i++) {
                    bytes[positions.get(i) % bytes.length] ^= (byte) (1 << (newBytes.get(i) & 7));
                }
            }
            case 4 -> {
                int at = positions.get(0) % bytes.length;
                byte[] shorter = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, shorter, 0, at);
                System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                bytes = shorter;
            }
            case 5 -> {
                int from = positions.get(0) % bytes.length;
                int length = 1 + positions.get(1) % Math.min(32, bytes.length - from);
                int at = positions.get(1) % (bytes.length + 1);
                byte[] longer = new byte[bytes.length + length];
                System.arraycopy(bytes, 0, longer, 0, at);
                System.arraycopy(bytes, from, longer, at, length);
                System.arraycopy(bytes, at, longer, at + length, bytes.length - at);
                bytes = longer;
            }
            case 6 -> {
                int cut = positions.get(0) % (bytes.length + 1);
                int donorFrom = positions.get(1) % donor.length;
                bytes = Arrays.copyOf(bytes, cut + donor.length - donorFrom);
                System.arraycopy(donor, donorFrom, bytes, cut, donor.length - donorFrom);
            }
            default -> {
                int at = positions.get(0) % (bytes.length + 1);
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = newBytes.get(0);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                bytes = longer;
            }
        }
        return bytes;
    }
}
