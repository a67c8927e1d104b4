package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a whole FLV file (as {@code ffmpeg -f flv} writes it) into {@link MediaPacket}s, for the
 * slate that a channel plays in a loop when no input is healthy.
 *
 * <p>The file is read into one buffer and every packet is a retained slice of it: no copy per tag.
 * The one exception is an {@code onMetaData} script tag, which is rebuilt with the
 * {@code @setDataFrame} prefix so that it is sent like an encoder's metadata.
 *
 * <p>Strictness: the file is checked when the channel is configured, long before it is needed, so
 * anything the reader cannot account for is refused with the file name and the byte offset rather
 * than guessed. In particular a file cut in the middle of a tag is refused as a whole (not played up
 * to the cut): a cut file is the sign of an interrupted copy or encode, and its last GOP would end in
 * a broken picture on every loop. Re-muxing it ({@code ffmpeg -i IN -c copy -f flv OUT}) repairs it.
 * Two things are tolerated because players tolerate them: a PreviousTagSize that does not match the
 * tag before it, and tag types other than audio, video and script data; both are counted in the
 * {@link FlvFile}.
 */
public final class FlvFileReader {
    private static final int HEADER_SIZE = 9;
    private static final int SUPPORTED_VERSION = 1;
    private static final int PREVIOUS_TAG_SIZE_BYTES = 4;
    private static final int TAG_HEADER_SIZE = 11;
    /** Bit of the tag type byte that marks an encrypted or otherwise filtered tag body. */
    private static final int FILTER_BIT = 0x20;

    private static final int TAG_TYPE_MASK = 0x1F;
    private static final int TAG_TYPE_AUDIO = MediaPacket.RTMP_TYPE_AUDIO;
    private static final int TAG_TYPE_VIDEO = MediaPacket.RTMP_TYPE_VIDEO;
    private static final int TAG_TYPE_SCRIPT = MetadataTag.RTMP_TYPE_DATA_AMF0;

    private static final int AMF0_STRING_MARKER = 0x02;
    private static final byte[] SET_DATA_FRAME = "@setDataFrame".getBytes(StandardCharsets.US_ASCII);

    private FlvFileReader() {}

    /**
     * Reads and checks a whole FLV file.
     *
     * @param file the FLV file
     * @param alloc allocates the buffer that holds the file (and the rebuilt metadata tags)
     * @param maxBytes the largest file accepted; larger files are refused before anything is read
     * @return the packets of the file; the caller owns the returned {@link FlvFile} and must close it,
     *     which releases every packet
     * @throws IllegalArgumentException when the file is larger than {@code maxBytes} or is not a
     *     well-formed FLV file; the message names the file and, for a format error, the byte offset
     * @throws UncheckedIOException when the file cannot be read
     */
    public static FlvFile read(Path file, ByteBufAllocator alloc, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive to read FLV file " + file + ": " + maxBytes);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read FLV file " + file + ": " + e, e);
        }
        if (size > maxBytes) {
            throw new IllegalArgumentException("FLV file " + file + " is " + size + " bytes, more than the limit of "
                    + maxBytes + " bytes: use a shorter or lower-bitrate file");
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("FLV file " + file + " is " + size
                    + " bytes, more than one buffer can hold (" + (Integer.MAX_VALUE - 8) + " bytes)");
        }
        ByteBuf content = alloc.buffer((int) size, (int) size);
        try {
            readFully(file, content, (int) size);
            return parse(file.toString(), content, alloc);
        } finally {
            content.release();
        }
    }

    private static void readFully(Path file, ByteBuf content, int size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            while (content.writerIndex() < size) {
                int read = content.writeBytes(channel, position, size - content.writerIndex());
                if (read < 0) {
                    break; // the file shrank since its size was taken: parse what is there
                }
                position += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read FLV file " + file + ": " + e, e);
        }
    }

    /**
     * Parses FLV bytes that are already in memory.
     *
     * @param source the file name to put in messages
     * @param content the whole file from {@code readerIndex} to {@code writerIndex}; not released and
     *     its indexes unchanged: each packet holds its own retained slice, so the caller releases
     *     {@code content} whenever it likes
     * @param alloc allocates the rebuilt metadata tags
     * @return packets that the caller owns through the returned {@link FlvFile}
     * @throws IllegalArgumentException when the bytes are not a well-formed FLV file; nothing is
     *     retained then
     */
    static FlvFile parse(String source, ByteBuf content, ByteBufAllocator alloc) {
        List<MediaPacket> packets = new ArrayList<>();
        try {
            return new TagWalk(source, content, alloc, packets).run();
        } catch (RuntimeException e) {
            packets.forEach(MediaPacket::release);
            throw e;
        }
    }

    /** One pass over the tags of one file. */
    private static final class TagWalk {
        private final String source;
        private final ByteBuf content;
        private final ByteBufAllocator alloc;
        private final List<MediaPacket> packets;
        private final int start;
        private final int end;
        private int previousTagSizeMismatches;
        private int unknownTagsSkipped;

        TagWalk(String source, ByteBuf content, ByteBufAllocator alloc, List<MediaPacket> packets) {
            this.source = source;
            this.content = content;
            this.alloc = alloc;
            this.packets = packets;
            this.start = content.readerIndex();
            this.end = content.writerIndex();
        }

        FlvFile run() {
            int pos = start + readHeader();
            int expectedPreviousTagSize = 0;
            while (true) {
                require(pos, PREVIOUS_TAG_SIZE_BYTES, "PreviousTagSize");
                long previousTagSize = content.getUnsignedInt(pos);
                if (previousTagSize != expectedPreviousTagSize) {
                    previousTagSizeMismatches++;
                }
                pos += PREVIOUS_TAG_SIZE_BYTES;
                if (pos == end) {
                    break;
                }
                int tagSize = readTag(pos);
                expectedPreviousTagSize = tagSize;
                pos += tagSize;
            }
            return new FlvFile(source, packets, previousTagSizeMismatches, unknownTagsSkipped);
        }

        /** Checks the file header and returns the offset of PreviousTagSize0 (the header's DataOffset). */
        private int readHeader() {
            if (end - start < 3
                    || content.getByte(start) != 'F'
                    || content.getByte(start + 1) != 'L'
                    || content.getByte(start + 2) != 'V') {
                throw failure("not an FLV file: expected 'FLV' at offset 0");
            }
            require(start, HEADER_SIZE, "file header");
            int version = content.getUnsignedByte(start + 3);
            if (version != SUPPORTED_VERSION) {
                throw failure("unsupported FLV version " + version + " at offset 3: only version " + SUPPORTED_VERSION
                        + " is supported");
            }
            long dataOffset = content.getUnsignedInt(start + 5);
            if (dataOffset < HEADER_SIZE || dataOffset > end - start) {
                throw failure("header DataOffset " + dataOffset + " at offset 5 is outside the file: expected "
                        + HEADER_SIZE + " to " + (end - start));
            }
            return (int) dataOffset;
        }

        /** Reads the tag at {@code pos} and returns its size (header plus body). */
        private int readTag(int pos) {
            require(pos, TAG_HEADER_SIZE, "tag header");
            int typeByte = content.getUnsignedByte(pos);
            int dataSize = content.getUnsignedMedium(pos + 1);
            long timestamp = ((long) content.getUnsignedByte(pos + 7) << 24) | content.getUnsignedMedium(pos + 4);
            int bodyStart = pos + TAG_HEADER_SIZE;
            require(bodyStart, dataSize, "tag body of " + dataSize + " bytes (tag at offset " + (pos - start) + ")");
            if ((typeByte & FILTER_BIT) != 0) {
                throw failure("encrypted or filtered tag (type byte 0x" + Integer.toHexString(typeByte)
                        + ", filter bit 0x20 set) at offset " + (pos - start) + ": such files cannot be played");
            }
            int tagType = typeByte & TAG_TYPE_MASK;
            switch (tagType) {
                case TAG_TYPE_AUDIO, TAG_TYPE_VIDEO ->
                    packets.add(MediaPacket.fromRtmp(tagType, timestamp, content.retainedSlice(bodyStart, dataSize)));
                case TAG_TYPE_SCRIPT ->
                    packets.add(MediaPacket.fromRtmp(tagType, timestamp, scriptBody(bodyStart, dataSize)));
                default -> unknownTagsSkipped++;
            }
            return TAG_HEADER_SIZE + dataSize;
        }

        /**
         * The body of a script tag as an encoder would send it: a bare {@code onMetaData} gets the
         * {@code @setDataFrame} prefix (in a new buffer), anything else is a retained slice.
         */
        private ByteBuf scriptBody(int bodyStart, int dataSize) {
            ByteBuf body = content.slice(bodyStart, dataSize);
            if (!MetadataTag.isOnMetaData(TAG_TYPE_SCRIPT, body) || startsWithSetDataFrame(body)) {
                return body.retain();
            }
            ByteBuf prefixed = alloc.buffer(3 + SET_DATA_FRAME.length + dataSize);
            prefixed.writeByte(AMF0_STRING_MARKER)
                    .writeShort(SET_DATA_FRAME.length)
                    .writeBytes(SET_DATA_FRAME)
                    .writeBytes(body);
            return prefixed;
        }

        private static boolean startsWithSetDataFrame(ByteBuf body) {
            int pos = body.readerIndex();
            if (body.readableBytes() < 3 + SET_DATA_FRAME.length
                    || body.getUnsignedByte(pos) != AMF0_STRING_MARKER
                    || body.getUnsignedShort(pos + 1) != SET_DATA_FRAME.length) {
                return false;
            }
            for (int i = 0; i < SET_DATA_FRAME.length; i++) {
                if (body.getByte(pos + 3 + i) != SET_DATA_FRAME[i]) {
                    return false;
                }
            }
            return true;
        }

        private void require(int pos, int bytes, String what) {
            if (end - pos < bytes) {
                throw failure("truncated " + what + " at offset " + (pos - start) + ": needs " + bytes
                        + " bytes, the file has " + (end - pos) + " left; a file cut short is refused whole"
                        + " (re-mux it with ffmpeg -i IN -c copy -f flv OUT)");
            }
        }

        private IllegalArgumentException failure(String problem) {
            return new IllegalArgumentException("FLV file " + source + ": " + problem);
        }
    }
}
