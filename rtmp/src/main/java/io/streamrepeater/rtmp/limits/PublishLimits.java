package io.streamrepeater.rtmp.limits;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.PendingBudget;
import io.streamrepeater.rtmp.session.PublishStarted;

/**
 * Raises an ingest connection's chunk limits once its publish is accepted: before that, a peer has no business
 * sending anything but small command messages, so its decoder starts with small limits and the server-wide budget of
 * connections that have not published; an accepted encoder may send keyframes of megabytes and draws from the
 * publishers' budget. One-shot: removes itself when done.
 */
public final class PublishLimits extends ChannelInboundHandlerAdapter {
    private final ChunkLimits publishing;
    private final PendingBudget publishingBudget;

    /**
     * @param publishing the limits of a publishing encoder
     * @param publishingBudget the server-wide allowance of publishing encoders
     */
    public PublishLimits(ChunkLimits publishing, PendingBudget publishingBudget) {
        this.publishing = publishing;
        this.publishingBudget = publishingBudget;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof PublishStarted) {
            ChunkDecoder decoder = ctx.pipeline().get(ChunkDecoder.class);
            if (decoder != null) {
                decoder.changeLimits(publishing, publishingBudget);
            }
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public boolean isSharable() {
        return false;
    }
}
