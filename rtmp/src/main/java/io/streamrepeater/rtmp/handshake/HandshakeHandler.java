package io.streamrepeater.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both handshake sides share: a deadline, and a one-shot life that ends either by removing the handler from
 * the pipeline (bytes that arrived after the last handshake packet are passed on by {@link ByteToMessageDecoder}
 * when it is removed) and firing {@link HandshakeCompleted}, or by closing the connection with a log line saying why.
 */
abstract class HandshakeHandler extends ByteToMessageDecoder {
    static final int RTMP_VERSION = 3;
    static final int PACKET_SIZE = HandshakeDigest.PACKET_SIZE;

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

    private final Duration timeout;
    private ScheduledFuture<?> deadline;
    private boolean finished;

    HandshakeHandler(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive, got " + timeout);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            if (!finished) {
                                java.net.SocketAddress peer = ctx.channel().remoteAddress();
                                // a client's handler is added before it connects: a blackholed peer never gets an
                                // address
                                fail(
                                        ctx,
                                        "handshake not completed within " + describe(timeout)
                                                + (peer != null
                                                        ? " with " + peer
                                                        : ": the TCP connection itself was never established (no answer from the address)"));
                            }
                        },
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            in.skipBytes(in.readableBytes());
            return;
        }
        decodeHandshake(ctx, in);
    }

    /**
     * Consumes whatever handshake bytes are complete in {@code in}; leaves incomplete packets unread.
     *
     * @param in the cumulation; owned and released by {@link ByteToMessageDecoder}
     */
    abstract void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in);

    /** Leaves the pipeline, then tells the handlers behind it that the chunk layer may start. */
    final void complete(ChannelHandlerContext ctx, HandshakeForm form) {
        finished = true;
        cancelDeadline();
        ctx.pipeline().remove(this);
        ctx.pipeline().fireUserEventTriggered(new HandshakeCompleted(form));
    }

    /** Logs why and closes the connection; input that still arrives is discarded. */
    final void fail(ChannelHandlerContext ctx, String reason) {
        finished = true;
        cancelDeadline();
        LOG.warn("{}, closing", reason);
        ctx.close();
    }

    /** Says what a first byte that is not version 3 most likely is, so the log line points at the fix. */
    static String describeVersion(int version) {
        return switch (version) {
            case 6, 8, 9 -> "version " + version + " (encrypted RTMPE, not supported), expected " + RTMP_VERSION;
            case 0x16 -> "0x16 (looks like a TLS ClientHello: use the rtmps port), expected " + RTMP_VERSION;
            case 'G', 'P', 'H', 'O' ->
                "0x" + Integer.toHexString(version) + " (looks like HTTP), expected " + RTMP_VERSION;
            default -> "version " + version + ", expected " + RTMP_VERSION;
        };
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.handlerRemoved0(ctx);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** A 32-bit millisecond clock for the time field of C1/S1; its origin does not matter to peers. */
    static int handshakeTime() {
        return (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }
}
