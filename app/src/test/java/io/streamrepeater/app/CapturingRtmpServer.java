package io.streamrepeater.app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.pipeline.IngestChannelInitializer;
import io.streamrepeater.rtmp.session.IngestSession;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishSink;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * A real RTMP destination for tests, built from our own lower layers (handshake, chunk codec, ingest session) on
 * 127.0.0.1: it accepts any stream key and records, per publish session, what every media packet it was sent looked
 * like ({@link CapturedPacket}), releasing the packets at once. Unlike a recording written by nginx-rtmp, which
 * starts with its cached codec headers and drops video until a keyframe, this shows the relay's own first packets.
 */
final class CapturingRtmpServer implements AutoCloseable {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final Channel listener;
    private final List<CapturedSession> sessions;

    private CapturingRtmpServer(EventLoopGroup group, Channel listener, List<CapturedSession> sessions) {
        this.group = group;
        this.listener = listener;
        this.sessions = sessions;
    }

    /** Listens on a free loopback port. */
    static CapturingRtmpServer start() throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        List<CapturedSession> sessions = new CopyOnWriteArrayList<>();
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(IngestChannelInitializer.withSession(
                                    HANDSHAKE_TIMEOUT,
                                    ch -> new IngestSession((key, publisher) -> {
                                        CapturedSession session = new CapturedSession(ch);
                                        sessions.add(session);
                                        return new PublishDecision.Accepted(session, "capture-" + sessions.size());
                                    }))
                            .build())
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            return new CapturingRtmpServer(group, listener, sessions);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** A publish URL on this server. */
    String rtmpUrl(String app, String streamName) {
        return "rtmp://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort() + "/" + app + "/"
                + streamName;
    }

    /** Every publish session so far, oldest first. */
    List<CapturedSession> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /**
     * What one media packet was, without its payload.
     *
     * @param payloadFingerprint {@link #fingerprint} of the FLV tag body: tells which encoder's file a frame came from
     */
    record CapturedPacket(
            MediaKind kind,
            long dts,
            boolean sequenceHeader,
            boolean metadata,
            boolean videoKeyframe,
            long payloadFingerprint) {
        /** @param p not released here */
        static CapturedPacket of(MediaPacket p) {
            return new CapturedPacket(
                    p.kind(), p.dts(), p.sequenceHeader(), p.metadata(), p.isVideoKeyframe(), fingerprint(p));
        }

        /**
         * CRC-32 and length of the packet's FLV tag body: equal for the same frame read from a file and relayed
         * by packet copy.
         *
         * @param p not released here
         */
        static long fingerprint(MediaPacket p) {
            ByteBuf body = p.payload();
            CRC32 crc = new CRC32();
            crc.update(body.nioBuffer(body.readerIndex(), body.readableBytes()));
            return ((long) body.readableBytes() << 32) | crc.getValue();
        }

        /** Audio or video that is not a codec header: a frame. */
        boolean codedFrame() {
            return !metadata && !sequenceHeader && kind != MediaKind.DATA;
        }

        @Override
        public String toString() {
            String what = metadata
                    ? "metadata"
                    : sequenceHeader ? kind + "-header" : videoKeyframe ? "VIDEO-key" : kind.toString();
            return what + "@" + dts;
        }
    }

    /** One publish on one connection: the packets in the order they arrived. */
    static final class CapturedSession implements PublishSink {
        private final Channel connection;
        private final List<CapturedPacket> packets = new CopyOnWriteArrayList<>();
        private volatile String endReason;

        CapturedSession(Channel connection) {
            this.connection = connection;
        }

        /** @param packet released here: only its flags and timestamp are kept */
        @Override
        public void packet(MediaPacket packet) {
            try {
                packets.add(CapturedPacket.of(packet));
            } finally {
                packet.release();
            }
        }

        @Override
        public void end(String reason) {
            endReason = reason;
        }

        List<CapturedPacket> packets() {
            return new ArrayList<>(packets);
        }

        boolean ended() {
            return endReason != null;
        }

        /** Drops the TCP connection from the server side, as a platform ingest that goes away does. */
        void dropConnection() {
            connection.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
