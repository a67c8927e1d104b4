package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.rtmp.handshake.HandshakeCompleted;
import io.streamrepeater.rtmp.handshake.HandshakeServerHandler;
import io.streamrepeater.testkit.Mutations;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The server handshake alone, fed random and mutated C0/C1/C2 (the openings of the captured sessions) at random
 * splits. Documented outcomes: the handshake completes (the handler leaves the pipeline and the bytes after C2 reach
 * the next handler), or the connection is closed with a reason (wrong C0 at once, anything incomplete at the deadline).
 * An open connection whose handshake never completes, or any exception, is a crash.
 */
final class HandshakeTarget implements FuzzTarget {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int OPENING_BYTES = SeedCorpus.HANDSHAKE_BYTES + 64;

    private final List<byte[]> openings;

    HandshakeTarget(SeedCorpus seeds) {
        this.openings = seeds.sessions.stream()
                .map(s -> Arrays.copyOf(s, OPENING_BYTES))
                .toList();
    }

    @Override
    public String name() {
        return "handshake";
    }

    @Override
    public byte[] nextInput(Random random) {
        if (random.nextInt(4) == 0) {
            byte[] bytes = Mutations.randomBytes(random, random.nextInt(OPENING_BYTES + 1));
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] = 3;
            }
            return bytes;
        }
        byte[] seed = openings.get(random.nextInt(openings.size()));
        byte[] donor = openings.get(random.nextInt(openings.size()));
        return Mutations.apply(seed, donor, random, 1 + random.nextInt(4));
    }

    @Override
    public Outcome run(byte[] input, long splitSeed, ByteBufAllocator alloc) {
        ByteCounter next = new ByteCounter();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new HandshakeServerHandler(TIMEOUT), next);
        try {
            RandomSplits.feed(channel, input, splitSeed, alloc);
            channel.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            channel.checkException();
            RandomSplits.releaseOutbound(channel);
            if (next.completed) {
                int expected = Math.max(0, input.length - SeedCorpus.HANDSHAKE_BYTES);
                if (next.bytes != expected) {
                    throw new OracleViolation(
                            "handshake completed but passed on " + next.bytes + " bytes, expected " + expected);
                }
                return Outcome.ACCEPTED;
            }
            if (channel.isOpen()) {
                throw new OracleViolation("handshake neither completed nor closed after the deadline");
            }
            return Outcome.REFUSED;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Stands where the chunk decoder would be: counts and releases the bytes after C2. */
    private static final class ByteCounter extends ChannelInboundHandlerAdapter {
        boolean completed;
        long bytes;

        /** @param msg a {@link ByteBuf}, released here */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            bytes += buf.readableBytes();
            buf.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeCompleted) {
                completed = true;
            }
        }
    }
}
