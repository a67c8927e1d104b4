package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** What differs between H.264 and HEVC when their Annex B access units become FLV video tag bodies. */
interface NalUnitSyntax {
    /** @param buf holds a NAL unit of at least one byte at {@code offset}; read with an absolute getter */
    NalRole role(ByteBuf buf, int offset);

    /** The codec's name, for messages. */
    String name();

    /**
     * @return the decoder configuration record, or null while a kind of parameter set it needs is
     *     missing
     * @throws IllegalArgumentException when a parameter set is malformed
     */
    byte[] decoderConfiguration(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps);

    /** Bytes that {@link #writeSequenceHeaderTag} and {@link #writeFrameTagHeader} write before the data. */
    int tagHeaderBytes();

    /** Writes the FLV video tag header of a sequence header; the record follows. Not retained or released. */
    void writeSequenceHeaderTag(ByteBuf out);

    /**
     * Writes the FLV video tag header of a coded frame; the length-prefixed NAL units follow.
     *
     * @param out not retained or released
     * @param compositionTimeMs PTS minus DTS in ms
     */
    void writeFrameTagHeader(ByteBuf out, boolean keyframe, int compositionTimeMs);
}
