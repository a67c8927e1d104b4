package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.streamrepeater.app.cluster.ClusterLinkGate;
import io.streamrepeater.app.cluster.ClusterLinkListener;
import io.streamrepeater.app.cluster.ForwardingMetrics;
import io.streamrepeater.app.cluster.InputForwarder;
import io.streamrepeater.app.cluster.LinkKey;
import io.streamrepeater.app.cluster.LinkStreamName;
import io.streamrepeater.control.store.SecretKeyFile;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.testkit.CapturedLogs;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster link between two servers in one JVM (issue 19): node "b" has the backup encoder and forwards that input
 * to node "a", the channel's owner, whose destination is a real nginx-rtmp. Both nodes run the same channel and share
 * one secret key file, from which each derives the link key on its own. Leases are not part of this: which node owns
 * the channel is decided by the test.
 */
class ClusterForwardEndToEndTest {
    private static final boolean EPOLL = Epoll.isAvailable();
    private static final String CHANNEL = """
              - name: show
                inputs:
                  - { name: primary, key: "primary-key-123" }
                  - { name: backup, key: "backup-key-456" }
            """;

    /** The owner's cluster port runs on a group of the test, of the servers' transport (links move to a's loops). */
    private final EventLoopGroup linkGroup =
            new MultiThreadIoEventLoopGroup(1, EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());

    @AfterEach
    void stopGroup() {
        linkGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Starts node a, then node b with a copy of a's secret key file (as the README asks of every node). */
    private static RunningServer[] twoNodes(Path tmp, String destinationsOfA) throws Exception {
        RunningServer a = RunningServer.start(
                tmp.resolve("a"),
                "server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }\nchannels:\n" + CHANNEL + destinationsOfA,
                null);
        Path bData = tmp.resolve("b").resolve("data");
        Files.createDirectories(bData);
        Files.copy(
                tmp.resolve("a/data").resolve(SecretKeyFile.FILE_NAME),
                bData.resolve(SecretKeyFile.FILE_NAME),
                StandardCopyOption.COPY_ATTRIBUTES);
        RunningServer b;
        try {
            b = RunningServer.start(
                    tmp.resolve("b"),
                    "server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }\nchannels:\n" + CHANNEL,
                    null);
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        return new RunningServer[] {a, b};
    }

    private static LinkKey linkKeyOf(Path nodeDir) {
        return LinkKey.from(SecretKeyFile.load(nodeDir.resolve("data").resolve(SecretKeyFile.FILE_NAME)));
    }

    private ClusterLinkListener ownerListener(RunningServer owner, LinkKey key) {
        return ClusterLinkListener.bind(
                linkGroup,
                linkGroup,
                EPOLL,
                "127.0.0.1",
                0,
                new ClusterLinkGate(key, owner.server::channel, Clock.systemUTC()));
    }

    private static InputStatus input(RunningServer node, String name) {
        return node.channel("show").inputs().stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theBackupOnNodeBFeedsTheOwnersDestinationThroughTheLink(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), 60, "640x360", 30, "800k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("nginx"))) {
            RunningServer[] nodes = twoNodes(
                    tmp, "    destinations:\n      - { name: dest, url: \"" + dest.rtmpUrl("live", "show") + "\" }\n");
            try (RunningServer a = nodes[0];
                    RunningServer b = nodes[1];
                    ClusterLinkListener link = ownerListener(a, linkKeyOf(tmp.resolve("a")))) {
                a.awaitDestinationLive("show", "dest", Duration.ofSeconds(20));
                OutboundConnector connector =
                        new OutboundConnector(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class, null);
                InputForwarder forwarder = InputForwarder.start(
                                b.server.channel("show"),
                                "backup",
                                "b",
                                "127.0.0.1",
                                link.port(),
                                linkKeyOf(tmp.resolve("b")),
                                connector,
                                PooledByteBufAllocator.DEFAULT,
                                InputForwarder.LINK_SETTINGS,
                                Clock.systemUTC())
                        .get(5, TimeUnit.SECONDS);
                // no encoder on b's backup yet: the link waits, closed
                assertThat(forwarder.status().state()).isEqualTo(DestinationState.DISABLED);
                ForwardingMetrics metrics = new ForwardingMetrics();
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                metrics.bindTo(registry);
                metrics.add(forwarder);

                try (FfmpegPublisher backup = FfmpegPublisher.start(media, b.ingestUrl("backup-key-456"))) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> input(a, "backup").state() == InputState.ACTIVE);
                    InputStatus forwarded = input(a, "backup");
                    assertThat(forwarded.node()).isEqualTo("b");
                    assertThat(forwarded.transport()).isEqualTo(ClusterLinkGate.TRANSPORT);
                    assertThat(input(a, "primary").state()).isEqualTo(InputState.DOWN);
                    assertThat(input(b, "backup").node())
                            .as("on b the encoder is local")
                            .isNull();
                    assertThat(input(b, "backup").transport()).isEqualTo("rtmp");

                    a.awaitPacketsSent("show", "dest", 300, Duration.ofSeconds(30));
                    assertThat(forwarder.status().state()).isEqualTo(DestinationState.LIVE);
                    assertThat(forwarder.status().reconnects()).isZero();
                    assertThat(a.destination("show", "dest").reconnects()).isZero();
                    assertThat(registry.get(ForwardingMetrics.FORWARDED_INPUTS)
                                    .gauge()
                                    .value())
                            .isEqualTo(1.0);
                    assertThat(registry.get(ForwardingMetrics.FORWARDED_BYTES)
                                    .functionCounter()
                                    .count())
                            .isGreaterThan(100_000);

                    forwarder.stop().get(5, TimeUnit.SECONDS);
                    long bytes = forwarder.status().bytesSent();
                    metrics.remove(forwarder);
                    assertThat(registry.get(ForwardingMetrics.FORWARDED_INPUTS)
                                    .gauge()
                                    .value())
                            .isZero();
                    assertThat(registry.get(ForwardingMetrics.FORWARDED_BYTES)
                                    .functionCounter()
                                    .count())
                            .isEqualTo((double) bytes);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> input(a, "backup").state() == InputState.DOWN);
                    assertThat(input(a, "backup").remoteAddress())
                            .as("no publisher left on a")
                            .isNull();
                    assertThat(input(a, "backup").node()).isNull();
                    assertThat(input(b, "backup").state())
                            .as("b's own input is untouched")
                            .isEqualTo(InputState.ACTIVE);
                    assertThat(backup.isAlive()).isTrue();
                }
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            dest.publishSessions().stream().anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
            assertThat(dest.recordings())
                    .as("one publish session, one recording")
                    .hasSize(1);
            MediaReport got = Ffprobe.analyze(dest.recordings().get(0));
            assertThat(got.decodeErrorLines()).as("decode errors").isEmpty();
            assertThat(got.videoDtsMonotonic()).isTrue();
            assertThat(got.audioDtsMonotonic()).isTrue();
            assertThat(got.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(got.videoPackets()).as("the backup's video, forwarded").isGreaterThanOrEqualTo(100);
            assertThat(got.width()).isEqualTo(640);
            assertThat(got.height()).isEqualTo(360);
        }
    }

    @Test
    void theEncoderLeavingNodeBEndsTheForwardedInputOnTheOwnerAndItsReturnOpensItAgain(@TempDir Path tmp)
            throws Exception {
        Path media = ClusterNodes.primaryMedia();
        RunningServer[] nodes = twoNodes(tmp, "");
        try (RunningServer a = nodes[0];
                RunningServer b = nodes[1];
                ClusterLinkListener link = ownerListener(a, linkKeyOf(tmp.resolve("a")))) {
            InputForwarder forwarder = InputForwarder.start(
                            b.server.channel("show"),
                            "backup",
                            "b",
                            "127.0.0.1",
                            link.port(),
                            linkKeyOf(tmp.resolve("b")),
                            new OutboundConnector(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class, null),
                            PooledByteBufAllocator.DEFAULT,
                            InputForwarder.LINK_SETTINGS,
                            Clock.systemUTC())
                    .get(5, TimeUnit.SECONDS);
            try {
                for (int session = 1; session <= 2; session++) {
                    try (FfmpegPublisher backup = FfmpegPublisher.start(media, b.ingestUrl("backup-key-456"))) {
                        await().atMost(Duration.ofSeconds(20))
                                .until(() -> input(a, "backup").state() == InputState.ACTIVE);
                        assertThat(input(a, "backup").node()).isEqualTo("b");
                    }
                    // the encoder left b: the link is unpublished at once, not after a's inputLossMs of silence
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> input(a, "backup").state() == InputState.DOWN);
                    assertThat(input(a, "backup").remoteAddress()).isNull();
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> forwarder.status().state() == DestinationState.DISABLED);
                }
                assertThat(link.links()).as("no link left open on the owner").isZero();
            } finally {
                forwarder.stop().get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aForgedOrExpiredLinkNameIsRefusedAndOpensNothing(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(2), 60, "320x180", 30, "300k");
        RunningServer[] nodes = twoNodes(tmp, "");
        LinkKey key = linkKeyOf(tmp.resolve("a"));
        byte[] otherBytes = new byte[32];
        otherBytes[0] = 1;
        long now = Clock.systemUTC().instant().getEpochSecond();
        try (RunningServer a = nodes[0];
                RunningServer b = nodes[1];
                ClusterLinkListener link = ownerListener(a, key);
                CapturedLogs logs = CapturedLogs.of(ClusterLinkGate.class)) {
            String expired = new LinkStreamName("show", "backup", "b", now - 5).sign(key);
            String forged =
                    LinkStreamName.startingAt("show", "backup", "b", now).sign(LinkKey.of(otherBytes));
            String inputKey = "backup-key-456"; // an input's key is no link name
            for (String name : new String[] {expired, forged, inputKey}) {
                try (FfmpegPublisher attempt = FfmpegPublisher.startOnce(
                        media, "rtmp://127.0.0.1:" + link.port() + "/" + LinkStreamName.APP + "/" + name)) {
                    assertThat(attempt.waitFor(Duration.ofSeconds(20)))
                            .as("ffmpeg refused; log:\n%s", attempt.log())
                            .isPresent()
                            .get()
                            .isNotEqualTo(0);
                }
            }
            assertThat(a.channel("show").inputs())
                    .as("nothing opened on the owner")
                    .allSatisfy(i -> {
                        assertThat(i.remoteAddress()).isNull();
                        assertThat(i.packets()).isZero();
                    });
            assertThat(logs.linesWith("event=cluster-link-refused"))
                    .as("logged once for the address, at its first refusal")
                    .hasSize(1)
                    .first()
                    .asString()
                    .contains("remote=127.0.0.1")
                    .contains("expired");
            String all = String.join("\n", logs.lines());
            assertThat(all).doesNotContain(expired.substring(expired.lastIndexOf('.') + 1));
            assertThat(all).doesNotContain(forged.substring(forged.lastIndexOf('.') + 1));
            assertThat(all).doesNotContain(inputKey);
        }
    }
}
