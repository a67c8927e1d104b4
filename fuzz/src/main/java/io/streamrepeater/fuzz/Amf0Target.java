package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.streamrepeater.amf0.Amf0Exception;
import io.streamrepeater.amf0.Amf0Reader;
import io.streamrepeater.amf0.Amf0TypedObject;
import io.streamrepeater.amf0.Amf0Writer;
import io.streamrepeater.testkit.Mutations;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The AMF0 reader (AMF3 behind the AVM+ marker included), fed mutated command and metadata bodies of the captured
 * sessions, deeply nested containers and random bytes. Documented outcomes: values, or an {@link Amf0Exception} with
 * the reader index back where it was. Oracle: decoded values re-encode as AMF0 (or the writer refuses the one kind
 * of value AMF0 cannot express: AMF3 byte arrays, over-long AMF3 names), and that encoding is a fixed point.
 */
final class Amf0Target implements FuzzTarget {
    private static final byte[][] OPENERS = {
        {0x03, 0x00, 0x01, 'a'}, // object, key "a"
        {0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 'a'}, // ECMA array, key "a"
        {0x0A, 0x00, 0x00, 0x00, 0x01}, // strict array of one
        {0x11, 0x09, 0x03, 0x01}, // AVM+, AMF3 array of one
    };

    private final List<byte[]> bodies;

    Amf0Target(SeedCorpus seeds) {
        this.bodies = seeds.amf0Bodies;
    }

    @Override
    public String name() {
        return "amf0";
    }

    @Override
    public byte[] nextInput(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Mutations.randomBytes(random, random.nextInt(64));
            case 1 -> Mutations.apply(deepNesting(random), deepNesting(random), random, random.nextInt(2));
            default -> {
                byte[] seed = bodies.get(random.nextInt(bodies.size()));
                byte[] donor = bodies.get(random.nextInt(bodies.size()));
                yield Mutations.apply(seed, donor, random, 1 + random.nextInt(4));
            }
        };
    }

    /** Up to 300 containers one inside the other (AMF3 only at the innermost levels), around a number. */
    private static byte[] deepNesting(Random random) {
        int depth = 1 + random.nextInt(300);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int level = 0; level < depth; level++) {
            out.writeBytes(OPENERS[level == depth - 1 ? 3 : random.nextInt(3)]);
        }
        out.writeBytes(new byte[] {0x04, 0x2A}); // AMF3 integer 42
        return out.toByteArray();
    }

    @Override
    public Outcome run(byte[] input, long splitSeed, ByteBufAllocator alloc) {
        ByteBuf in = alloc.buffer(input.length).writeBytes(input);
        List<Object> values;
        try {
            values = Amf0Reader.readAll(in);
        } catch (Amf0Exception refused) {
            if (in.readerIndex() != 0) {
                throw new OracleViolation(
                        "reader index left at " + in.readerIndex() + " after " + refused.getMessage());
            }
            return Outcome.REFUSED;
        } finally {
            in.release();
        }
        ByteBuf first = alloc.buffer();
        ByteBuf second = alloc.buffer();
        try {
            try {
                Amf0Writer.writeAll(first, values.toArray());
            } catch (IllegalArgumentException noAmf0Form) {
                if (values.stream().anyMatch(Amf0Target::hasNoAmf0Form)) {
                    return Outcome.ACCEPTED;
                }
                throw new OracleViolation("decoded values do not re-encode: " + noAmf0Form.getMessage());
            }
            List<Object> reread = Amf0Reader.readAll(first.duplicate());
            Amf0Writer.writeAll(second, reread.toArray());
            if (!ByteBufUtil.equals(first, second)) {
                throw new OracleViolation("AMF0 re-encoding is not a fixed point: " + ByteBufUtil.hexDump(first)
                        + " then " + ByteBufUtil.hexDump(second));
            }
            return Outcome.ACCEPTED;
        } finally {
            first.release();
            second.release();
        }
    }

    /** AMF3 byte arrays, and AMF3 names longer than an AMF0 string length can say. */
    private static boolean hasNoAmf0Form(Object value) {
        if (value instanceof byte[]) {
            return true;
        } else if (value instanceof Amf0TypedObject typed) {
            return tooLong(typed.className()) || hasNoAmf0Form(typed.properties());
        } else if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> tooLong((String) e.getKey()) || hasNoAmf0Form(e.getValue()));
        } else if (value instanceof List<?> list) {
            return list.stream().anyMatch(Amf0Target::hasNoAmf0Form);
        }
        return false;
    }

    private static boolean tooLong(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length > 0xFFFF;
    }
}
