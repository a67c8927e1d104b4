package io.streamrepeater.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Server side of the RTMP handshake, one per connection: reads C0+C1, answers S0+S1+S2 (digest form if C1 carries a
 * valid digest, simple form otherwise), waits for C2, then removes itself and fires {@link HandshakeCompleted}.
 * Bytes that follow C2 in the same read reach the next handler. A C0 other than version 3, or a handshake that is not
 * complete within the timeout, closes the connection with a log line.
 */
public final class HandshakeServerHandler extends HandshakeHandler {
    private enum Stage {
        AWAIT_C0_C1,
        AWAIT_C2
    }

    private Stage stage = Stage.AWAIT_C0_C1;
    private HandshakeForm form;

    /** @param timeout how long the whole handshake may take from the moment the handler is added */
    public HandshakeServerHandler(Duration timeout) {
        super(timeout);
    }

    @Override
    void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in) {
        if (stage == Stage.AWAIT_C0_C1) {
            if (!in.isReadable()) {
                return;
            }
            int version = in.getUnsignedByte(in.readerIndex());
            if (version != RTMP_VERSION) {
                in.skipBytes(in.readableBytes());
                fail(
                        ctx,
                        "handshake rejected from " + ctx.channel().remoteAddress() + ": C0 "
                                + describeVersion(version));
                return;
            }
            if (in.readableBytes() < 1 + PACKET_SIZE) {
                return;
            }
            in.skipBytes(1);
            byte[] c1 = new byte[PACKET_SIZE];
            in.readBytes(c1);
            ServerHandshakeAnswer answer = ServerHandshakeAnswer.to(c1, handshakeTime(), ThreadLocalRandom.current());
            form = answer.form();
            ByteBuf s0s1s2 = ctx.alloc().buffer(1 + 2 * PACKET_SIZE);
            s0s1s2.writeByte(RTMP_VERSION).writeBytes(answer.s1()).writeBytes(answer.s2());
            ctx.writeAndFlush(s0s1s2);
            stage = Stage.AWAIT_C2;
        }
        if (stage == Stage.AWAIT_C2 && in.readableBytes() >= PACKET_SIZE) {
            // C2 is not checked: clients fill it inconsistently, and nothing we send depends on it.
            in.skipBytes(PACKET_SIZE);
            complete(ctx, form);
        }
    }
}
