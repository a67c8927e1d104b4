package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import io.streamrepeater.media.AvcDecoderConfigurationRecord;
import java.util.List;

/** H.264 (stream type 0x1B) in the legacy FLV form: {@code 17 00} sequence header, {@code 17/27 01} frames. */
final class AvcNalUnits implements NalUnitSyntax {
    static final AvcNalUnits INSTANCE = new AvcNalUnits();

    private static final int IDR = 5;
    private static final int SPS = 7;
    private static final int PPS = 8;
    private static final int ACCESS_UNIT_DELIMITER = 9;
    private static final int FILLER_DATA = 12;
    /** FLV video tag: frame type (1 key, 2 inter) in the high nibble, codec id 7 (AVC) in the low one. */
    private static final int KEY_AVC = 0x17;

    private static final int INTER_AVC = 0x27;
    private static final int AVC_SEQUENCE_HEADER = 0;
    private static final int AVC_NALU = 1;

    private AvcNalUnits() {}

    @Override
    public NalRole role(ByteBuf buf, int offset) {
        return switch (buf.getByte(offset) & 0x1F) {
            case IDR -> NalRole.KEYFRAME_SLICE;
            case SPS -> NalRole.SPS;
            case PPS -> NalRole.PPS;
            case ACCESS_UNIT_DELIMITER, FILLER_DATA -> NalRole.DROPPED;
            default -> NalRole.FRAME;
        };
    }

    @Override
    public String name() {
        return "H.264";
    }

    @Override
    public byte[] decoderConfiguration(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps) {
        return sps.isEmpty() || pps.isEmpty() ? null : AvcDecoderConfigurationRecord.build(sps, pps);
    }

    @Override
    public int tagHeaderBytes() {
        return 5;
    }

    @Override
    public void writeSequenceHeaderTag(ByteBuf out) {
        out.writeByte(KEY_AVC).writeByte(AVC_SEQUENCE_HEADER).writeMedium(0);
    }

    @Override
    public void writeFrameTagHeader(ByteBuf out, boolean keyframe, int compositionTimeMs) {
        out.writeByte(keyframe ? KEY_AVC : INTER_AVC).writeByte(AVC_NALU).writeMedium(compositionTimeMs);
    }
}
