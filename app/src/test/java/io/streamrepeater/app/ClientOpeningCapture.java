package io.streamrepeater.app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.pipeline.IngestChannelInitializer;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records the first bytes a real RTMP client sends, for the golden tables of the rtmp and media modules
 * (DESIGN.md §6.1). Not a test: run once by hand when a table is refreshed, e.g.
 * <pre>java -cp … io.streamrepeater.app.ClientOpeningCapture OUT.hex ffmpeg -re -i in.flv -c copy -f flv {url}</pre>
 * It listens on 127.0.0.1 with our own server stack (handshake, chunk codec, ingest session accepting any key), so
 * the client goes through connect, publish and its first media; it keeps every byte received on the first
 * connection until the first media or data message (the {@code @setDataFrame} metadata for ffmpeg), or 10 s, then
 * writes them as hex, 32 bytes a line, and stops the client. {@code {url}} in the command is replaced by
 * {@code rtmp://127.0.0.1:PORT/live/capture-key}.
 */
final class ClientOpeningCapture {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ClientOpeningCapture() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ClientOpeningCapture OUT.hex COMMAND… ({url} is replaced by the publish URL)");
            System.exit(2);
        }
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CountDownLatch firstMedia = new CountDownLatch(1);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(IngestChannelInitializer.builder(
                                    WAIT,
                                    (key, publisher) ->
                                            new PublishDecision.Accepted(new FirstMediaLatch(firstMedia), "capture"))
                            .front("recorder", ch -> new ByteRecorder(received, firstMedia))
                            .build())
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            List<String> command = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                command.add(args[i].replace("{url}", "rtmp://127.0.0.1:" + port + "/live/capture-key"));
            }
            Process client = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            boolean gotMedia = firstMedia.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            client.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            listener.close().sync();
            byte[] bytes;
            synchronized (received) {
                bytes = received.toByteArray();
            }
            write(Path.of(args[0]), bytes);
            System.out.println((gotMedia ? "first media reached" : "timed out") + ", " + bytes.length
                    + " bytes written to " + args[0]);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void write(Path out, byte[] bytes) throws IOException {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < bytes.length; i += 32) {
            hex.append(ByteBufUtil.hexDump(bytes, i, Math.min(32, bytes.length - i)))
                    .append('\n');
        }
        Files.writeString(out, hex);
    }

    /** Keeps a copy of every byte of the first connection until the first media arrived; passes the buffer on. */
    private static final class ByteRecorder extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream received;
        private final CountDownLatch firstMedia;

        ByteRecorder(ByteArrayOutputStream received, CountDownLatch firstMedia) {
            this.received = received;
            this.firstMedia = firstMedia;
        }

        /** @param msg a {@link ByteBuf} read from the socket; passed on unchanged, released by the handlers behind */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf && firstMedia.getCount() > 0) {
                synchronized (received) {
                    received.writeBytes(ByteBufUtil.getBytes(buf));
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Counts the latch down on the first media or data message; releases every packet. */
    private record FirstMediaLatch(CountDownLatch firstMedia) implements PublishSink {
        /** @param packet released here */
        @Override
        public void packet(MediaPacket packet) {
            packet.release();
            firstMedia.countDown();
        }

        @Override
        public void end(String reason) {}
    }
}
