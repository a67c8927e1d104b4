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
import io.streamrepeater.status.DestinationEvent;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The supervision of one destination against a scripted peer: our own ingest session on a loopback port,
 * which accepts one stream key and refuses another with the peer's own status text.
 */
class DestinationSupervisionTest {
    private static final String ACCEPTED_KEY = "good-key";
    private static final String TAKEN_KEY = "taken-key";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EventLoopGroup group;
    private Channel listener;
    private final List<Channel> peerConnections = new CopyOnWriteArrayList<>();
    private StubChannel channel;
    private ChannelRelay relay;
    private EventLoop loop;
    private int port;
    /** Why each publish at the scripted peer ended, in order ("FCUnpublish" when cleanly, "disconnect" when dropped). */
    private final List<String> publishEnds = new CopyOnWriteArrayList<>();

    /** Accepts {@link #ACCEPTED_KEY} (and drops its media), refuses anything else as nginx-rtmp would. */
    private final PublishGate gate = (key, publisher) -> key.equals(ACCEPTED_KEY)
            ? new PublishDecision.Accepted(
                    new PublishSink() {
                        @Override
                        public void packet(MediaPacket packet) {
                            packet.release();
                        }

                        @Override
                        public void end(String reason) {
                            publishEnds.add(reason);
                        }
                    },
                    "scripted peer")
            : new PublishDecision.Rejected("NetStream.Publish.BadName", "Already publishing");

    @BeforeEach
    void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        listener = IngestPeer.listen(group, NioServerSocketChannel.class, gate, peerConnections, 0);
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        loop = group.next();
        channel = new StubChannel("show");
        relay = new ChannelRelay(
                channel,
                loop,
                new OutboundConnector(NioSocketChannel.class, null),
                PooledByteBufAllocator.DEFAULT,
                SupervisionSettings.defaults().withBackoffCapMs(2_000));
    }

    @AfterEach
    void stop() throws InterruptedException {
        relay.close();
        listener.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private RtmpUrl url(String key) {
        return RtmpUrl.parse("rtmp://127.0.0.1:" + port + "/live/" + key);
    }

    private List<DestinationEvent> events(String destination) {
        return relay.events().stream()
                .filter(e -> e.destination().equals(destination))
                .toList();
    }

    private List<DestinationState> states(String destination) {
        return events(destination).stream().map(DestinationEvent::to).toList();
    }

    private DestinationStatus status(String destination) {
        return relay.status().stream()
                .filter(s -> s.name().equals(destination))
                .findFirst()
                .orElseThrow();
    }

    private boolean watchdogRunning() throws Exception {
        return loop.submit(relay::watchdogRunning).get(5, TimeUnit.SECONDS);
    }

    /** Issue 22, idle CPU: a relay waiting for media wakes no thread; its first packet brings the watchdog back. */
    @Test
    void theWatchdogSleepsWhileNoMediaFlowsAndWakesWithTheNextPacket() throws Exception {
        relay.addDestination("d", url(ACCEPTED_KEY));
        await().atMost(WAIT).until(() -> status("d").state() == DestinationState.LIVE);
        await().atMost(WAIT).until(() -> !watchdogRunning());

        loop.submit(() -> {
                    MediaPacket p = MediaPacket.fromRtmp(
                            9,
                            0,
                            PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(new byte[] {0x17, 1, 0, 0, 0, 5}),
                            System.nanoTime());
                    try {
                        relay.packet(p);
                    } finally {
                        p.release();
                    }
                })
                .get(5, TimeUnit.SECONDS);
        assertThat(watchdogRunning())
                .as("running again from the first packet on")
                .isTrue();
        await().atMost(WAIT).until(() -> !watchdogRunning());
        assertThat(status("d").state()).isEqualTo(DestinationState.LIVE);
    }

    @Test
    void connectsGoesLiveAndRetriesWithTheReasonWhenThePeerDrops() {
        relay.addDestination("d", url(ACCEPTED_KEY));
        await().atMost(WAIT).until(() -> status("d").state() == DestinationState.LIVE);
        assertThat(states("d")).containsExactly(DestinationState.CONNECTING, DestinationState.LIVE);
        assertThat(events("d").get(0).reason()).startsWith("added; connecting to rtmp://127.0.0.1:" + port + "/live/");
        assertThat(events("d").get(1).from()).isEqualTo(DestinationState.CONNECTING);

        peerConnections.forEach(Channel::close);

        await().atMost(WAIT).until(() -> states("d").contains(DestinationState.RETRYING));
        DestinationEvent retrying = events("d").get(2);
        assertThat(retrying.from()).isEqualTo(DestinationState.LIVE);
        assertThat(retrying.to()).isEqualTo(DestinationState.RETRYING);
        assertThat(retrying.reason())
                .startsWith("closed: connection closed by the peer; from rtmp://127.0.0.1:" + port)
                .containsPattern("retry in \\d+ ms$")
                .doesNotContain(ACCEPTED_KEY);
        assertThat(status("d").lastError()).isEqualTo("closed: connection closed by the peer");

        await().atMost(WAIT).until(() -> states("d").size() >= 5);
        assertThat(states("d"))
                .containsExactly(
                        DestinationState.CONNECTING,
                        DestinationState.LIVE,
                        DestinationState.RETRYING,
                        DestinationState.CONNECTING,
                        DestinationState.LIVE);
        assertThat(events("d").get(3).reason()).startsWith("retry 1; connecting to");
        assertThat(status("d").reconnects()).isEqualTo(1);
        assertThat(status("d").nextAttemptAt()).isNull();
        assertThat(channel.events)
                .as("every destination event joins the channel's own events")
                .isEqualTo(relay.events());
    }

    @Test
    void aRejectedPublishFailsWithThePeersTextAndWaitsTheLongPause() {
        Instant before = Instant.now();
        relay.addDestination("taken", url(TAKEN_KEY));

        await().atMost(WAIT).until(() -> status("taken").state() == DestinationState.FAILED);
        assertThat(states("taken")).containsExactly(DestinationState.CONNECTING, DestinationState.FAILED);
        DestinationEvent failed = events("taken").get(1);
        assertThat(failed.reason())
                .startsWith(
                        "publish-rejected: NetStream.Publish.BadName \"Already publishing\"; from rtmp://127.0.0.1:")
                .endsWith("retry in 60000 ms")
                .doesNotContain(TAKEN_KEY);
        DestinationStatus status = status("taken");
        assertThat(status.lastError()).isEqualTo("publish-rejected: NetStream.Publish.BadName \"Already publishing\"");
        assertThat(status.nextAttemptAt()).isAfterOrEqualTo(before.plusSeconds(60));
        assertThat(status.reconnects()).isEqualTo(1);
    }

    @Test
    void aDisabledDestinationClosesAndStaysDisabled() {
        relay.addDestination("d", url(ACCEPTED_KEY));
        await().atMost(WAIT).until(() -> status("d").state() == DestinationState.LIVE);

        assertThat(relay.disableDestination("d")).isTrue();

        await().atMost(WAIT).until(() -> status("d").state() == DestinationState.DISABLED);
        assertThat(states("d"))
                .containsExactly(DestinationState.CONNECTING, DestinationState.LIVE, DestinationState.DISABLED);
        assertThat(events("d").get(2).reason()).isEqualTo("disabled");
        await().atMost(WAIT).until(() -> peerConnections.stream().noneMatch(Channel::isActive));
        assertThat(status("d").reconnects()).isZero();
    }

    @Test
    void closingTheRelayUnpublishesALiveDestinationBeforeItsConnectionCloses() throws InterruptedException {
        relay.addDestination("d", url(ACCEPTED_KEY));
        relay.addDestination("idle", url(ACCEPTED_KEY + "-disabled-at-once"));
        relay.disableDestination("idle");
        await().atMost(WAIT).until(() -> status("d").state() == DestinationState.LIVE);

        assertThat(channel.attached()).isTrue();
        io.netty.util.concurrent.Future<Void> closed = relay.close();

        assertThat(channel.attached())
                .as("the relay no longer takes the channel's packets")
                .isFalse();

        assertThat(closed.await(WAIT.toMillis())).as("every connection closed").isTrue();
        assertThat(closed.isSuccess()).isTrue();
        await().atMost(WAIT).until(() -> peerConnections.stream().noneMatch(Channel::isActive));
        assertThat(publishEnds)
                .as("the peer saw FCUnpublish before the connection went")
                .containsExactly("FCUnpublish");
        assertThat(relay.status()).isEmpty();
    }
}
