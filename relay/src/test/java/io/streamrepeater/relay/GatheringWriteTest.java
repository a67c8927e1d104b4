package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishGate;
import io.streamrepeater.rtmp.session.PublishSink;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gathering write of a plain TCP destination on the native transport: a turn's messages go straight to the
 * socket in one {@code writev}, and what the socket does not take goes through Netty behind it. The peer is our
 * own ingest session on loopback, which decodes what arrived; every packet must arrive whole and in order.
 */
class GatheringWriteTest {
    private static final String KEY = "gather-key";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EventLoopGroup group;
    private Channel listener;
    private final List<Channel> peerConnections = new CopyOnWriteArrayList<>();
    /** What the peer decoded: type, timestamp and payload of each packet, in arrival order. */
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private EventLoop loop;
    private StubChannel channel;
    private ChannelRelay relay;
    private int port;

    private record Received(int type, long dts, byte[] payload) {}

    private final PublishGate gate = (key, publisher) -> key.equals(KEY)
            ? new PublishDecision.Accepted(
                    new PublishSink() {
                        @Override
                        public void packet(MediaPacket packet) {
                            try {
                                received.add(new Received(
                                        packet.rtmpTypeId(), packet.dts(), ByteBufUtil.getBytes(packet.content())));
                            } finally {
                                packet.release();
                            }
                        }

                        @Override
                        public void end(String reason) {}
                    },
                    "test peer")
            : new PublishDecision.Rejected("NetStream.Publish.BadName", "unknown");

    @BeforeEach
    void start() throws InterruptedException {
        assertThat(Epoll.isAvailable()).as("native epoll (Linux)").isTrue();
        group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        // a small receive buffer, so that a peer that stops reading fills the path quickly
        listener = IngestPeer.listen(group, EpollServerSocketChannel.class, gate, peerConnections, 32 * 1024);
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        loop = group.next();
        channel = new StubChannel("show");
        relay = new ChannelRelay(
                channel,
                loop,
                new OutboundConnector(EpollSocketChannel.class, null),
                PooledByteBufAllocator.DEFAULT,
                SupervisionSettings.defaults());
        relay.addDestination("d", RtmpUrl.parse("rtmp://127.0.0.1:" + port + "/live/" + KEY));
        await().atMost(WAIT).until(() -> status().state() == DestinationState.LIVE);
    }

    @AfterEach
    void stop() throws InterruptedException {
        relay.close().await(5, TimeUnit.SECONDS);
        listener.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private DestinationStatus status() {
        return relay.status().get(0);
    }

    private long gatheredWrites() throws Exception {
        return loop.submit(() -> relay.destination("d").gatheredWrites()).get(5, TimeUnit.SECONDS);
    }

    /** A keyframe, then audio and video packets of random sizes (up to 150 KB: keyframes of several chunks) and random content. */
    private static List<Received> media(int count, long firstDts, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Received> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean video = i == 0 || random.nextInt(3) != 0;
            int size = video
                    ? (random.nextInt(20) == 0 ? 60_000 + random.nextInt(90_000) : 200 + random.nextInt(20_000))
                    : 10 + random.nextInt(600);
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            if (video) {
                payload[0] = (byte) (i == 0 ? 0x17 : 0x27); // a keyframe first (a destination starts on one), AVC
                payload[1] = 1; // NAL units
            } else {
                payload[0] = (byte) 0xAF; // AAC
                payload[1] = 1; // raw frame
            }
            list.add(new Received(video ? 9 : 8, firstDts + i * 10L, payload));
        }
        return list;
    }

    /** Hands the packets to the relay on its event loop, {@code perTurn} at a time (one task each). */
    private void send(List<Received> packets, int perTurn) throws Exception {
        for (int from = 0; from < packets.size(); from += perTurn) {
            List<Received> turn = packets.subList(from, Math.min(packets.size(), from + perTurn));
            loop.submit(() -> {
                        for (Received r : turn) {
                            MediaPacket p = MediaPacket.fromRtmp(
                                    r.type(),
                                    r.dts(),
                                    PooledByteBufAllocator.DEFAULT
                                            .directBuffer(r.payload().length)
                                            .writeBytes(r.payload()),
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
    }

    private void assertArrivedInOrder(List<Received> sent) {
        await().atMost(WAIT).until(() -> received.size() >= sent.size());
        assertThat(received).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Received got = received.get(i);
            Received want = sent.get(i);
            assertThat(got.type()).as("type of packet %d", i).isEqualTo(want.type());
            assertThat(got.dts()).as("timestamp of packet %d", i).isEqualTo(want.dts());
            assertThat(Arrays.equals(got.payload(), want.payload()))
                    .as("payload of packet %d (%d bytes)", i, want.payload().length)
                    .isTrue();
        }
    }

    @Test
    void everyPacketArrivesWholeAndInOrderThroughOneWritePerTurn() throws Exception {
        List<Received> sent = media(400, 1_000, 7);

        send(sent, 4);

        assertArrivedInOrder(sent);
        // one gathering write per turn of the loop (100 turns), not one per packet
        assertThat(gatheredWrites()).isBetween(1L, 100L);
        assertThat(status().packetsSent()).isEqualTo(400);
        assertThat(status().pendingBytes()).isZero();
    }

    @Test
    void aPeerThatStopsReadingGetsTheRestThroughTheQueueInOrderThenDirectWritesResume() throws Exception {
        List<Received> first = media(300, 1_000, 11);
        Channel peer = peerConnections.get(0);
        peer.config().setAutoRead(false);

        send(first, 3);

        // the socket could not take it all: the rest waits in the send queue, where the drop policy sees it
        await().atMost(WAIT).until(() -> status().pendingBytes() > 0);
        long directBefore = gatheredWrites();
        peer.config().setAutoRead(true);
        assertArrivedInOrder(first);
        await().atMost(WAIT).until(() -> status().pendingBytes() == 0);

        List<Received> second = media(60, 100_000, 13);
        send(second, 3);

        List<Received> all = new ArrayList<>(first);
        all.addAll(second);
        assertArrivedInOrder(all);
        assertThat(gatheredWrites()).as("direct writes once the queue drained").isGreaterThan(directBefore);
        assertThat(status().framesDropped()).isZero();
    }

    @Test
    void aTurnWithMorePartsThanOneWriteTakesSendsTheRestThroughTheQueueInOrder() throws Exception {
        // a keyframe, then 1,199 small audio packets in one turn: two parts each (chunk header, payload), so more
        // than the 1,024 entries of one writev
        List<Received> sent = new ArrayList<>(media(1, 1_000, 17));
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 1; i < 1_200; i++) {
            byte[] payload = new byte[2 + random.nextInt(300)];
            random.nextBytes(payload);
            payload[0] = (byte) 0xAF;
            payload[1] = 1;
            sent.add(new Received(8, 1_000 + i, payload));
        }
        long before = gatheredWrites();

        send(sent, sent.size());

        assertArrivedInOrder(sent);
        assertThat(gatheredWrites() - before)
                .as("one gathering write for the turn")
                .isEqualTo(1);
        assertThat(status().packetsSent()).isEqualTo(1_200);
        await().atMost(WAIT).until(() -> status().pendingBytes() == 0);
        assertThat(status().framesDropped()).isZero();
    }
}
