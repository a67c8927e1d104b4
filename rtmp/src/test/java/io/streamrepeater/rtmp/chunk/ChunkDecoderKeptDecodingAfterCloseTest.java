package io.streamrepeater.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.rtmp.pipeline.IngestChannelInitializer;
import io.streamrepeater.testkit.TrackingAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression for a fuzz finding (fuzz/run.sh, ingest target, seed 1 iteration 4953): when the handler behind the
 * decoder closed the connection on a message (the ingest session does so on a malformed command), the decoder went on
 * delivering the other messages of the same read to the closed connection (releaseStream, publish, …), and a protocol
 * error further on escaped the pipeline as an exception thrown out of the read instead of an exceptionCaught event.
 * Now nothing is decoded once the connection is closed.
 */
class ChunkDecoderKeptDecodingAfterCloseTest {
    private static final byte[] THREE_COMMANDS =
            concat(command(3, (byte) 'a'), command(3, (byte) 'b'), command(3, (byte) 'c'));
    /** A format-1 header on chunk stream 48, which never had a format-0 header: a protocol error. */
    private static final byte[] PROTOCOL_ERROR = {0x70, 0, 0, 0, 0, 0, 1, 20, 0x41};

    @Test
    void messagesAfterTheOneThatClosedTheConnectionAreNotDelivered() {
        TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
        ClosingHandler closer = new ClosingHandler();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkDecoder(ChunkLimits.DEFAULT), closer);

        channel.writeInbound(alloc.copyOf(THREE_COMMANDS));

        assertThat(channel.isOpen()).isFalse();
        assertThat(closer.payloads).containsExactly("a");
        assertThat(channel.finishAndReleaseAll()).isFalse();
        alloc.assertAllReleased();
    }

    @Test
    void aProtocolErrorAfterTheCloseInTheReadThatFinishedTheHandshakeIsNotRaised() {
        TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
        ClosingHandler closer = new ClosingHandler();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        // the server's ingest pipeline, with the closer where the session is
        channel.pipeline()
                .addLast(IngestChannelInitializer.withSession(Duration.ofSeconds(10), ch -> closer)
                        .build());
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;
        channel.writeInbound(alloc.copyOf(c0c1));
        releaseOutbound(channel);

        // C2, then in the same read a command (the closer closes on it) and a protocol error.
        channel.writeInbound(alloc.copyOf(concat(new byte[1536], command(3, (byte) 'a'), PROTOCOL_ERROR)));

        assertThat(channel.isOpen()).isFalse();
        assertThat(closer.payloads).containsExactly("a");
        assertThat(closer.errors).isEmpty();
        assertThat(channel.finishAndReleaseAll()).isFalse();
        alloc.assertAllReleased();
    }

    /** Format 0 on {@code csid}: timestamp 0, length 1, type 20, message stream 0, then the one payload byte. */
    private static byte[] command(int csid, byte payload) {
        return new byte[] {(byte) csid, 0, 0, 0, 0, 0, 1, 20, 0, 0, 0, 0, payload};
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static void releaseOutbound(EmbeddedChannel channel) {
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            buf.release();
        }
    }

    /** Stands where the ingest session is: closes the connection on the first message, like on a malformed command. */
    private static final class ClosingHandler extends ChannelInboundHandlerAdapter {
        final List<String> payloads = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        /** @param msg a {@link RawMessage}, released here */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            RawMessage message = (RawMessage) msg;
            try {
                payloads.add(message.payload().toString(StandardCharsets.US_ASCII));
            } finally {
                message.release();
            }
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }
}
