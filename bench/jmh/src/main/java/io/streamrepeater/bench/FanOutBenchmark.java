package io.streamrepeater.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.RawMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The fan-out write as ChannelRelay does it: encode each message once, then write a retained
 * duplicate of the same bytes to every destination connection (here embedded channels, so the
 * figure is the relay's own cost without the kernel). Compared with encoding per destination.
 */
@State(Scope.Thread)
public class FanOutBenchmark {
    @Param({"1", "10", "40"})
    int destinations;

    private RawMessage message;
    private EmbeddedChannel[] outs;

    @Setup(Level.Trial)
    public void setUp() {
        message = new RawMessage(
                6,
                9,
                1000,
                1,
                PooledByteBufAllocator.DEFAULT.directBuffer(10_000).writeZero(10_000));
        outs = new EmbeddedChannel[destinations];
        for (int i = 0; i < destinations; i++) {
            outs[i] = new EmbeddedChannel();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        message.release();
        for (EmbeddedChannel ch : outs) {
            ch.finishAndReleaseAll();
        }
    }

    @Benchmark
    public void encodeOnceWriteMany() {
        ByteBuf encoded = ChunkEncoder.encodeStandalone(message, 4096, PooledByteBufAllocator.DEFAULT);
        try {
            for (EmbeddedChannel ch : outs) {
                ch.writeOutbound(encoded.retainedDuplicate());
            }
        } finally {
            encoded.release();
        }
        drain();
    }

    @Benchmark
    public void encodePerDestination() {
        for (EmbeddedChannel ch : outs) {
            ch.writeOutbound(ChunkEncoder.encodeStandalone(message, 4096, PooledByteBufAllocator.DEFAULT));
        }
        drain();
    }

    private void drain() {
        for (EmbeddedChannel ch : outs) {
            for (Object o; (o = ch.readOutbound()) != null; ) {
                ReferenceCountUtil.release(o);
            }
        }
    }
}
