package io.streamrepeater.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.handshake.HandshakeClientHandler;
import io.streamrepeater.rtmp.session.PublishClientSession;
import io.streamrepeater.rtmp.session.PublishListener;
import io.streamrepeater.rtmp.session.RtmpUrl;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Opens publish connections to destinations: TCP (and TLS for rtmps, with SNI and hostname
 * verification), the RTMP handshake, the chunk codec and the client publish session.
 */
public final class OutboundConnector {
    /**
     * Chunk size we announce (SetChunkSize) to every destination; pre-encoded media uses the same value. Large, so
     * that a typical frame goes out as one chunk (one header, one payload slice: fewer buffers per write, less
     * framing); 60000 is what SRS announces to platforms by default, a value known to interoperate.
     */
    public static final int CHUNK_SIZE = 60_000;

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /**
     * A fixed kernel send buffer (no autotuning up to megabytes): enough for the bandwidth-delay product of
     * a platform ingest (6 Mbit/s at 100 ms is 75 KB), small enough that a destination falling behind shows
     * up in our own send queue, where the GOP drop policy sees it, and not in an invisible kernel buffer.
     */
    static final int SEND_BUFFER_BYTES = 256 * 1024;

    private final Class<? extends Channel> channelType;
    private final SslContext tls;
    /** Makes the address of each connection attempt from the destination's configured one. */
    private final UnaryOperator<RtmpUrl> addressing;

    /**
     * @param channelType the socket channel class matching the event loops (epoll or NIO)
     * @param tls the client TLS context used for rtmps destinations
     */
    public OutboundConnector(Class<? extends Channel> channelType, SslContext tls) {
        this(channelType, tls, UnaryOperator.identity());
    }

    private OutboundConnector(Class<? extends Channel> channelType, SslContext tls, UnaryOperator<RtmpUrl> addressing) {
        this.channelType = channelType;
        this.tls = tls;
        this.addressing = addressing;
    }

    /**
     * This connector, except that each connection attempt publishes to the address {@code fresh} makes from the
     * destination's configured one: for a stream name that is valid only for a while (the cluster link signs a new,
     * short-lived name for every attempt, so a reconnect long after the start is not refused as expired).
     *
     * @param fresh called on the connecting event loop at every attempt; must not block
     */
    public OutboundConnector withAddressing(UnaryOperator<RtmpUrl> fresh) {
        return new OutboundConnector(channelType, tls, fresh);
    }

    /**
     * Connects on {@code loop}, so the connection shares the channel's event loop.
     *
     * @param ackWindowBytes acknowledgement window announced to the destination (0: none)
     */
    public ChannelFuture connect(EventLoop loop, RtmpUrl configured, long ackWindowBytes, PublishListener listener) {
        return connect(loop, configured, ackWindowBytes, listener, List.of());
    }

    /**
     * As above, announcing Enhanced RTMP video codecs in {@code connect}.
     *
     * @param fourCcList the video FourCCs to announce ({@code hvc1}, {@code av01}, ...); empty: none
     */
    public ChannelFuture connect(
            EventLoop loop,
            RtmpUrl configured,
            long ackWindowBytes,
            PublishListener listener,
            List<String> fourCcList) {
        RtmpUrl url = addressing.apply(configured);
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (url.tls()) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), url.host(), url.port());
                            SSLEngine engine = ssl.engine();
                            SSLParameters params = engine.getSSLParameters();
                            params.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(params);
                            p.addLast("tls", ssl);
                        }
                        p.addLast("handshake", new HandshakeClientHandler(HANDSHAKE_TIMEOUT));
                        // The encoder sits nearer the socket: the decoder writes acknowledgements through it.
                        p.addLast("chunkEncoder", new ChunkEncoder());
                        p.addLast("chunkDecoder", new ChunkDecoder(ChunkLimits.DEFAULT));
                        p.addLast(
                                "session",
                                new PublishClientSession(url, CHUNK_SIZE, ackWindowBytes, listener, fourCcList));
                    }
                });
        return b.connect(url.host(), url.port());
    }

    /**
     * Opens a bare TCP connection to {@code url}'s host and port and closes it at once: whether the
     * address accepts connections again (a fallback destination returning to its primary).
     *
     * @return completes when the probe connected (success) or failed
     */
    public ChannelFuture probe(EventLoop loop, RtmpUrl url) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(new io.netty.channel.ChannelInboundHandlerAdapter());
        ChannelFuture f = b.connect(url.host(), url.port());
        f.addListener(done -> f.channel().close());
        return f;
    }
}
