package io.streamrepeater.app.cluster;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.streamrepeater.rtmp.limits.IngestLimitEvents;
import io.streamrepeater.rtmp.pipeline.IngestChannelInitializer;
import io.streamrepeater.rtmp.session.PublishGate;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster port: RTMP from the other nodes of the cluster, which forward their local inputs to this node when it
 * owns the channel. The same ingest pipeline as the encoders' ({@link IngestChannelInitializer}), with handshake and
 * publish deadlines, behind a {@link ClusterLinkGate}. Closing it closes every link, and each forwarded input goes
 * down as when an encoder leaves.
 */
public final class ClusterLinkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLinkListener.class);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private final Channel listener;
    private final InetSocketAddress address;
    private final ChannelGroup links;
    private final IngestLimitEvents limitEvents;

    private ClusterLinkListener(Channel listener, ChannelGroup links, IngestLimitEvents limitEvents) {
        this.listener = listener;
        this.address = (InetSocketAddress) listener.localAddress();
        this.links = links;
        this.limitEvents = limitEvents;
    }

    /**
     * Binds the cluster port.
     *
     * @param epoll whether the groups are epoll groups (else NIO): an accepted link moves to its channel's loop, which
     *     must be of the same transport
     * @param host the address to listen on (the node's {@code server.cluster.address}, or a wildcard)
     * @param port the cluster port; 0 picks a free one ({@link #port()})
     * @throws IllegalStateException if the port cannot be bound (the message names host and port)
     */
    public static ClusterLinkListener bind(
            EventLoopGroup boss, EventLoopGroup workers, boolean epoll, String host, int port, PublishGate gate) {
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ChannelGroup links = new DefaultChannelGroup("cluster-links", GlobalEventExecutor.INSTANCE);
        IngestLimitEvents events = IngestLimitEvents.onSystemClock();
        IngestChannelInitializer pipeline = IngestChannelInitializer.builder(HANDSHAKE_TIMEOUT.plusSeconds(1), gate)
                .onAccept(links::add)
                .deadlines(HANDSHAKE_TIMEOUT, PUBLISH_TIMEOUT, events)
                .build();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(type)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(pipeline);
        Channel listener;
        try {
            listener = b.bind(host, port).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot listen for the cluster link on " + host + ":" + port + " (server.cluster.clusterPort): "
                            + e.getMessage(),
                    e);
        }
        ClusterLinkListener l = new ClusterLinkListener(listener, links, events);
        LOG.info("event=cluster-link-listening address={} port={}", host, l.port());
        return l;
    }

    /** The bound port. */
    public int port() {
        return address().getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Open links now (accepted connections, publishing or not). */
    public int links() {
        return links.size();
    }

    /** Links closed by a deadline (handshake, publish) since the start. */
    public long deadlineHits() {
        return limitEvents.countsByLabel().values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Stops accepting and closes every link; each forwarded input ends as on a disconnect. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        links.close().awaitUninterruptibly(Duration.ofSeconds(5).toMillis());
        LOG.info("event=cluster-link-closed port={}", port());
    }
}
