package io.streamrepeater.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Client side of the RTMP handshake, one per connection: sends C0+C1 (simple form) once the channel is active,
 * reads S0+S1+S2, answers C2 (an echo of S1), then removes itself and fires {@link HandshakeCompleted}. Bytes that
 * follow S2 in the same read reach the next handler. An S0 other than version 3, or a handshake that is not complete
 * within the timeout, closes the connection with a log line.
 */
public final class HandshakeClientHandler extends HandshakeHandler {
    private boolean c0c1Sent;

    /** @param timeout how long the whole handshake may take from the moment the handler is added */
    public HandshakeClientHandler(Duration timeout) {
        super(timeout);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            sendC0C1(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        sendC0C1(ctx);
        super.channelActive(ctx);
    }

    private void sendC0C1(ChannelHandlerContext ctx) {
        if (c0c1Sent) {
            return;
        }
        c0c1Sent = true;
        byte[] random = new byte[PACKET_SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);
        ByteBuf c0c1 = ctx.alloc().buffer(1 + PACKET_SIZE);
        // Simple form: our time, then four zero bytes where a digest-form client puts its version.
        c0c1.writeByte(RTMP_VERSION).writeInt(handshakeTime()).writeInt(0).writeBytes(random);
        ctx.writeAndFlush(c0c1);
    }

    @Override
    void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in) {
        if (!in.isReadable()) {
            return;
        }
        int version = in.getUnsignedByte(in.readerIndex());
        if (version != RTMP_VERSION) {
            in.skipBytes(in.readableBytes());
            fail(ctx, "handshake rejected by " + ctx.channel().remoteAddress() + ": S0 " + describeVersion(version));
            return;
        }
        if (in.readableBytes() < 1 + 2 * PACKET_SIZE) {
            return;
        }
        in.skipBytes(1);
        ByteBuf c2 = ctx.alloc().buffer(PACKET_SIZE);
        c2.writeBytes(in, PACKET_SIZE); // C2 echoes S1
        // S2 is not checked: a digest-form server signs it, a simple one echoes C1; either way we proceed.
        in.skipBytes(PACKET_SIZE);
        ctx.writeAndFlush(c2);
        complete(ctx, HandshakeForm.SIMPLE);
    }
}
