package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkException;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.PendingBudget;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.testkit.Mutations;
import java.util.Random;

/**
 * "Partial message floods" (issue 17): streams that announce a huge chunk size and then start large messages on many
 * chunk streams without finishing them, mutated, fed to a decoder held to the limits of a connection that has not
 * published, drawing from a small shared budget. Oracles: no message over the before-publish size is delivered, the
 * budget is never overdrawn, and once the connection is gone it holds nothing of it.
 */
final class PartialFloodTarget implements FuzzTarget {
    /** The limits the server gives a connection before its publish (see the app's IngestBudgets). */
    static final ChunkLimits BEFORE_PUBLISH = new ChunkLimits(ChunkLimits.MAX_24_BIT, 16 * 1024, 64, 64 * 1024);

    static final long BUDGET = 96 * 1024;

    PartialFloodTarget(SeedCorpus seeds) {}

    @Override
    public String name() {
        return "partial-flood";
    }

    @Override
    public byte[] nextInput(Random random) {
        byte[] flood = flood(random);
        return random.nextInt(4) == 0 ? flood : Mutations.apply(flood, flood(random), random, random.nextInt(4));
    }

    /** SetChunkSize (up to 16 MiB), then the first chunks of large messages on several chunk streams, unfinished. */
    static byte[] flood(Random random) {
        ByteBuf b = Unpooled.buffer();
        int chunkSize = 128 + random.nextInt(ChunkLimits.MAX_24_BIT - 128);
        b.writeBytes(new byte[] {0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0}).writeInt(chunkSize);
        int streams = 1 + random.nextInt(8);
        for (int s = 0; s < streams; s++) {
            int csid = 3 + random.nextInt(60);
            int length = random.nextInt(4) == 0 ? ChunkLimits.MAX_24_BIT : 1 + random.nextInt(20 * 1024);
            b.writeByte(csid)
                    .writeMedium(random.nextInt(1000))
                    .writeMedium(length)
                    .writeByte(random.nextBoolean() ? 0x14 : 0x09)
                    .writeIntLE(random.nextInt(2));
            b.writeZero(Math.min(length, random.nextInt(20_000)));
        }
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    @Override
    public Outcome run(byte[] input, long splitSeed, ByteBufAllocator alloc) {
        PendingBudget budget = new PendingBudget("before-publish", BUDGET);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkDecoder(BEFORE_PUBLISH, budget));
        boolean refused = false;
        try {
            Random random = new Random(splitSeed);
            for (int from = 0; from < input.length && !refused; ) {
                int to = Math.min(input.length, from + 1 + random.nextInt(8000));
                try {
                    channel.writeInbound(alloc.buffer(to - from).writeBytes(input, from, to - from));
                } catch (ChunkException e) {
                    refused = true;
                } catch (DecoderException e) {
                    throw new OracleViolation("decoder failed with something other than a ChunkException: " + e);
                }
                for (RawMessage m; (m = channel.readInbound()) != null; ) {
                    int size = m.payload().readableBytes();
                    m.release();
                    if (size > BEFORE_PUBLISH.maxMessageSize()) {
                        throw new OracleViolation("a " + size + "-byte message was delivered before a publish");
                    }
                }
                RandomSplits.releaseOutbound(channel);
                if (budget.used() > BUDGET) {
                    throw new OracleViolation("the budget is overdrawn: " + budget.used() + " of " + BUDGET);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        if (budget.used() != 0) {
            throw new OracleViolation("the connection is gone but the budget still holds " + budget.used() + " bytes");
        }
        return refused ? Outcome.REFUSED : Outcome.ACCEPTED;
    }
}
