package io.streamrepeater.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.streamrepeater.testkit.TrackingAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the chunk encoder and decoder in {@link EmbeddedChannel}s with a {@link TrackingAllocator}, and checks at
 * teardown that nothing is left in the channel and every buffer was released.
 */
final class ChunkChannels {
    private ChunkChannels() {}

    /** What a decoder made of some input. */
    static final class DecodeResult {
        final List<ExpectedMessage> messages = new ArrayList<>();
        final List<Long> acknowledgements = new ArrayList<>();
        DecoderException error;
    }

    /**
     * Feeds {@code pieces} one write each. A {@link DecoderException} is recorded (only one may ever happen: after it
     * the decoder must discard input); any other exception propagates and fails the test.
     */
    static DecodeResult decode(ChunkLimits limits, List<byte[]> pieces) {
        TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkDecoder(limits));
        DecodeResult result = new DecodeResult();
        try {
            for (byte[] piece : pieces) {
                try {
                    channel.writeInbound(alloc.copyOf(piece));
                } catch (DecoderException e) {
                    assertThat(result.error)
                            .as("a second error after %s", result.error)
                            .isNull();
                    result.error = e;
                }
                collect(channel, result);
            }
            assertThat(channel.finish()).as("messages left in the channel").isFalse();
        } finally {
            channel.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
        return result;
    }

    private static void collect(EmbeddedChannel channel, DecodeResult result) {
        for (RawMessage message; (message = channel.readInbound()) != null; ) {
            assertThat(message.refCnt()).isPositive();
            result.messages.add(ExpectedMessage.of(message));
            // The payload may share memory with other messages' slices; the allocator checks that all of it is freed.
            message.release();
        }
        for (RawMessage ack; (ack = channel.readOutbound()) != null; ) {
            try {
                assertThat(ack.chunkStreamId()).isEqualTo(2);
                assertThat(ack.typeId()).isEqualTo(3);
                assertThat(ack.messageStreamId()).isZero();
                result.acknowledgements.add(
                        ack.payload().getUnsignedInt(ack.payload().readerIndex()));
            } finally {
                ack.release();
            }
        }
    }

    /** Encodes {@code messages} in order through one {@link ChunkEncoder} and returns the bytes written. */
    static byte[] encode(List<ExpectedMessage> messages) {
        TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkEncoder());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try {
            for (ExpectedMessage m : messages) {
                RawMessage raw = new RawMessage(
                        m.chunkStreamId(), m.typeId(), m.timestamp(), m.messageStreamId(), alloc.copyOf(m.payload()));
                channel.writeOutbound(raw);
                for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
                    wire.writeBytes(ByteBufHex.drain(buf));
                }
                assertThat(raw.refCnt())
                        .as("encoder released the message, output released its slices")
                        .isZero();
            }
            assertThat(channel.finish()).as("buffers left in the channel").isFalse();
        } finally {
            channel.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
        return wire.toByteArray();
    }
}
