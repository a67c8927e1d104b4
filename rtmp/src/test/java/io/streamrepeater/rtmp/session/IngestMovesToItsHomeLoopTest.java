package io.streamrepeater.rtmp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.pipeline.IngestChannelInitializer;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.TestMedia;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An accepted publish whose decision names a home loop moves its connection there: ffmpeg publishes a short clip to
 * a server with two event loops, the gate names the loop the connection is not on, and every frame must arrive, in
 * order, the ones after the move on the home loop's thread, with no frame from the old thread after them.
 */
class IngestMovesToItsHomeLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** @param frame a coded frame: not a sequence header, not the AVC end-of-sequence ffmpeg sends last */
    private record Delivery(MediaKind kind, long dts, boolean frame, Thread thread) {}

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void everyFrameArrivesInOrderAndTheConnectionEndsUpOnItsHomeLoop(String transport) throws Exception {
        IoHandlerFactory io = transport.equals("epoll") ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverType =
                transport.equals("epoll") ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, io);
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        List<String> ends = new CopyOnWriteArrayList<>();
        AtomicReference<EventLoop> home = new AtomicReference<>();
        AtomicReference<Channel> connection = new AtomicReference<>();
        Path clip;
        PublishGate gate = (key, publisher) -> {
            EventLoop other = null;
            for (var e : group) {
                if (!e.inEventLoop()) {
                    other = (EventLoop) e;
                }
            }
            home.set(other);
            return new PublishDecision.Accepted(
                    new PublishSink() {
                        @Override
                        public void packet(MediaPacket p) {
                            try {
                                boolean endOfSequence = p.kind() == MediaKind.VIDEO
                                        && p.content().getByte(1) == 2;
                                deliveries.add(new Delivery(
                                        p.kind(),
                                        p.dts(),
                                        !p.sequenceHeader() && !endOfSequence,
                                        Thread.currentThread()));
                            } finally {
                                p.release();
                            }
                        }

                        @Override
                        public void end(String reason) {
                            ends.add(reason);
                        }
                    },
                    "show/primary",
                    other);
        };
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(serverType)
                    .childHandler(IngestChannelInitializer.builder(Duration.ofSeconds(5), gate)
                            .onAccept(connection::set)
                            .build())
                    .bind("127.0.0.1", 0)
                    .sync()
                    .channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            clip = TestMedia.h264Aac(Duration.ofSeconds(3), 30, "320x240", 30, "300k");

            FfmpegPublisher ffmpeg = FfmpegPublisher.startOnce(clip, "rtmp://127.0.0.1:" + port + "/live/key");
            try {
                await().atMost(WAIT).until(() -> !ends.isEmpty());
                // the connection was moved while it was still publishing
                assertThat(home.get()).isNotNull();
                assertThat(connection.get().eventLoop()).isSameAs(home.get());
            } finally {
                ffmpeg.close();
            }
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }

        MediaReport clipReport = Ffprobe.analyze(clip);
        assertThat(deliveries.stream()
                        .filter(d -> d.frame() && d.kind() == MediaKind.VIDEO)
                        .count())
                .as("every video frame of the clip")
                .isEqualTo(clipReport.videoPackets());
        assertThat(deliveries.stream()
                        .filter(d -> d.frame() && d.kind() == MediaKind.AUDIO)
                        .count())
                .as("every audio frame of the clip")
                .isEqualTo(clipReport.audioPackets());
        for (MediaKind kind : MediaKind.values()) {
            List<Long> dts = deliveries.stream()
                    .filter(d -> d.kind() == kind)
                    .map(Delivery::dts)
                    .toList();
            assertThat(dts).as("%s timestamps", kind).isSorted();
        }
        Thread homeThread = deliveries.get(deliveries.size() - 1).thread();
        int firstOnHome = 0;
        while (deliveries.get(firstOnHome).thread() != homeThread) {
            firstOnHome++;
        }
        assertThat(deliveries.subList(firstOnHome, deliveries.size()))
                .as("nothing from the old thread after the move")
                .allMatch(d -> d.thread() == homeThread);
        assertThat(deliveries.size() - firstOnHome)
                .as("most frames read on the home loop")
                .isGreaterThan(deliveries.size() / 2);
        assertThat(ends).containsExactly("FCUnpublish");
    }
}
