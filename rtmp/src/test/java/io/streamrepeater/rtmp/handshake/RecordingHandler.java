package io.streamrepeater.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Stands where the chunk decoder will be: records the user events and the bytes that reach it. */
final class RecordingHandler extends ChannelInboundHandlerAdapter {
    final List<Object> events = new ArrayList<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** Whether the handshake handler was still in the pipeline when the completion event arrived. */
    Boolean handshakeHandlerPresentAtEvent;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            bytes.writeBytes(ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeCompleted) {
            handshakeHandlerPresentAtEvent = ctx.pipeline().get(HandshakeHandler.class) != null
                    || ctx.pipeline().get(HandshakeServerHandler.class) != null
                    || ctx.pipeline().get(HandshakeClientHandler.class) != null;
        }
        events.add(evt);
    }
}
