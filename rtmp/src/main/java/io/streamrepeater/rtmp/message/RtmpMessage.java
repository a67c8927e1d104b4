package io.streamrepeater.rtmp.message;

import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.rtmp.chunk.RawMessage;

/**
 * A typed RTMP protocol-control or command message. Media (audio, video, data) travels as
 * {@link RawMessage} and is never turned into a typed message: its payload is relayed as is.
 */
public sealed interface RtmpMessage
        permits SetChunkSize,
                Abort,
                Acknowledgement,
                WindowAcknowledgementSize,
                SetPeerBandwidth,
                UserControlMessage,
                CommandMessage {

    /**
     * Encodes this message.
     *
     * @param messageStreamId the message stream id to send it on (0 for protocol control)
     * @return a new raw message owned by the caller
     */
    RawMessage toRaw(ByteBufAllocator alloc, int messageStreamId);
}
