package io.streamrepeater.app;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.streamrepeater.amf0.Amf0Object;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.handshake.HandshakeClientHandler;
import io.streamrepeater.rtmp.handshake.HandshakeCompleted;
import io.streamrepeater.rtmp.message.CommandMessage;
import io.streamrepeater.rtmp.message.MessageCodec;
import io.streamrepeater.rtmp.message.MessageType;
import io.streamrepeater.rtmp.message.RtmpMessage;
import io.streamrepeater.rtmp.message.UserControlMessage;
import io.streamrepeater.rtmp.session.RtmpUrl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An RTMP player for tests, to read what a real server (nginx-rtmp) delivers to its viewers rather than what it
 * records: the project's own handshake and chunk codec over a real TCP connection, then {@code connect},
 * {@code createStream} and {@code play}, the way a Flash-era player does. It keeps every audio and video message as
 * received (type, timestamp, body). Acknowledgements, which the server may wait for before sending more, are written
 * by the {@link ChunkDecoder} itself once the server announces its window; pings are answered here.
 *
 * <p>It announces no Enhanced RTMP codecs: nginx-rtmp 1.2.2 knows nothing of them and forwards whatever was
 * published, which is what a test wants to see.
 */
final class RtmpPlayer implements AutoCloseable {
    /** One audio (type 8) or video (type 9) message as the server sent it. */
    record Tag(int type, long timestamp, byte[] body) {}

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final double TXN_CONNECT = 1;
    private static final double TXN_CREATE_STREAM = 2;
    /** The buffer a player asks for (Set Buffer Length); nginx's live module does not act on it. */
    private static final long BUFFER_MS = 1_000;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final RtmpUrl url;
    private final CompletableFuture<String> playStarted = new CompletableFuture<>();
    private final List<Tag> audio = new CopyOnWriteArrayList<>();
    private final List<Tag> video = new CopyOnWriteArrayList<>();
    private volatile Channel channel;

    private RtmpPlayer(RtmpUrl url) {
        this.url = url;
    }

    /** Connects to {@code rtmp://HOST:PORT/APP/STREAM} and asks to play STREAM; see {@link #playStarted()}. */
    static RtmpPlayer play(String rtmpUrl) {
        RtmpPlayer player = new RtmpPlayer(RtmpUrl.parse(rtmpUrl));
        if (player.url.tls()) {
            player.close();
            throw new IllegalArgumentException("plain rtmp:// only: " + rtmpUrl);
        }
        Bootstrap b = new Bootstrap()
                .group(player.group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("handshake", new HandshakeClientHandler(HANDSHAKE_TIMEOUT));
                        // As in OutboundConnector: the encoder nearer the socket, so the decoder's acknowledgements
                        // are chunked on their way out.
                        ch.pipeline().addLast("chunkEncoder", new ChunkEncoder());
                        ch.pipeline().addLast("chunkDecoder", new ChunkDecoder(ChunkLimits.DEFAULT));
                        ch.pipeline().addLast("player", player.new Session());
                    }
                });
        b.connect(player.url.host(), player.url.port()).addListener(f -> {
            if (!f.isSuccess()) {
                player.playStarted.completeExceptionally(f.cause());
            }
        });
        return player;
    }

    /**
     * Completes with the status code {@code NetStream.Play.Start} once the server starts the play (nginx answers at
     * once, before anyone publishes), or with the first media message if that comes first; fails if the server
     * refuses, the connection fails or closes before.
     */
    CompletableFuture<String> playStarted() {
        return playStarted;
    }

    /** The video messages received so far, in order (a snapshot). */
    List<Tag> videoTags() {
        return List.copyOf(video);
    }

    /** The audio messages received so far, in order (a snapshot). */
    List<Tag> audioTags() {
        return List.copyOf(audio);
    }

    @Override
    public void close() {
        Channel c = channel;
        if (c != null) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The client session on the connection's event loop. */
    private final class Session extends ChannelInboundHandlerAdapter {
        private ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            channel = ctx.channel();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeCompleted) {
                Amf0Object props = new Amf0Object();
                props.put("app", url.app());
                props.put("flashVer", "LNX 9,0,124,2");
                props.put("tcUrl", url.tcUrl());
                props.put("fpad", false);
                props.put("capabilities", 15.0);
                props.put("audioCodecs", 4071.0);
                props.put("videoCodecs", 252.0);
                props.put("videoFunction", 1.0);
                send(CommandMessage.of("connect", TXN_CONNECT, props), 0);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof RawMessage raw)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                if (raw.typeId() == MessageType.AUDIO || raw.typeId() == MessageType.VIDEO) {
                    Tag tag = new Tag(raw.typeId(), raw.timestamp(), ByteBufUtil.getBytes(raw.payload()));
                    (tag.type() == MessageType.VIDEO ? video : audio).add(tag);
                    playStarted.complete("first media");
                    return;
                }
                RtmpMessage typed = MessageCodec.decode(raw);
                if (typed instanceof CommandMessage cmd) {
                    command(cmd);
                } else if (typed instanceof UserControlMessage.UserControlPingRequest ping) {
                    send(new UserControlMessage.UserControlPingResponse(ping.timestamp()), 0);
                }
            } finally {
                raw.release();
            }
        }

        private void command(CommandMessage cmd) {
            if ("_result".equals(cmd.name()) && cmd.transactionId() == TXN_CONNECT) {
                send(CommandMessage.of("createStream", TXN_CREATE_STREAM, null), 0);
            } else if ("_result".equals(cmd.name()) && cmd.transactionId() == TXN_CREATE_STREAM) {
                int streamId = cmd.argument(0) instanceof Number n ? n.intValue() : 1;
                // start -1: the live stream only, never a recording of that name
                send(CommandMessage.of("play", 0, null, url.streamName(), -1.0), streamId);
                send(new UserControlMessage.UserControlSetBufferLength(streamId, BUFFER_MS), 0);
            } else if ("_error".equals(cmd.name())) {
                playStarted.completeExceptionally(new IllegalStateException("server answered _error: " + cmd));
                ctx.close();
            } else if ("onStatus".equals(cmd.name()) && cmd.argument(0) instanceof Map<?, ?> info) {
                Object code = info.get("code");
                if ("NetStream.Play.Start".equals(code)) {
                    playStarted.complete("NetStream.Play.Start");
                } else if ("error".equals(info.get("level"))) {
                    playStarted.completeExceptionally(new IllegalStateException("play refused: " + info));
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            playStarted.completeExceptionally(new IllegalStateException("connection closed before the play started"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            playStarted.completeExceptionally(cause);
            ctx.close();
        }

        private void send(RtmpMessage message, int messageStreamId) {
            ctx.writeAndFlush(message.toRaw(ctx.alloc(), messageStreamId));
        }
    }
}
