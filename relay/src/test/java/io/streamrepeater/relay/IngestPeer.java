package io.streamrepeater.relay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.handshake.HandshakeServerHandler;
import io.streamrepeater.rtmp.session.IngestSession;
import io.streamrepeater.rtmp.session.PublishGate;
import java.time.Duration;
import java.util.List;

/** The destination the relay tests publish to: our own RTMP ingest session, listening on a loopback port. */
final class IngestPeer {
    private IngestPeer() {}

    /**
     * Listens on 127.0.0.1 (a free port) with the handshake, chunk codec and an ingest session asking {@code gate}.
     *
     * @param accepted every accepted connection is added here
     * @param receiveBufferBytes the accepted sockets' receive buffer, 0 for the system's default
     */
    static Channel listen(
            EventLoopGroup group,
            Class<? extends ServerChannel> type,
            PublishGate gate,
            List<Channel> accepted,
            int receiveBufferBytes)
            throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(type)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.add(ch);
                        ch.pipeline()
                                .addLast(
                                        new HandshakeServerHandler(Duration.ofSeconds(5)),
                                        new ChunkEncoder(),
                                        new ChunkDecoder(ChunkLimits.DEFAULT),
                                        new IngestSession(gate));
                    }
                });
        if (receiveBufferBytes > 0) {
            b.childOption(ChannelOption.SO_RCVBUF, receiveBufferBytes);
        }
        return b.bind("127.0.0.1", 0).sync().channel();
    }
}
