package io.streamrepeater.amf0;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes AMF0 values (and AMF3 values behind the AVM+ marker 0x11) from a {@link ByteBuf}.
 *
 * <p>References (0x07) resolve to the complex value (object, ECMA array, strict array, typed object)
 * with that index among those begun earlier in the same call; the returned value is shared, not
 * copied. Each AVM+ marker starts fresh AMF3 reference tables.
 *
 * <p>Limits: nesting depth {@value Amf0#MAX_NESTING_DEPTH}; every length and count is checked
 * against the readable bytes before anything is allocated; references may expand to at most
 * {@value Amf0#MAX_EXPANDED_VALUES} values. Malformed or truncated input throws
 * {@link Amf0Exception} and leaves the reader index where the call found it.
 */
public final class Amf0Reader {
    private static final int INITIAL_CAPACITY_LIMIT = 1024;

    private final AmfInput input;
    private final ReferenceTable references;

    private Amf0Reader(ByteBuf in) {
        this.input = new AmfInput(Objects.requireNonNull(in, "in"));
        this.references = new ReferenceTable(input, "reference");
    }

    /**
     * Reads one value and advances the reader index past it.
     *
     * @param in the bytes to decode; borrowed: the caller keeps ownership and releases it
     * @return the value, mapped as described in the package documentation
     * @throws Amf0Exception if the input is malformed or ends inside the value
     */
    public static Object read(ByteBuf in) {
        Amf0Reader reader = new Amf0Reader(in);
        try {
            return reader.readValue();
        } catch (Amf0Exception e) {
            reader.input.rewind();
            throw e;
        }
    }

    /**
     * Reads values until the buffer has no readable bytes left, e.g. the body of a command message.
     * References may point to complex values of earlier values read by the same call.
     *
     * @param in the bytes to decode; borrowed: the caller keeps ownership and releases it
     * @return the values in order (an empty list for an empty buffer)
     * @throws Amf0Exception if the input is malformed or ends inside a value
     */
    public static List<Object> readAll(ByteBuf in) {
        Amf0Reader reader = new Amf0Reader(in);
        List<Object> values = new ArrayList<>();
        try {
            while (reader.input.isReadable()) {
                values.add(reader.readValue());
            }
            return values;
        } catch (Amf0Exception e) {
            reader.input.rewind();
            throw e;
        }
    }

    private Object readValue() {
        int markerOffset = input.offset();
        input.countValues(1);
        int marker = input.readMarker();
        switch (marker) {
            case Amf0.NUMBER_MARKER:
                return input.readDouble("number");
            case Amf0.BOOLEAN_MARKER:
                return input.readUnsignedByte("boolean") != 0;
            case Amf0.STRING_MARKER:
                return input.readUtf8(input.readUnsignedShort("string length"), "string");
            case Amf0.OBJECT_MARKER:
                return readObject();
            case Amf0.NULL_MARKER:
                return null;
            case Amf0.UNDEFINED_MARKER:
                return Amf0.UNDEFINED;
            case Amf0.REFERENCE_MARKER:
                return references.resolve(input.readUnsignedShort("reference index"), markerOffset);
            case Amf0.ECMA_ARRAY_MARKER:
                return readEcmaArray();
            case Amf0.STRICT_ARRAY_MARKER:
                return readStrictArray();
            case Amf0.DATE_MARKER:
                return new Amf0Date(input.readDouble("date"), input.readShort("date time zone"));
            case Amf0.LONG_STRING_MARKER:
                return input.readUtf8(input.readUnsignedInt("long string length"), "long string");
            case Amf0.UNSUPPORTED_MARKER:
                return Amf0.UNSUPPORTED;
            case Amf0.XML_DOCUMENT_MARKER:
                return new Amf0XmlDocument(
                        input.readUtf8(input.readUnsignedInt("XML document length"), "XML document"));
            case Amf0.TYPED_OBJECT_MARKER:
                return readTypedObject();
            case Amf0.AVMPLUS_OBJECT_MARKER:
                return readAmf3Value();
            case Amf0.MOVIECLIP_MARKER:
                throw input.errorAt(markerOffset, "movieclip marker 0x04 is reserved and not supported");
            case Amf0.RECORDSET_MARKER:
                throw input.errorAt(markerOffset, "recordset marker 0x0e is reserved and not supported");
            case Amf0.OBJECT_END_MARKER:
                throw input.errorAt(markerOffset, "object-end marker 0x09 outside an object");
            default:
                throw input.errorAt(markerOffset, "unknown type marker " + String.format("0x%02x", marker));
        }
    }

    private Amf0Object readObject() {
        int slot = references.begin();
        Amf0Object object = new Amf0Object();
        readProperties(object);
        references.complete(slot, object);
        return object;
    }

    private Amf0EcmaArray readEcmaArray() {
        // The count is a hint that real encoders get wrong; the object-end marker decides.
        input.readUnsignedInt("ECMA array count");
        int slot = references.begin();
        Amf0EcmaArray array = new Amf0EcmaArray();
        readProperties(array);
        references.complete(slot, array);
        return array;
    }

    private List<Object> readStrictArray() {
        long count = input.readUnsignedInt("strict array count");
        input.requireCount(count, "strict array");
        int slot = references.begin();
        input.enterNested();
        List<Object> values = new ArrayList<>((int) Math.min(count, INITIAL_CAPACITY_LIMIT));
        for (long i = 0; i < count; i++) {
            values.add(readValue());
        }
        input.leaveNested();
        references.complete(slot, values);
        return values;
    }

    private Amf0TypedObject readTypedObject() {
        String className = input.readUtf8(input.readUnsignedShort("class name length"), "class name");
        int slot = references.begin();
        Amf0Object properties = new Amf0Object();
        readProperties(properties);
        Amf0TypedObject typed = new Amf0TypedObject(className, properties);
        references.complete(slot, typed);
        return typed;
    }

    /** Reads name/value pairs up to and including the end marker (empty name, then 0x09). */
    private void readProperties(Map<String, Object> target) {
        input.enterNested();
        while (true) {
            String name = input.readUtf8(input.readUnsignedShort("property name length"), "property name");
            if (name.isEmpty() && input.peekUnsignedByte("object-end marker") == Amf0.OBJECT_END_MARKER) {
                input.skipBytes(1);
                break;
            }
            target.put(name, readValue());
        }
        input.leaveNested();
    }

    private Object readAmf3Value() {
        String previous = input.switchDialect("AMF3");
        Object value = new Amf3Reader(input).readValue();
        input.switchDialect(previous);
        return value;
    }
}
