package io.streamrepeater.rtmp.limits;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.streamrepeater.rtmp.chunk.ChunkLimitException;

/**
 * Turns a {@link ChunkLimitException} from the chunk decoder in front of it into a counted
 * {@code event=ingest-limit limit=max-message-size remote=ADDRESS reason="..."} line and closes that connection; every
 * other exception passes on unchanged. Stateless: one instance may serve every connection.
 */
@ChannelHandler.Sharable
public final class ChunkLimitGuard extends ChannelInboundHandlerAdapter {
    private final IngestLimitEvents events;

    /** @param events where limit hits are counted and logged */
    public ChunkLimitGuard(IngestLimitEvents events) {
        this.events = events;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChunkLimitException hit = limitIn(cause);
        if (hit == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        events.hit(IngestLimit.of(hit.limit()), ctx.channel().remoteAddress(), "reason=\"" + hit.getMessage() + "\"");
        ctx.close();
    }

    private static ChunkLimitException limitIn(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ChunkLimitException e) {
                return e;
            }
        }
        return null;
    }
}
