package io.streamrepeater.fuzz;

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
 * Records the first bytes a real publishing client sends on one connection (handshake, commands and the first media),
 * as seeds for the fuzzers. Not a test; run by hand when the seeds are refreshed:
 * <pre>java -cp … io.streamrepeater.fuzz.SessionCapture OUT.hex MAX_BYTES "what the client is" COMMAND…</pre>
 * {@code {url}} in the command becomes {@code rtmp://127.0.0.1:PORT/live/capture-key}. It listens on 127.0.0.1 with
 * our own server stack (accepting any key), so the client goes on to publish; it keeps the first {@code MAX_BYTES}
 * bytes (or what arrived within 15 s), writes them as hex, 32 bytes a line, and stops the client.
 */
public final class SessionCapture {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private SessionCapture() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println(
                    "usage: SessionCapture OUT.hex MAX_BYTES DESCRIPTION COMMAND… ({url} is the publish URL)");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int maxBytes = Integer.parseInt(args[1]);
        String description = args[2];
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CountDownLatch full = new CountDownLatch(1);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(IngestChannelInitializer.builder(
                                    WAIT,
                                    (key, publisher) -> new PublishDecision.Accepted(new ReleasingSink(), "capture"))
                            .front("recorder", ch -> new ByteRecorder(received, maxBytes, full))
                            .build())
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            List<String> command = new ArrayList<>();
            for (int i = 3; i < args.length; i++) {
                command.add(args[i].replace("{url}", "rtmp://127.0.0.1:" + port + "/live/capture-key"));
            }
            Process client = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            boolean complete = full.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            client.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            listener.close().sync();
            byte[] bytes;
            synchronized (received) {
                bytes = received.toByteArray();
            }
            write(out, description, String.join(" ", command), bytes);
            System.out.println(
                    (complete ? "complete" : "timed out") + ", " + bytes.length + " bytes written to " + out);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void write(Path out, String description, String command, byte[] bytes) throws IOException {
        StringBuilder hex = new StringBuilder();
        hex.append("# ").append(description).append('\n');
        hex.append("# captured with fuzz/src/main/java/io/streamrepeater/fuzz/SessionCapture.java: ")
                .append(command)
                .append('\n');
        hex.append("# ").append(bytes.length).append(" bytes the client sent on 127.0.0.1 from its first byte (C0)\n");
        for (int i = 0; i < bytes.length; i += 32) {
            hex.append(ByteBufUtil.hexDump(bytes, i, Math.min(32, bytes.length - i)))
                    .append('\n');
        }
        Files.writeString(out, hex);
    }

    /** Keeps a copy of the first {@code maxBytes} bytes of the first connection; passes every buffer on. */
    private static final class ByteRecorder extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream received;
        private final int maxBytes;
        private final CountDownLatch full;

        ByteRecorder(ByteArrayOutputStream received, int maxBytes, CountDownLatch full) {
            this.received = received;
            this.maxBytes = maxBytes;
            this.full = full;
        }

        /** @param msg a {@link ByteBuf} read from the socket; passed on unchanged, released by the handlers behind */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                synchronized (received) {
                    int room = maxBytes - received.size();
                    if (room > 0) {
                        byte[] bytes =
                                ByteBufUtil.getBytes(buf, buf.readerIndex(), Math.min(room, buf.readableBytes()));
                        received.writeBytes(bytes);
                    }
                    if (received.size() >= maxBytes) {
                        full.countDown();
                    }
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Accepts the publish and drops the media. */
    private static final class ReleasingSink implements PublishSink {
        /** @param packet released here */
        @Override
        public void packet(MediaPacket packet) {
            packet.release();
        }

        @Override
        public void end(String reason) {}
    }
}
