package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import io.streamrepeater.media.HevcDecoderConfigurationRecord;
import java.util.List;

/**
 * HEVC (stream type 0x24) in the Enhanced RTMP form: FourCC {@code hvc1}, packet type SequenceStart for
 * the HEVCDecoderConfigurationRecord, CodedFrames (with a composition time) or CodedFramesX (composition
 * time 0, left out) for frames.
 */
final class HevcNalUnits implements NalUnitSyntax {
    static final HevcNalUnits INSTANCE = new HevcNalUnits();

    private static final int FIRST_IRAP = 16;
    private static final int LAST_IRAP = 21;
    private static final int VPS = 32;
    private static final int SPS = 33;
    private static final int PPS = 34;
    private static final int ACCESS_UNIT_DELIMITER = 35;
    private static final int FILLER_DATA = 38;

    /** Enhanced RTMP: IsExHeader bit, then frame type in bits 4..6, packet type in bits 0..3. */
    private static final int EX_HEADER = 0x80;

    private static final int FRAME_TYPE_KEY = 1 << 4;
    private static final int FRAME_TYPE_INTER = 2 << 4;
    private static final int PACKET_SEQUENCE_START = 0;
    private static final int PACKET_CODED_FRAMES = 1;
    private static final int PACKET_CODED_FRAMES_X = 3;
    private static final int FOURCC_HVC1 = 'h' << 24 | 'v' << 16 | 'c' << 8 | '1';

    private HevcNalUnits() {}

    @Override
    public NalRole role(ByteBuf buf, int offset) {
        int type = (buf.getByte(offset) >> 1) & 0x3F;
        if (type >= FIRST_IRAP && type <= LAST_IRAP) {
            return NalRole.KEYFRAME_SLICE;
        }
        return switch (type) {
            case VPS -> NalRole.VPS;
            case SPS -> NalRole.SPS;
            case PPS -> NalRole.PPS;
            case ACCESS_UNIT_DELIMITER, FILLER_DATA -> NalRole.DROPPED;
            default -> NalRole.FRAME;
        };
    }

    @Override
    public String name() {
        return "HEVC";
    }

    @Override
    public byte[] decoderConfiguration(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {
        return vps.isEmpty() || sps.isEmpty() || pps.isEmpty()
                ? null
                : HevcDecoderConfigurationRecord.build(vps, sps, pps);
    }

    /** The longest header: byte 0, FourCC, composition time. */
    @Override
    public int tagHeaderBytes() {
        return 8;
    }

    @Override
    public void writeSequenceHeaderTag(ByteBuf out) {
        out.writeByte(EX_HEADER | FRAME_TYPE_KEY | PACKET_SEQUENCE_START).writeInt(FOURCC_HVC1);
    }

    @Override
    public void writeFrameTagHeader(ByteBuf out, boolean keyframe, int compositionTimeMs) {
        int frameType = keyframe ? FRAME_TYPE_KEY : FRAME_TYPE_INTER;
        if (compositionTimeMs == 0) {
            out.writeByte(EX_HEADER | frameType | PACKET_CODED_FRAMES_X).writeInt(FOURCC_HVC1);
        } else {
            out.writeByte(EX_HEADER | frameType | PACKET_CODED_FRAMES)
                    .writeInt(FOURCC_HVC1)
                    .writeMedium(compositionTimeMs);
        }
    }
}
