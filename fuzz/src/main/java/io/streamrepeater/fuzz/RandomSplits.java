package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Random;

/** Feeds an input to an {@link EmbeddedChannel} in pieces of random sizes, as TCP reads would deliver it. */
final class RandomSplits {
    private RandomSplits() {}

    /**
     * Writes {@code input} in pieces (single bytes, a few bytes, or up to 4000) until it is all written or the channel
     * closed (a closed socket delivers nothing more); releases what the channel wrote back after each piece.
     *
     * @param splitSeed decides the piece sizes, so a finding replays with the same splits
     */
    static void feed(EmbeddedChannel channel, byte[] input, long splitSeed, ByteBufAllocator alloc) {
        Random random = new Random(splitSeed);
        for (int from = 0; from < input.length && channel.isOpen(); ) {
            int size = switch (random.nextInt(3)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(16);
                default -> 1 + random.nextInt(4000);
            };
            int to = Math.min(input.length, from + size);
            ByteBuf piece = alloc.buffer(to - from).writeBytes(input, from, to - from);
            channel.writeInbound(piece);
            releaseOutbound(channel);
            from = to;
        }
    }

    /** Releases every message the channel has written (handshake answers, acknowledgements, command responses). */
    static void releaseOutbound(EmbeddedChannel channel) {
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(out);
        }
    }
}
