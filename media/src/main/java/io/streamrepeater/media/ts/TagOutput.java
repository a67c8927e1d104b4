package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;

/** Where the elementary stream converters put the FLV tag bodies they build. */
interface TagOutput {
    /**
     * @param rtmpTypeId 8 audio, 9 video
     * @param dtsMs decoding timestamp in ms on the transport stream's time line
     * @param tagBody the FLV tag body; ownership passes to this method
     */
    void emit(int rtmpTypeId, long dtsMs, ByteBuf tagBody);
}
