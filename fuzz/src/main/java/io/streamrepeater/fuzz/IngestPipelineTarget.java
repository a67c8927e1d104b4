package io.streamrepeater.fuzz;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.chunk.ChunkException;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.message.MalformedMessageException;
import io.streamrepeater.rtmp.message.MessageCodec;
import io.streamrepeater.rtmp.message.MessageType;
import io.streamrepeater.rtmp.pipeline.IngestChannelInitializer;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishSink;
import io.streamrepeater.testkit.Mutations;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The ingest pipeline of the server (handshake, chunk encoder and decoder, ingest session accepting any key), fed
 * mutated and spliced captured sessions at random splits. A probe in front of the session decodes every message the
 * way the session does ({@link MessageCodec} for control and commands, {@link MediaPacket#fromRtmp} for media) and sees
 * every exception that travels up the pipeline. Documented failures: {@link ChunkException} and
 * {@link MalformedMessageException}; the session then closes the connection.
 */
final class IngestPipelineTarget implements FuzzTarget {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final List<byte[]> sessions;

    IngestPipelineTarget(SeedCorpus seeds) {
        this.sessions = seeds.sessions;
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public byte[] nextInput(Random random) {
        byte[] seed = sessions.get(random.nextInt(sessions.size()));
        byte[] donor = sessions.get(random.nextInt(sessions.size()));
        return Mutations.apply(seed, donor, random, 1 + random.nextInt(4));
    }

    @Override
    public Outcome run(byte[] input, long splitSeed, ByteBufAllocator alloc) throws Throwable {
        MessageProbe probe = new MessageProbe();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline()
                .addLast(IngestChannelInitializer.builder(
                                HANDSHAKE_TIMEOUT,
                                (key, publisher) -> new PublishDecision.Accepted(new ReleasingSink(), "fuzz"))
                        .beforeSession("probe", ch -> probe)
                        .build());
        try {
            RandomSplits.feed(channel, input, splitSeed, alloc);
            channel.checkException();
        } finally {
            channel.finishAndReleaseAll();
        }
        if (probe.unexpected != null) {
            throw probe.unexpected;
        }
        return probe.refused ? Outcome.REFUSED : Outcome.ACCEPTED;
    }

    /** Decodes each message as the session will, and classifies every exception on its way to the session. */
    private static final class MessageProbe extends ChannelInboundHandlerAdapter {
        boolean refused;
        Throwable unexpected;

        /** @param msg passed on unchanged; the session releases it */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof RawMessage raw) {
                try {
                    if (MessageType.isMedia(raw.typeId())) {
                        MediaPacket.fromRtmp(
                                        raw.typeId(),
                                        raw.timestamp(),
                                        raw.payload().retainedDuplicate())
                                .release();
                    } else {
                        MessageCodec.decode(raw);
                    }
                } catch (RuntimeException e) {
                    observe(e);
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            observe(cause);
            ctx.fireExceptionCaught(cause);
        }

        private void observe(Throwable cause) {
            if (cause instanceof ChunkException || cause instanceof MalformedMessageException) {
                refused = true;
            } else if (unexpected == null) {
                unexpected = cause;
            }
        }
    }

    /** Accepts the publish and drops the media. */
    private static final class ReleasingSink implements PublishSink {
        /** @param packet released here */
        @Override
        public void packet(MediaPacket packet) {
            packet.release();
        }

        @Override
        public void end(String reason) {}
    }
}
