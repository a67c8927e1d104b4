package io.streamrepeater.app;

import io.netty.util.internal.PlatformDependent;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.PendingBudget;

/**
 * What RTMP ingest connections may hold of partly received messages, over the whole server (issue 17): a peer that
 * has not published may send only small command messages ({@value #BEFORE_PUBLISH_MAX_MESSAGE} bytes each, at most
 * {@value #BEFORE_PUBLISH_MAX_PENDING} held per connection, {@value #BEFORE_PUBLISH_TOTAL} over all of them); a
 * publishing encoder may send large keyframes, within its connection's {@code maxPendingBytes} and a server-wide total
 * of half the JVM's direct memory. The two are separate, so connections without a key can never take what publishing
 * encoders need: one that reaches a limit is closed, and only it.
 */
record IngestBudgets(PendingBudget beforePublish, PendingBudget publishing) {
    /** A connect command takes a few hundred bytes; 16 KiB leaves room for long tcUrls and extra properties. */
    static final int BEFORE_PUBLISH_MAX_MESSAGE = 16 * 1024;
    static final int BEFORE_PUBLISH_MAX_PENDING = 4 * BEFORE_PUBLISH_MAX_MESSAGE;
    static final long BEFORE_PUBLISH_TOTAL = 32L * 1024 * 1024;
    /** Even on a JVM with little direct memory, publishers may hold two full-size messages. */
    static final long MIN_PUBLISHING_TOTAL = 2L * ChunkLimits.MAX_24_BIT;

    /** The budgets sized for this JVM's direct memory ({@code -XX:MaxDirectMemorySize}, else the heap size). */
    static IngestBudgets forThisJvm() {
        return new IngestBudgets(new PendingBudget("before-publish", BEFORE_PUBLISH_TOTAL),
                new PendingBudget("publishing", publishingTotal(PlatformDependent.maxDirectMemory())));
    }

    static long publishingTotal(long maxDirectMemory) {
        return Math.max(MIN_PUBLISHING_TOTAL, maxDirectMemory / 2);
    }

    /** The limits of a connection until its publish is accepted: the publishing ones, with small messages. */
    static ChunkLimits beforePublish(ChunkLimits publishing) {
        int message = Math.min(BEFORE_PUBLISH_MAX_MESSAGE, publishing.maxMessageSize());
        return new ChunkLimits(publishing.maxChunkSize(), message, publishing.maxChunkStreams(),
                Math.min(BEFORE_PUBLISH_MAX_PENDING, publishing.maxPendingBytes()));
    }
}
