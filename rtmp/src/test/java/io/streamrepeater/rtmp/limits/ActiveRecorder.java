package io.streamrepeater.rtmp.limits;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/** Stands behind a guard: records whether the connection reached it, and which events and errors did. */
final class ActiveRecorder extends ChannelInboundHandlerAdapter {
    boolean active;
    final List<Object> events = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active = true;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        events.add(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors.add(cause);
    }
}
