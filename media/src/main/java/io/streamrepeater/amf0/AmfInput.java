package io.streamrepeater.amf0;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one top-level read and the limits shared by its AMF0 and AMF3 parts: every primitive
 * read is bounds-checked first, so malformed input ends in an {@link Amf0Exception} that names the
 * offset (counted from where the read started), never in an {@code IndexOutOfBoundsException}.
 *
 * <p>Ownership: borrows the buffer; never retains or releases it.
 */
final class AmfInput {
    private final ByteBuf in;
    private final int start;
    private String dialect = "AMF0";
    private int depth;
    private long expandedValues;

    AmfInput(ByteBuf in) {
        this.in = in;
        this.start = in.readerIndex();
    }

    /** Offset of the next unread byte, counted from where this read started. */
    int offset() {
        return in.readerIndex() - start;
    }

    boolean isReadable() {
        return in.isReadable();
    }

    /** Puts the buffer's reader index back to where this read started. */
    void rewind() {
        in.readerIndex(start);
    }

    /** Names the format being decoded in error messages; returns the previous name. */
    String switchDialect(String newDialect) {
        String previous = dialect;
        dialect = newDialect;
        return previous;
    }

    Amf0Exception errorAt(int offset, String problem) {
        return new Amf0Exception(dialect + ": " + problem + " at offset " + offset);
    }

    Amf0Exception error(String problem) {
        return errorAt(offset(), problem);
    }

    /** Call on entering an object or array; pair with {@link #leaveNested()}. */
    void enterNested() {
        if (++depth > Amf0.MAX_NESTING_DEPTH) {
            throw error("nesting deeper than " + Amf0.MAX_NESTING_DEPTH);
        }
    }

    void leaveNested() {
        depth--;
    }

    /** Values produced so far, each reference counted as the size of what it points to. */
    long expandedValues() {
        return expandedValues;
    }

    void countValues(long count) {
        expandedValues += count;
        if (expandedValues > Amf0.MAX_EXPANDED_VALUES) {
            throw error("references expand to more than " + Amf0.MAX_EXPANDED_VALUES + " values");
        }
    }

    int readMarker() {
        if (!in.isReadable()) {
            throw error("input ended where a type marker was expected");
        }
        return in.readUnsignedByte();
    }

    int peekUnsignedByte(String what) {
        require(1, what);
        return in.getUnsignedByte(in.readerIndex());
    }

    void skipBytes(int count) {
        require(count, "skipped bytes");
        in.skipBytes(count);
    }

    int readUnsignedByte(String what) {
        require(1, what);
        return in.readUnsignedByte();
    }

    int readUnsignedShort(String what) {
        require(2, what);
        return in.readUnsignedShort();
    }

    short readShort(String what) {
        require(2, what);
        return in.readShort();
    }

    long readUnsignedInt(String what) {
        require(4, what);
        return in.readUnsignedInt();
    }

    double readDouble(String what) {
        require(8, what);
        return in.readDouble();
    }

    /** Reads {@code length} bytes of UTF-8; malformed sequences become U+FFFD. */
    String readUtf8(long length, String what) {
        requireLength(length, what);
        int byteCount = (int) length;
        String text = in.toString(in.readerIndex(), byteCount, StandardCharsets.UTF_8);
        in.skipBytes(byteCount);
        return text;
    }

    byte[] readBytes(long length, String what) {
        requireLength(length, what);
        byte[] bytes = new byte[(int) length];
        in.readBytes(bytes);
        return bytes;
    }

    /**
     * Checks a length field against the bytes left, so nothing is allocated for a length the input
     * cannot hold.
     */
    void requireLength(long length, String what) {
        if (length > in.readableBytes()) {
            throw error(what + " length " + length + " exceeds remaining " + in.readableBytes() + " bytes");
        }
    }

    /** Checks an element count against the bytes left: every element takes at least one byte. */
    void requireCount(long count, String what) {
        if (count > in.readableBytes()) {
            throw error(what + " count " + count + " exceeds remaining " + in.readableBytes() + " bytes");
        }
    }

    private void require(int byteCount, String what) {
        if (in.readableBytes() < byteCount) {
            throw error("truncated " + what + ": needs " + byteCount + " bytes, " + in.readableBytes() + " remain");
        }
    }
}
