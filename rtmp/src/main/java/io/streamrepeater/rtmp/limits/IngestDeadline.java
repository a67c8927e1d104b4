package io.streamrepeater.rtmp.limits;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has not reached a milestone within a time counted from the moment it became active (for
 * an accepted socket: the accept). The milestone is a user event of a given class travelling through the pipeline,
 * e.g. {@code HandshakeCompleted} or {@code PublishStarted}; when it passes, the deadline is cancelled and the handler
 * removes itself, so a connection past its milestone is never touched again. A miss is counted and logged as
 * {@code event=ingest-limit limit=LABEL remote=ADDRESS after=Nms}; only this connection is closed.
 *
 * <p>One instance per connection. It must sit in front of the handler that fires the milestone, or the milestone must
 * be fired from the pipeline's head.
 */
public final class IngestDeadline extends ChannelInboundHandlerAdapter {
    private final IngestLimit limit;
    private final long timeoutMillis;
    private final Class<?> milestone;
    private final IngestLimitEvents events;
    private ScheduledFuture<?> deadline;
    private boolean done;

    /**
     * @param limit what a miss is reported as
     * @param timeout how long the connection has, positive
     * @param milestone the class of the user event that meets the deadline
     * @param events where a miss is counted and logged
     */
    public IngestDeadline(IngestLimit limit, Duration timeout, Class<?> milestone, IngestLimitEvents events) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.timeoutMillis = timeout.toMillis();
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException(limit.label() + " must be at least 1 ms, got " + timeout);
        }
        this.milestone = Objects.requireNonNull(milestone, "milestone");
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (deadline != null || done) {
            return;
        }
        deadline = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        if (done || !ctx.channel().isOpen()) {
            return;
        }
        done = true;
        events.hit(limit, ctx.channel().remoteAddress(), "after=" + timeoutMillis + "ms");
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        boolean met = !done && milestone.isInstance(evt);
        if (met) {
            done = true;
            cancel();
        }
        ctx.fireUserEventTriggered(evt);
        if (met && ctx.pipeline().context(this) != null) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
