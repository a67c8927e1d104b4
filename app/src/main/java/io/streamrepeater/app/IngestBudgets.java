package io.streamrepeater.app;

import io.netty.util.internal.PlatformDependent;
import io.streamrepeater.control.config.LimitsConfig;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.PendingBudget;

/**
 * What RTMP ingest connections may hold of partly received messages, over the whole server (issue 17): a peer that
 * has not published may send only small command messages ({@code server.limits.prePublishMaxMessageSize}, 16 KiB by
 * default, four of them held per connection, {@code prePublishPendingBytesTotal} over all of them); a publishing
 * encoder may send large keyframes, within its connection's {@code maxPendingBytes} and a server-wide
 * {@code pendingBytesTotal} (by default half the JVM's direct memory). The two are separate, so connections without a
 * key can never take what publishing encoders need: one that reaches a limit is closed, and only it.
 */
record IngestBudgets(PendingBudget beforePublish, PendingBudget publishing) {
    /** Even on a JVM with little direct memory, publishers may hold two full-size messages. */
    static final long MIN_PUBLISHING_TOTAL = 2L * ChunkLimits.MAX_24_BIT;

    /** The budgets of {@code limits}, the publishers' one sized for this JVM's direct memory when left at 0. */
    static IngestBudgets of(LimitsConfig limits) {
        long publishing = limits.pendingBytesTotal() > 0
                ? limits.pendingBytesTotal()
                : publishingTotal(PlatformDependent.maxDirectMemory());
        return new IngestBudgets(
                new PendingBudget("before-publish", limits.prePublishPendingBytesTotal()),
                new PendingBudget("publishing", publishing));
    }

    static long publishingTotal(long maxDirectMemory) {
        return Math.max(MIN_PUBLISHING_TOTAL, maxDirectMemory / 2);
    }

    /** The limits of a connection until its publish is accepted: the publishing ones, with small messages. */
    static ChunkLimits beforePublish(ChunkLimits publishing, int maxMessageSize) {
        int message = Math.min(maxMessageSize, publishing.maxMessageSize());
        return new ChunkLimits(publishing.maxChunkSize(), message, publishing.maxChunkStreams(), (int)
                Math.min(4L * message, publishing.maxPendingBytes()));
    }
}
