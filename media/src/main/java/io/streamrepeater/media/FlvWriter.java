package io.streamrepeater.media;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Writes packets as a complete FLV file in memory: the 9-byte header (with the video flag, and the
 * audio flag when audio is present), {@code PreviousTagSize0}, then one tag per packet (type, 24-bit
 * body size, 24+8-bit timestamp, stream id 0, the tag body, {@code PreviousTagSize}). Used to hand a
 * short clip, such as an input's GOP, to a child process; never on the media path.
 */
public final class FlvWriter {
    static final int HEADER_SIZE = 9;
    static final int TAG_HEADER_SIZE = 11;
    private static final int FLAG_AUDIO = 0x04;
    private static final int FLAG_VIDEO = 0x01;
    private static final int TAG_AUDIO = 8;
    private static final int TAG_VIDEO = 9;
    private static final int TAG_SCRIPT = 18;

    private FlvWriter() {}

    /**
     * The FLV bytes of {@code packets} in list order, each tag stamped with the packet's DTS (low 24
     * bits, then the upper 8). AMF3 data messages have no FLV tag type and are skipped.
     *
     * @param packets read, not released: the caller keeps ownership of each packet
     * @throws IllegalArgumentException for a DTS below 0 or above the 32-bit range FLV can carry
     */
    public static byte[] write(List<MediaPacket> packets) {
        boolean audio = packets.stream().anyMatch(p -> p.kind() == MediaKind.AUDIO);
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_SIZE + 4 + sizeOf(packets));
        writeHeader(out, audio);
        for (MediaPacket p : packets) {
            out.writeBytes(tag(p, p.dts()));
        }
        return out.toByteArray();
    }

    /**
     * The FLV header and {@code PreviousTagSize0}: what a stream of tags ({@link #tag}) starts with.
     *
     * @param audio whether the audio flag is set (the video flag always is)
     */
    public static byte[] header(boolean audio) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_SIZE + 4);
        writeHeader(out, audio);
        return out.toByteArray();
    }

    /**
     * One FLV tag of {@code p} stamped {@code dts} (for a stream that rebases its timestamps), with its
     * {@code PreviousTagSize}; empty for an AMF3 data message, which has no FLV tag type.
     *
     * @param p read, not released
     * @throws IllegalArgumentException for a DTS below 0 or above the 32-bit range FLV can carry
     */
    public static byte[] tag(MediaPacket p, long dts) {
        int type = tagType(p);
        if (type < 0) {
            return new byte[0];
        }
        if (dts < 0 || dts > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "an FLV tag timestamp must fit in 32 unsigned bits, got DTS " + dts + " ms in " + p);
        }
        // one array of the tag's exact size, the body copied into it once
        int size = p.content().readableBytes();
        byte[] tag = new byte[TAG_HEADER_SIZE + size + 4];
        tag[0] = (byte) type;
        putInt24(tag, 1, size);
        putInt24(tag, 4, (int) (dts & 0xFF_FFFF));
        tag[7] = (byte) (dts >>> 24);
        // stream id 0: bytes 8..10 stay zero
        p.content().getBytes(p.content().readerIndex(), tag, TAG_HEADER_SIZE, size);
        int previousTagSize = TAG_HEADER_SIZE + size;
        tag[tag.length - 4] = (byte) (previousTagSize >>> 24);
        putInt24(tag, tag.length - 3, previousTagSize);
        return tag;
    }

    private static void putInt24(byte[] to, int at, int value) {
        to[at] = (byte) (value >>> 16);
        to[at + 1] = (byte) (value >>> 8);
        to[at + 2] = (byte) value;
    }

    private static void writeHeader(ByteArrayOutputStream out, boolean audio) {
        out.write('F');
        out.write('L');
        out.write('V');
        out.write(1);
        out.write(FLAG_VIDEO | (audio ? FLAG_AUDIO : 0));
        writeInt(out, HEADER_SIZE);
        writeInt(out, 0);
    }

    private static int sizeOf(List<MediaPacket> packets) {
        long total = 0;
        for (MediaPacket p : packets) {
            total += TAG_HEADER_SIZE + 4 + p.content().readableBytes();
        }
        return (int) Math.min(total, Integer.MAX_VALUE - 64);
    }

    private static int tagType(MediaPacket p) {
        return switch (p.kind()) {
            case AUDIO -> TAG_AUDIO;
            case VIDEO -> TAG_VIDEO;
            case DATA -> p.rtmpTypeId() == MetadataTag.RTMP_TYPE_DATA_AMF0 ? TAG_SCRIPT : -1;
        };
    }

    private static void writeInt24(ByteArrayOutputStream out, int value) {
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        writeInt24(out, value);
    }
}
