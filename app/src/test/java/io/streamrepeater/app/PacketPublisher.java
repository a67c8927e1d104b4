package io.streamrepeater.app;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.session.PublishListener;
import io.streamrepeater.rtmp.session.RtmpUrl;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An RTMP publisher for media ffmpeg 5.1 cannot publish (Enhanced RTMP): the project's own client session over a real
 * TCP connection, announcing {@code fourCcList} in {@code connect}, then sending the given packets at their own pace
 * (each at its DTS from the first). The packets stay the caller's.
 */
final class PacketPublisher implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final CompletableFuture<Integer> sent = new CompletableFuture<>();
    private volatile Channel channel;

    private PacketPublisher() {}

    /** Connects to {@code url} and publishes {@code packets} once live. */
    static PacketPublisher start(String url, List<MediaPacket> packets, List<String> fourCcList) {
        PacketPublisher p = new PacketPublisher();
        OutboundConnector connector = new OutboundConnector(NioSocketChannel.class, null);
        long first = packets.get(0).dts();
        connector.connect(
                p.group.next(),
                RtmpUrl.parse(url),
                0,
                new PublishListener() {
                    @Override
                    public void live(Channel channel, int messageStreamId) {
                        p.channel = channel;
                        int[] left = {packets.size()};
                        for (MediaPacket m : packets) {
                            channel.eventLoop()
                                    .schedule(
                                            () -> {
                                                channel.writeAndFlush(new RawMessage(
                                                        chunkStream(m),
                                                        m.rtmpTypeId(),
                                                        m.dts(),
                                                        messageStreamId,
                                                        m.payload().retainedDuplicate()));
                                                if (--left[0] == 0) {
                                                    p.sent.complete(packets.size());
                                                }
                                            },
                                            Math.max(0, m.dts() - first),
                                            TimeUnit.MILLISECONDS);
                        }
                    }

                    @Override
                    public void rejected(String statusCode, String description) {
                        p.sent.completeExceptionally(new IllegalStateException(statusCode + " " + description));
                    }

                    @Override
                    public void failed(Throwable cause) {
                        p.sent.completeExceptionally(cause);
                    }
                },
                fourCcList);
        return p;
    }

    /** Completes with the number of packets written once the last one is. */
    CompletableFuture<Integer> sent() {
        return sent;
    }

    private static int chunkStream(MediaPacket m) {
        return switch (m.kind()) {
            case AUDIO -> 4;
            case VIDEO -> 6;
            default -> 5;
        };
    }

    @Override
    public void close() {
        Channel c = channel;
        if (c != null) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
