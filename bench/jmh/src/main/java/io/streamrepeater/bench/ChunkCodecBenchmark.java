package io.streamrepeater.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.RawMessage;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The chunk layer on the hot path: encoding one video message into chunks (done once per channel
 * and message) and decoding an ingest stream of such messages.
 */
@State(Scope.Thread)
public class ChunkCodecBenchmark {
    @Param({"4096", "65536"})
    int chunkSize;

    /** A 2.5 Mbit/s, 30 fps stream carries about 10 KB per video frame; a keyframe several times that. */
    @Param({"10000", "60000"})
    int messageBytes;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private RawMessage message;
    private ByteBuf encodedStream;
    private EmbeddedChannel decoder;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] body = new byte[messageBytes];
        ThreadLocalRandom.current().nextBytes(body);
        message = new RawMessage(6, 9, 1000, 1, alloc.directBuffer(messageBytes).writeBytes(body));
        // what an encoder would send: a SetChunkSize then many messages, encoded by our own encoder
        EmbeddedChannel enc = new EmbeddedChannel(new ChunkEncoder());
        enc.writeOutbound(new io.streamrepeater.rtmp.message.SetChunkSize(chunkSize).toRaw(alloc, 0));
        ByteBuf all = alloc.directBuffer();
        for (int i = 0; i < 30; i++) {
            enc.writeOutbound(
                    new RawMessage(6, 9, 1000 + i * 33L, 1, message.payload().retainedDuplicate()));
        }
        for (ByteBuf b; (b = enc.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        enc.finishAndReleaseAll();
        encodedStream = all;
        decoder = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULT));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        message.release();
        encodedStream.release();
        decoder.finishAndReleaseAll();
    }

    /** Encode once for fan-out: a composite of header slices and retained payload slices (no payload copy). */
    @Benchmark
    public int encodeStandalone() {
        ByteBuf encoded = ChunkEncoder.encodeStandalone(message, chunkSize, alloc);
        int n = encoded.readableBytes();
        encoded.release();
        return n;
    }

    /** Decode one second of a 30 fps ingest stream (30 messages) as it arrives from the socket. */
    @Benchmark
    public int decodeOneSecondOfVideo() {
        decoder.writeInbound(encodedStream.retainedDuplicate());
        int n = 0;
        for (Object m; (m = decoder.readInbound()) != null; ) {
            n++;
            ReferenceCountUtil.release(m);
        }
        return n;
    }
}
