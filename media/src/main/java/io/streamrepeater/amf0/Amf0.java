package io.streamrepeater.amf0;

/**
 * AMF0 type markers, the two value-less AMF0 values, and the limits every read enforces.
 */
public final class Amf0 {

    /** The AMF0 values that carry no data besides their marker. */
    public enum Sentinel {
        /** AMF0 undefined (marker 0x06). */
        UNDEFINED,
        /** AMF0 unsupported (marker 0x0D): the sender had a value it could not serialize. */
        UNSUPPORTED
    }

    /** The value read for marker 0x06 and written as 0x06. */
    public static final Sentinel UNDEFINED = Sentinel.UNDEFINED;
    /** The value read for marker 0x0D and written as 0x0D. */
    public static final Sentinel UNSUPPORTED = Sentinel.UNSUPPORTED;

    public static final int NUMBER_MARKER = 0x00;
    public static final int BOOLEAN_MARKER = 0x01;
    public static final int STRING_MARKER = 0x02;
    public static final int OBJECT_MARKER = 0x03;
    public static final int MOVIECLIP_MARKER = 0x04;
    public static final int NULL_MARKER = 0x05;
    public static final int UNDEFINED_MARKER = 0x06;
    public static final int REFERENCE_MARKER = 0x07;
    public static final int ECMA_ARRAY_MARKER = 0x08;
    public static final int OBJECT_END_MARKER = 0x09;
    public static final int STRICT_ARRAY_MARKER = 0x0A;
    public static final int DATE_MARKER = 0x0B;
    public static final int LONG_STRING_MARKER = 0x0C;
    public static final int UNSUPPORTED_MARKER = 0x0D;
    public static final int RECORDSET_MARKER = 0x0E;
    public static final int XML_DOCUMENT_MARKER = 0x0F;
    public static final int TYPED_OBJECT_MARKER = 0x10;
    /** The AVM+ marker: the next value is encoded in AMF3. */
    public static final int AVMPLUS_OBJECT_MARKER = 0x11;

    /** Strings up to this many UTF-8 bytes are written with the string marker, longer ones as long strings. */
    public static final int MAX_SHORT_STRING_BYTES = 0xFFFF;

    /** Complex values (objects, arrays) may nest this deep, in reading and in writing. */
    public static final int MAX_NESTING_DEPTH = 64;

    /**
     * A read may produce at most this many values once every reference is counted as a full copy of
     * what it points to. References share values instead of copying them, so without this bound a few
     * hundred bytes of chained references would describe a tree too large to print or re-encode.
     */
    public static final long MAX_EXPANDED_VALUES = 1_000_000;

    private Amf0() {}
}
