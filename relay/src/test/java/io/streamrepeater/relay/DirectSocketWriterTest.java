package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.RawMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write side of a destination connection against a real loopback socket on the native transport, where what
 * happens depends on the kernel: a turn's messages leave in one {@code writev}; what the socket does not take goes
 * through Netty's queue behind it; while Netty still holds bytes, a turn goes behind them through the queue. The
 * peer is a bare socket that records every byte, and starts reading only when a test lets it.
 */
class DirectSocketWriterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Small socket buffers on both ends, so that a peer that does not read fills the path with little data. */
    private static final int SOCKET_BUFFER_BYTES = 16 * 1024;

    private EventLoopGroup group;
    private Channel server;
    private Channel client;
    private Channel peer;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final List<IOException> writeFailures = new CopyOnWriteArrayList<>();
    private DirectSocketWriter writer;
    private final SplittableRandom random = new SplittableRandom(23);

    @BeforeEach
    void connect() throws Exception {
        assertThat(Epoll.isAvailable()).as("native epoll (Linux)").isTrue();
        group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        server = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf bytes = (ByteBuf) msg;
                                try {
                                    synchronized (received) {
                                        bytes.readBytes(received, bytes.readableBytes());
                                    }
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                } finally {
                                    bytes.release();
                                }
                            }
                        });
                        accepted.complete(ch);
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        client = new Bootstrap()
                .group(group)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress())
                .sync()
                .channel();
        peer = accepted.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        writer = onLoop(() -> new DirectSocketWriter(client, latency, writeFailures::add));
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close().sync();
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        assertThat(writeFailures).isEmpty();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return client.eventLoop().submit(task).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** Payloads of video messages, random content. */
    private List<byte[]> messages(int count, int payloadBytes) {
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[payloadBytes];
            random.nextBytes(payload);
            list.add(payload);
        }
        return list;
    }

    private static final int CSID = 6;
    private static final int CHUNK_SIZE = 4096;

    /** The message as the relay encodes it: chunk headers around the payload, which stays where it is. */
    private static EncodedMessage encoded(byte[] payload, int index) {
        ByteBuf content =
                PooledByteBufAllocator.DEFAULT.directBuffer(payload.length).writeBytes(payload);
        try {
            return EncodedMessage.encode(CSID, 9, index * 33L, 1, content, CHUNK_SIZE, PooledByteBufAllocator.DEFAULT);
        } finally {
            content.release();
        }
    }

    /** One turn of the event loop as the relay makes it: every message written (and released by us), then a flush. */
    private void turn(DirectSocketWriter w, List<byte[]> messages) {
        for (int i = 0; i < messages.size(); i++) {
            EncodedMessage m = encoded(messages.get(i), i);
            try {
                w.write(m, System.nanoTime(), System.nanoTime());
            } finally {
                m.release();
            }
        }
        w.flush();
    }

    private void turnOnLoop(List<byte[]> messages) throws Exception {
        onLoop(() -> {
            turn(writer, messages);
            return null;
        });
    }

    /** What the messages are on the wire, encoded by the chunk encoder's composite path. */
    private static byte[] wire(List<byte[]> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < messages.size(); i++) {
            RawMessage raw = new RawMessage(CSID, 9, i * 33L, 1, Unpooled.wrappedBuffer(messages.get(i)));
            ByteBuf whole = ChunkEncoder.encodeStandalone(raw, CHUNK_SIZE, UnpooledByteBufAllocator.DEFAULT);
            try {
                out.writeBytes(ByteBufUtil.getBytes(whole));
            } finally {
                whole.release();
                raw.release();
            }
        }
        return out.toByteArray();
    }

    /** The expected bytes of several turns, each turn's messages numbered from 0 as {@link #turn} does. */
    @SafeVarargs
    private static byte[] wireOfTurns(List<byte[]>... turns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<byte[]> t : turns) {
            out.writeBytes(wire(t));
        }
        return out.toByteArray();
    }

    private void peerReads() {
        peer.config().setAutoRead(true);
    }

    private void assertPeerReceived(byte[] expected) throws Exception {
        await().atMost(WAIT).until(() -> received().length >= expected.length);
        assertThat(received()).as("every byte, in order").isEqualTo(expected);
        await().atMost(WAIT).until(() -> onLoop(writer::pendingBytes) == 0);
        assertThat(writer.pendingBytesSnapshot()).isZero();
    }

    @Test
    void aTurnsMessagesLeaveInOneGatheringWriteStraightToTheSocket() throws Exception {
        List<byte[]> turn = messages(5, 700);
        assertThat(onLoop(writer::direct)).isTrue();

        turnOnLoop(turn);

        assertThat(onLoop(writer::gatheredWrites)).as("one writev for the turn").isEqualTo(1);
        assertThat(onLoop(writer::peakBytes)).as("nothing went through Netty").isZero();
        assertThat(latency.snapshot().count())
                .as("a latency sample per message")
                .isEqualTo(5);
        peerReads();
        assertPeerReceived(wire(turn));
    }

    @Test
    void whatTheSocketDoesNotTakeGoesOutLaterThroughNettyInOrder() throws Exception {
        // 2 MB against a peer that does not read: far more than both socket buffers together
        List<byte[]> turn = messages(16, 128 * 1024);
        long total = wire(turn).length;

        turnOnLoop(turn);

        assertThat(onLoop(writer::gatheredWrites)).isEqualTo(1);
        long queued = onLoop(writer::pendingBytes);
        assertThat(queued)
                .as("the socket took part of the write, the rest waits in Netty's queue")
                .isBetween(1L, total - 1);
        assertThat(writer.pendingBytesSnapshot()).isEqualTo(queued);
        peerReads();
        assertPeerReceived(wire(turn));
        assertThat(latency.snapshot().count())
                .as("a latency sample per message, written directly or completed by Netty")
                .isEqualTo(16);
    }

    @Test
    void whileNettyHoldsBytesATurnGoesBehindThemThroughTheQueueThenDirectWritesResume() throws Exception {
        List<byte[]> first = messages(16, 128 * 1024);
        turnOnLoop(first);
        long queuedAfterFirst = onLoop(writer::pendingBytes);
        assertThat(queuedAfterFirst).isPositive();

        List<byte[]> second = messages(3, 500);
        turnOnLoop(second);

        assertThat(onLoop(writer::gatheredWrites))
                .as("no direct write while Netty still has bytes queued")
                .isEqualTo(1);
        assertThat(onLoop(writer::pendingBytes))
                .as("the whole second turn queued behind the first")
                .isEqualTo(queuedAfterFirst + wire(second).length);
        peerReads();
        assertPeerReceived(wireOfTurns(first, second));

        List<byte[]> third = messages(2, 300);
        turnOnLoop(third);

        assertThat(onLoop(writer::gatheredWrites))
                .as("direct again once the queue drained")
                .isEqualTo(2);
        assertPeerReceived(wireOfTurns(first, second, third));
    }

    @Test
    void aChannelThatIsNotANativeSocketGetsEverythingThroughNetty() {
        EmbeddedChannel embedded = new EmbeddedChannel();
        DirectSocketWriter w = new DirectSocketWriter(embedded, latency, writeFailures::add);
        List<byte[]> turn = messages(3, 200);

        turn(w, turn);

        assertThat(w.direct()).isFalse();
        assertThat(w.gatheredWrites()).isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = embedded.readOutbound()) != null; ) {
            try {
                out.writeBytes(ByteBufUtil.getBytes(b));
            } finally {
                b.release();
            }
        }
        assertThat(out.toByteArray()).isEqualTo(wire(turn));
        assertThat(w.pendingBytes()).as("every write completed").isZero();
        assertThat(w.peakBytes()).isEqualTo(wire(turn).length);
        assertThat(embedded.finish()).isFalse();
    }
}
