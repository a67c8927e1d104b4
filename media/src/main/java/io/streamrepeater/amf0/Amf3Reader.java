package io.streamrepeater.amf0;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one AMF3 value, the form that follows the AMF0 AVM+ marker (0x11), into the same Java
 * types {@link Amf0Reader} returns: integer becomes {@code Integer}, double {@code Double}, XML and
 * XMLDocument {@link Amf0XmlDocument}, date {@link Amf0Date} with time zone 0, an array without
 * named entries a {@code List}, an array with named entries an {@link Amf0EcmaArray} (dense entries
 * keyed "0", "1", ... after the named ones), an anonymous object {@link Amf0Object}, a named one
 * {@link Amf0TypedObject}, a byte array {@code byte[]}.
 *
 * <p>One instance holds the three AMF3 reference tables (strings, objects, traits) of one AVM+
 * value. Vectors, dictionaries and externalizable objects throw {@link Amf0Exception}.
 */
final class Amf3Reader {
    private static final int UNDEFINED_MARKER = 0x00;
    private static final int NULL_MARKER = 0x01;
    private static final int FALSE_MARKER = 0x02;
    private static final int TRUE_MARKER = 0x03;
    private static final int INTEGER_MARKER = 0x04;
    private static final int DOUBLE_MARKER = 0x05;
    private static final int STRING_MARKER = 0x06;
    private static final int XML_DOCUMENT_MARKER = 0x07;
    private static final int DATE_MARKER = 0x08;
    private static final int ARRAY_MARKER = 0x09;
    private static final int OBJECT_MARKER = 0x0A;
    private static final int XML_MARKER = 0x0B;
    private static final int BYTE_ARRAY_MARKER = 0x0C;
    private static final int VECTOR_INT_MARKER = 0x0D;
    private static final int VECTOR_UINT_MARKER = 0x0E;
    private static final int VECTOR_DOUBLE_MARKER = 0x0F;
    private static final int VECTOR_OBJECT_MARKER = 0x10;
    private static final int DICTIONARY_MARKER = 0x11;

    private static final int INITIAL_CAPACITY_LIMIT = 1024;

    private final AmfInput input;
    private final List<String> strings = new ArrayList<>();
    private final ReferenceTable objects;
    private final List<Traits> traitsTable = new ArrayList<>();

    /** The class description an AMF3 object carries once and later objects refer to by index. */
    private record Traits(String className, List<String> sealedNames, boolean dynamic) {}

    Amf3Reader(AmfInput input) {
        this.input = input;
        this.objects = new ReferenceTable(input, "object reference");
    }

    Object readValue() {
        int markerOffset = input.offset();
        input.countValues(1);
        int marker = input.readMarker();
        switch (marker) {
            case UNDEFINED_MARKER:
                return Amf0.UNDEFINED;
            case NULL_MARKER:
                return null;
            case FALSE_MARKER:
                return Boolean.FALSE;
            case TRUE_MARKER:
                return Boolean.TRUE;
            case INTEGER_MARKER:
                return (readU29("integer") << 3) >> 3; // sign-extend the 29-bit value
            case DOUBLE_MARKER:
                return input.readDouble("double");
            case STRING_MARKER:
                return readString("string");
            case XML_DOCUMENT_MARKER:
            case XML_MARKER:
                return readXml(markerOffset);
            case DATE_MARKER:
                return readDate(markerOffset);
            case ARRAY_MARKER:
                return readArray(markerOffset);
            case OBJECT_MARKER:
                return readObject(markerOffset);
            case BYTE_ARRAY_MARKER:
                return readByteArray(markerOffset);
            case VECTOR_INT_MARKER:
            case VECTOR_UINT_MARKER:
            case VECTOR_DOUBLE_MARKER:
            case VECTOR_OBJECT_MARKER:
                throw input.errorAt(markerOffset, "vector marker " + hex(marker) + " is not supported");
            case DICTIONARY_MARKER:
                throw input.errorAt(markerOffset, "dictionary marker 0x11 is not supported");
            default:
                throw input.errorAt(markerOffset, "unknown type marker " + hex(marker));
        }
    }

    /**
     * Variable-length unsigned 29-bit integer: up to three bytes of 7 bits with a continuation bit,
     * then a fourth byte of 8 bits.
     */
    private int readU29(String what) {
        int value = 0;
        for (int i = 0; i < 3; i++) {
            int b = input.readUnsignedByte(what);
            value = (value << 7) | (b & 0x7F);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return (value << 8) | input.readUnsignedByte(what);
    }

    private String readString(String what) {
        int offset = input.offset();
        int header = readU29(what);
        if ((header & 1) == 0) {
            int index = header >>> 1;
            if (index >= strings.size()) {
                throw input.errorAt(
                        offset,
                        "string reference " + index + " points past the " + strings.size() + " strings read so far");
            }
            return strings.get(index);
        }
        String text = input.readUtf8(header >>> 1, what);
        if (!text.isEmpty()) { // the empty string is never sent by reference
            strings.add(text);
        }
        return text;
    }

    private Object readXml(int markerOffset) {
        int header = readU29("XML header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, markerOffset);
        }
        Amf0XmlDocument xml = new Amf0XmlDocument(input.readUtf8(header >>> 1, "XML"));
        objects.add(xml);
        return xml;
    }

    private Object readDate(int markerOffset) {
        int header = readU29("date header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, markerOffset);
        }
        Amf0Date date = Amf0Date.ofEpochMillis(input.readDouble("date"));
        objects.add(date);
        return date;
    }

    private Object readByteArray(int markerOffset) {
        int header = readU29("byte array header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, markerOffset);
        }
        byte[] bytes = input.readBytes(header >>> 1, "byte array");
        objects.add(bytes);
        return bytes;
    }

    private Object readArray(int markerOffset) {
        int header = readU29("array header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, markerOffset);
        }
        int denseCount = header >>> 1;
        int slot = objects.begin();
        input.enterNested();
        Amf0EcmaArray named = null;
        for (String key = readString("array key"); !key.isEmpty(); key = readString("array key")) {
            if (named == null) {
                named = new Amf0EcmaArray();
            }
            named.put(key, readValue());
        }
        input.requireCount(denseCount, "array dense");
        List<Object> dense = new ArrayList<>(Math.min(denseCount, INITIAL_CAPACITY_LIMIT));
        for (int i = 0; i < denseCount; i++) {
            dense.add(readValue());
        }
        input.leaveNested();
        Object array = dense;
        if (named != null) {
            for (int i = 0; i < denseCount; i++) {
                named.put(Integer.toString(i), dense.get(i));
            }
            array = named;
        }
        objects.complete(slot, array);
        return array;
    }

    private Object readObject(int markerOffset) {
        int header = readU29("object header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, markerOffset);
        }
        Traits traits = readTraits(header, markerOffset);
        int slot = objects.begin();
        input.enterNested();
        Amf0Object properties = new Amf0Object();
        for (String name : traits.sealedNames()) {
            properties.put(name, readValue());
        }
        if (traits.dynamic()) {
            for (String key = readString("member name"); !key.isEmpty(); key = readString("member name")) {
                properties.put(key, readValue());
            }
        }
        input.leaveNested();
        Object object = traits.className().isEmpty() ? properties : new Amf0TypedObject(traits.className(), properties);
        objects.complete(slot, object);
        return object;
    }

    private Traits readTraits(int header, int markerOffset) {
        if ((header & 2) == 0) {
            int index = header >>> 2;
            if (index >= traitsTable.size()) {
                throw input.errorAt(
                        markerOffset,
                        "traits reference " + index + " points past the " + traitsTable.size() + " traits read so far");
            }
            return traitsTable.get(index);
        }
        if ((header & 4) != 0) {
            String className = readString("class name");
            throw input.errorAt(
                    markerOffset, "externalizable AMF3 objects are not supported (class \"" + className + "\")");
        }
        boolean dynamic = (header & 8) != 0;
        int sealedCount = header >>> 4;
        String className = readString("class name");
        input.requireCount(sealedCount, "sealed member");
        List<String> sealedNames = new ArrayList<>(Math.min(sealedCount, INITIAL_CAPACITY_LIMIT));
        for (int i = 0; i < sealedCount; i++) {
            sealedNames.add(readString("sealed member name"));
        }
        Traits traits = new Traits(className, List.copyOf(sealedNames), dynamic);
        traitsTable.add(traits);
        return traits;
    }

    private static String hex(int marker) {
        return String.format("0x%02x", marker);
    }
}
