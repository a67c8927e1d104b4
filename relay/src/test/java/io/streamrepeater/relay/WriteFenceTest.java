package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishGate;
import io.streamrepeater.rtmp.session.PublishSink;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's write fence (cluster mode's lease) against a real RTMP peer: once the fence says no, every
 * destination connection is dropped without a goodbye, nothing more reaches the peer, and nothing reconnects. On
 * Netty's NIO transport, which also covers the relay's write path without the native one.
 */
class WriteFenceTest {
    private static final String KEY = "fenced-key";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EventLoopGroup group;
    private EventLoop loop;
    private Channel listener;
    private final List<Channel> peerConnections = new CopyOnWriteArrayList<>();
    private final AtomicInteger publishes = new AtomicInteger();
    private final AtomicInteger packetsAtPeer = new AtomicInteger();
    /** Why each publish at the peer ended ("FCUnpublish" when cleanly, "disconnect" when dropped). */
    private final List<String> publishEnds = new CopyOnWriteArrayList<>();

    private final AtomicBoolean mayWrite = new AtomicBoolean(true);
    private ChannelRelay relay;
    private int port;

    /** How many publishes the peer still refuses as a name in use (the previous owner's session still open). */
    private final AtomicInteger refusalsLeft = new AtomicInteger();

    private final PublishGate gate = (key, publisher) -> {
        if (refusalsLeft.getAndDecrement() > 0) {
            return new PublishDecision.Rejected("NetStream.Publish.BadName", "Already publishing");
        }
        publishes.incrementAndGet();
        return new PublishDecision.Accepted(
                new PublishSink() {
                    @Override
                    public void packet(MediaPacket packet) {
                        packetsAtPeer.incrementAndGet();
                        packet.release();
                    }

                    @Override
                    public void end(String reason) {
                        publishEnds.add(reason);
                    }
                },
                "peer");
    };

    @BeforeEach
    void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        listener = IngestPeer.listen(group, NioServerSocketChannel.class, gate, peerConnections, 0);
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        loop = group.next();
        relay = relayBehind(mayWrite::get);
    }

    private ChannelRelay relayBehind(WriteFence fence) {
        return new ChannelRelay(
                new StubChannel("show"),
                loop,
                new OutboundConnector(NioSocketChannel.class, null),
                PooledByteBufAllocator.DEFAULT,
                SupervisionSettings.defaults(),
                new LatencyHistogram(),
                fence);
    }

    @AfterEach
    void stop() throws InterruptedException {
        relay.close().await(5, TimeUnit.SECONDS);
        listener.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private DestinationStatus status(String destination) {
        return relay.status().stream()
                .filter(s -> s.name().equals(destination))
                .findFirst()
                .orElseThrow();
    }

    private void send(int count) throws Exception {
        loop.submit(() -> {
                    for (int i = 0; i < count; i++) {
                        // every one an AVC keyframe: the GOP policy never holds any back
                        MediaPacket p = MediaPacket.fromRtmp(
                                9,
                                1_000 + i * 40L,
                                PooledByteBufAllocator.DEFAULT
                                        .directBuffer(7)
                                        .writeBytes(new byte[] {0x17, 0x01, 0, 0, 0, 0x65, 1}),
                                System.nanoTime());
                        try {
                            relay.packet(p);
                        } finally {
                            p.release();
                        }
                    }
                })
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void aClosedFenceDropsTheConnectionWithoutAGoodbyeAndNothingMoreIsWritten() throws Exception {
        relay.addDestination("d", RtmpUrl.parse("rtmp://127.0.0.1:" + port + "/live/" + KEY));
        await().atMost(WAIT).until(() -> status("d").state() == DestinationState.LIVE);
        send(10);
        await().atMost(WAIT).until(() -> packetsAtPeer.get() == 10);

        mayWrite.set(false);
        send(10);

        await().atMost(WAIT).until(() -> publishEnds.size() == 1);
        assertThat(publishEnds).containsExactly("disconnect");
        assertThat(status("d").state()).isEqualTo(DestinationState.DISABLED);
        assertThat(relay.events().get(relay.events().size() - 1).reason()).startsWith("fenced");
        assertThat(packetsAtPeer.get()).isEqualTo(10);

        mayWrite.set(true); // even a fence that opens again does not bring a fenced relay back
        send(5);
        await().during(Duration.ofMillis(2_500))
                .atMost(Duration.ofSeconds(4))
                .until(() -> publishes.get() == 1 && status("d").state() == DestinationState.DISABLED);
        assertThat(publishes.get()).isEqualTo(1);
        assertThat(packetsAtPeer.get()).isEqualTo(10);
        assertThat(status("d").state()).isEqualTo(DestinationState.DISABLED);
    }

    /**
     * Just after a takeover the destination may still hold the previous owner's session: its refusal is retried with
     * the ordinary backoff (about a second), not after the long pause meant for a wrong key (60 s).
     */
    @Test
    void aRefusalJustAfterATakeoverIsRetriedSoon() {
        refusalsLeft.set(2);
        relay.addDestination("d", RtmpUrl.parse("rtmp://127.0.0.1:" + port + "/live/" + KEY));
        await().atMost(WAIT).until(() -> status("d").state() == DestinationState.LIVE);
        assertThat(relay.events().stream().map(e -> e.to()).toList())
                .containsExactly(
                        DestinationState.CONNECTING,
                        DestinationState.RETRYING,
                        DestinationState.CONNECTING,
                        DestinationState.RETRYING,
                        DestinationState.CONNECTING,
                        DestinationState.LIVE);
        assertThat(relay.events().get(1).reason())
                .contains("Already publishing")
                .contains("probably the previous session, still open there");
    }

    /**
     * A lease's fence runs out by its clock, not only when asked: with nothing to write (the node's encoders cut off
     * too) the relay still drops its connections at the deadline. Renewals move the deadline on and keep them.
     */
    @Test
    void aFenceRunningOutWhileNothingIsWrittenDropsTheConnectionsAtItsDeadline() throws Exception {
        relay.close().await(5, TimeUnit.SECONDS);
        long validNanos = TimeUnit.MILLISECONDS.toNanos(400);
        AtomicLong deadline = new AtomicLong(System.nanoTime() + validNanos);
        AtomicBoolean renewing = new AtomicBoolean(true);
        // a keeper renewing every 100 ms, each renewal valid for 400 ms
        var renewals = loop.scheduleAtFixedRate(
                () -> {
                    if (renewing.get()) {
                        deadline.set(System.nanoTime() + validNanos);
                    }
                },
                100,
                100,
                TimeUnit.MILLISECONDS);
        WriteFence lease = new WriteFence() {
            @Override
            public boolean mayWrite() {
                return System.nanoTime() - deadline.get() < 0;
            }

            @Override
            public long nanosLeft() {
                return deadline.get() - System.nanoTime();
            }
        };
        relay = relayBehind(lease);
        try {
            relay.addDestination("d", RtmpUrl.parse("rtmp://127.0.0.1:" + port + "/live/" + KEY));
            await().atMost(WAIT).until(() -> status("d").state() == DestinationState.LIVE);
            send(5);
            await().atMost(WAIT).until(() -> packetsAtPeer.get() == 5);
            // renewed: live well past several deadlines, with nothing written
            await().during(Duration.ofMillis(1_500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> status("d").state() == DestinationState.LIVE && publishEnds.isEmpty());

            renewing.set(false);
            await().atMost(WAIT).until(() -> publishEnds.size() == 1);
            assertThat(publishEnds).containsExactly("disconnect");
            assertThat(status("d").state()).isEqualTo(DestinationState.DISABLED);
            assertThat(relay.events().get(relay.events().size() - 1).reason()).startsWith("fenced");
            assertThat(packetsAtPeer.get()).isEqualTo(5);
            assertThat(publishes.get()).isEqualTo(1);
        } finally {
            renewals.cancel(false);
        }
    }

    @Test
    void aDestinationAddedBehindAClosedFenceNeverConnects() throws Exception {
        mayWrite.set(false);
        send(1);
        relay.addDestination("late", RtmpUrl.parse("rtmp://127.0.0.1:" + port + "/live/" + KEY));
        await().atMost(WAIT).until(() -> status("late").state() == DestinationState.DISABLED);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> peerConnections.isEmpty());
        assertThat(publishes.get()).isZero();
        assertThat(peerConnections).isEmpty();
    }
}
