package io.streamrepeater.amf0;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes Java values as AMF0. Accepts what {@link Amf0Reader} returns plus any {@link Number}
 * (written as a double), any {@link Map} with {@code String} keys (written as an anonymous object
 * unless it is an {@link Amf0EcmaArray}) and any {@link List} (a strict array). Strings longer than
 * {@value Amf0#MAX_SHORT_STRING_BYTES} UTF-8 bytes become long strings. Never writes references or
 * AMF3.
 */
public final class Amf0Writer {

    private Amf0Writer() {}

    /**
     * Appends one value.
     *
     * @param out where the bytes go; borrowed: the caller keeps ownership and releases it
     * @param value the value to encode
     * @throws IllegalArgumentException if the value (or something inside it) has no AMF0 form, a map key
     *     is not a {@code String} or is longer than 65535 UTF-8 bytes, or containers nest deeper than
     *     {@value Amf0#MAX_NESTING_DEPTH}; {@code out} is then left as it was
     */
    public static void write(ByteBuf out, Object value) {
        Objects.requireNonNull(out, "out");
        int start = out.writerIndex();
        try {
            writeValue(out, value, 0);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /**
     * Appends values one after the other, e.g. the body of a command message.
     *
     * @param out where the bytes go; borrowed: the caller keeps ownership and releases it
     * @throws IllegalArgumentException as {@link #write}; {@code out} is then left as it was
     */
    public static void writeAll(ByteBuf out, Object... values) {
        Objects.requireNonNull(out, "out");
        int start = out.writerIndex();
        try {
            for (Object value : values) {
                writeValue(out, value, 0);
            }
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    private static void writeValue(ByteBuf out, Object value, int depth) {
        if (value == null) {
            out.writeByte(Amf0.NULL_MARKER);
        } else if (value instanceof Number number) {
            out.writeByte(Amf0.NUMBER_MARKER);
            out.writeDouble(number.doubleValue());
        } else if (value instanceof Boolean bool) {
            out.writeByte(Amf0.BOOLEAN_MARKER);
            out.writeByte(bool ? 1 : 0);
        } else if (value instanceof String text) {
            writeString(out, text);
        } else if (value == Amf0.UNDEFINED) {
            out.writeByte(Amf0.UNDEFINED_MARKER);
        } else if (value == Amf0.UNSUPPORTED) {
            out.writeByte(Amf0.UNSUPPORTED_MARKER);
        } else if (value instanceof Amf0Date date) {
            out.writeByte(Amf0.DATE_MARKER);
            out.writeDouble(date.epochMillis());
            out.writeShort(date.timeZone());
        } else if (value instanceof Amf0XmlDocument xml) {
            out.writeByte(Amf0.XML_DOCUMENT_MARKER);
            writeUtf8WithLength(out, xml.xml(), 4);
        } else if (value instanceof Amf0TypedObject typed) {
            out.writeByte(Amf0.TYPED_OBJECT_MARKER);
            writeShortUtf8(out, typed.className(), "class name");
            writeProperties(out, typed.properties(), depth + 1);
        } else if (value instanceof Amf0EcmaArray array) {
            out.writeByte(Amf0.ECMA_ARRAY_MARKER);
            out.writeInt(array.size());
            writeProperties(out, array, depth + 1);
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(Amf0.OBJECT_MARKER);
            writeProperties(out, map, depth + 1);
        } else if (value instanceof List<?> list) {
            checkDepth(depth + 1);
            out.writeByte(Amf0.STRICT_ARRAY_MARKER);
            out.writeInt(list.size());
            for (Object element : list) {
                writeValue(out, element, depth + 1);
            }
        } else {
            throw new IllegalArgumentException(
                    "AMF0: cannot write a value of type " + value.getClass().getName());
        }
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> properties, int depth) {
        checkDepth(depth);
        for (Map.Entry<?, ?> entry : properties.entrySet()) {
            if (!(entry.getKey() instanceof String name)) {
                throw new IllegalArgumentException("AMF0: property names must be strings, got "
                        + (entry.getKey() == null
                                ? "null"
                                : entry.getKey().getClass().getName()));
            }
            writeShortUtf8(out, name, "property name");
            writeValue(out, entry.getValue(), depth);
        }
        out.writeShort(0);
        out.writeByte(Amf0.OBJECT_END_MARKER);
    }

    private static void checkDepth(int depth) {
        if (depth > Amf0.MAX_NESTING_DEPTH) {
            throw new IllegalArgumentException("AMF0: nesting deeper than " + Amf0.MAX_NESTING_DEPTH
                    + " cannot be written (the reader would refuse it)");
        }
    }

    private static void writeString(ByteBuf out, String text) {
        if (ByteBufUtil.utf8Bytes(text) <= Amf0.MAX_SHORT_STRING_BYTES) {
            out.writeByte(Amf0.STRING_MARKER);
            writeUtf8WithLength(out, text, 2);
        } else {
            out.writeByte(Amf0.LONG_STRING_MARKER);
            writeUtf8WithLength(out, text, 4);
        }
    }

    private static void writeShortUtf8(ByteBuf out, String text, String what) {
        if (ByteBufUtil.utf8Bytes(text) > Amf0.MAX_SHORT_STRING_BYTES) {
            throw new IllegalArgumentException("AMF0: " + what + " is " + ByteBufUtil.utf8Bytes(text)
                    + " UTF-8 bytes, more than the " + Amf0.MAX_SHORT_STRING_BYTES + " its 16-bit length allows");
        }
        writeUtf8WithLength(out, text, 2);
    }

    /** Writes a 2- or 4-byte big-endian length, then the UTF-8 bytes. */
    private static void writeUtf8WithLength(ByteBuf out, String text, int lengthFieldBytes) {
        int lengthIndex = out.writerIndex();
        if (lengthFieldBytes == 2) {
            out.writeShort(0);
        } else {
            out.writeInt(0);
        }
        int written = ByteBufUtil.writeUtf8(out, text);
        if (lengthFieldBytes == 2) {
            out.setShort(lengthIndex, written);
        } else {
            out.setInt(lengthIndex, written);
        }
    }
}
