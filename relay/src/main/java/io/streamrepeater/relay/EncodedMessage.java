package io.streamrepeater.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;

/**
 * One media message encoded as RTMP chunks once per channel, kept as its separate parts (chunk headers and
 * payload slices, in wire order) so that every destination writes retained duplicates of single-region
 * buffers: a native transport then gathers them by address, with no NIO buffer objects per write.
 * Owns one reference to each part; {@link #release()} gives them back.
 */
final class EncodedMessage {
    private final ByteBuf[] parts;
    private final int length;

    /** @param parts ownership passes to this message */
    EncodedMessage(ByteBuf[] parts) {
        this.parts = parts;
        int total = 0;
        for (ByteBuf part : parts) {
            total += part.readableBytes();
        }
        this.length = total;
    }

    /** Bytes on the wire. */
    int length() {
        return length;
    }

    /**
     * Queues retained duplicates of every part on the channel without flushing (the caller flushes, once for
     * everything written in this turn of the event loop); {@code done} completes with the last part (writes on one
     * channel complete in order), earlier parts report failures through the pipeline.
     */
    void writeTo(Channel channel, ChannelPromise done) {
        int last = parts.length - 1;
        for (int i = 0; i < last; i++) {
            channel.write(parts[i].retainedDuplicate(), channel.voidPromise());
        }
        channel.write(parts[last].retainedDuplicate(), done);
    }

    void release() {
        for (ByteBuf part : parts) {
            part.release();
        }
    }
}
