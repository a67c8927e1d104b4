package io.streamrepeater.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The relay's per-packet encode as ChannelRelay makes it: one {@link EncodedMessage} per packet, held by every
 * destination until the end of the loop's turn and gathered into its {@code iovec} array, then released. The
 * kernel's part (the {@code writev}) is left out: this is the Java cost per packet.
 */
@State(Scope.Thread)
public class RelayEncodeBenchmark {
    /** An audio frame, a 1.5 Mb/s video frame at 30 fps, a keyframe over several 4096-byte chunks. */
    @Param({"400", "6000", "60000"})
    int payloadBytes;

    @Param({"4"})
    int destinations;

    private ByteBuf content;
    private long timestamp;

    @Setup(Level.Trial)
    public void setUp() {
        if (!GatherBuffers.SUPPORTED) {
            throw new IllegalStateException("gathering writes need native epoll (Linux x86_64)");
        }
        content = PooledByteBufAllocator.DEFAULT.directBuffer(payloadBytes).writeZero(payloadBytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        content.release();
    }

    @Benchmark
    public int encodeHoldGatherRelease() {
        EncodedMessage m = EncodedMessage.encode(
                6, 9, timestamp += 33, 1, content, OutboundConnector.CHUNK_SIZE, PooledByteBufAllocator.DEFAULT);
        int entries = 0;
        try {
            for (int d = 0; d < destinations; d++) {
                m.retain();
                GatherBuffers iov = GatherBuffers.get();
                m.addTo(iov);
                entries += iov.count();
            }
        } finally {
            for (int d = 0; d < destinations; d++) {
                m.release();
            }
            m.release();
        }
        return entries;
    }
}
