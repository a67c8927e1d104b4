package io.streamrepeater.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * The memory a peer can make the chunk decoder hold (issue 17): small limits before a publish, a server-wide budget
 * shared by many connections, and the move to the publishers' limits and budget once a publish is accepted.
 */
class PendingBudgetTest {
    /** Chunk size 4096 is announced first, so one chunk carries 4096 bytes of a message. */
    private static final int CHUNK = 4096;

    /** SetChunkSize 4096: chunk stream 2, format 0, type 1, 4 bytes. */
    private static ByteBuf setChunkSize() {
        return Unpooled.wrappedBuffer(new byte[] {0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0, 0, 0x10, 0});
    }

    /** The first chunk of a {@code length}-byte video message on chunk stream 6: format 0 header and up to one chunk. */
    private static ByteBuf firstChunk(int length) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x06).writeMedium(0).writeMedium(length).writeByte(0x09).writeIntLE(1);
        b.writeZero(Math.min(CHUNK, length));
        return b;
    }

    /** The next chunk of that message (format 3 header). */
    private static ByteBuf nextChunk(int bytes) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0xC6).writeZero(bytes);
        return b;
    }

    private static EmbeddedChannel decoder(ChunkLimits limits, PendingBudget budget) {
        EmbeddedChannel ch = new EmbeddedChannel(new ChunkDecoder(limits, budget));
        ch.writeInbound(setChunkSize());
        releaseAll(ch);
        return ch;
    }

    private static void releaseAll(EmbeddedChannel ch) {
        Object m;
        while ((m = ch.readInbound()) != null) {
            ((RawMessage) m).release();
        }
    }

    @Test
    void connectionsShareTheServerWideBudgetAndTheOneThatWouldExceedItIsRefused() {
        PendingBudget budget = new PendingBudget("before-publish", 10_000);
        EmbeddedChannel a = decoder(ChunkLimits.DEFAULT, budget);
        EmbeddedChannel b = decoder(ChunkLimits.DEFAULT, budget);
        a.writeInbound(firstChunk(20_000));
        a.writeInbound(nextChunk(CHUNK)); // a holds 8192 of its 20000-byte message
        assertThat(budget.used()).isEqualTo(2 * CHUNK);
        assertThatThrownBy(() -> b.writeInbound(firstChunk(20_000)))
                .isInstanceOfSatisfying(
                        ChunkLimitException.class,
                        e -> assertThat(e.limit()).isEqualTo(ChunkLimitException.Limit.SERVER_PENDING_BYTES))
                .hasMessageContaining("before-publish allowance of 10000 bytes");
        assertThat(budget.used()).as("b holds nothing").isEqualTo(2 * CHUNK);
        a.close(); // a's partial message is dropped with its connection
        assertThat(budget.used()).isZero();
        b.finishAndReleaseAll();
    }

    @Test
    void aCompleteMessageGivesItsBytesBack() {
        PendingBudget budget = new PendingBudget("publishing", 1_000_000);
        EmbeddedChannel ch = decoder(ChunkLimits.DEFAULT, budget);
        ch.writeInbound(firstChunk(10_000));
        ch.writeInbound(nextChunk(CHUNK));
        assertThat(budget.used()).isEqualTo(2 * CHUNK);
        ch.writeInbound(nextChunk(10_000 - 2 * CHUNK));
        RawMessage m = ch.readInbound();
        assertThat(m.payload().readableBytes()).isEqualTo(10_000);
        m.release();
        assertThat(budget.used()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aPublishMovesWhatTheConnectionHoldsToThePublishersLimitsAndBudget() {
        PendingBudget before = new PendingBudget("before-publish", 100_000);
        PendingBudget publishing = new PendingBudget("publishing", 1_000_000);
        ChunkLimits small = new ChunkLimits(ChunkLimits.MAX_24_BIT, 16 * 1024, 64, 64 * 1024);
        ChunkDecoder decoder = new ChunkDecoder(small, before);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(setChunkSize());
        releaseAll(ch);
        // before the publish: a keyframe-sized message is refused
        EmbeddedChannel other = new EmbeddedChannel(new ChunkDecoder(small, before));
        assertThatThrownBy(() -> other.writeInbound(firstChunk(200_000)))
                .isInstanceOfSatisfying(
                        ChunkLimitException.class,
                        e -> assertThat(e.limit()).isEqualTo(ChunkLimitException.Limit.MAX_MESSAGE_SIZE));
        other.finishAndReleaseAll();
        // a command message in progress, then the publish is accepted
        ch.writeInbound(firstChunk(10_000));
        assertThat(before.used()).isEqualTo(CHUNK);
        decoder.changeLimits(ChunkLimits.DEFAULT, publishing);
        assertThat(before.used()).isZero();
        assertThat(publishing.used()).isEqualTo(CHUNK);
        ch.writeInbound(nextChunk(CHUNK));
        ch.writeInbound(nextChunk(10_000 - 2 * CHUNK));
        releaseAll(ch);
        ch.writeInbound(firstChunk(200_000)); // a keyframe: allowed now
        assertThat(publishing.used()).isEqualTo(CHUNK);
        assertThat(ch.finishAndReleaseAll()).isFalse();
        assertThat(publishing.used()).isZero();
    }
}
