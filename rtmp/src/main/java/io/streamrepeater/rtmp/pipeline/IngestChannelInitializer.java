package io.streamrepeater.rtmp.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.PendingBudget;
import io.streamrepeater.rtmp.handshake.HandshakeCompleted;
import io.streamrepeater.rtmp.handshake.HandshakeServerHandler;
import io.streamrepeater.rtmp.limits.ChunkLimitGuard;
import io.streamrepeater.rtmp.limits.ConnectionCap;
import io.streamrepeater.rtmp.limits.IngestDeadline;
import io.streamrepeater.rtmp.limits.IngestLimit;
import io.streamrepeater.rtmp.limits.IngestLimitEvents;
import io.streamrepeater.rtmp.limits.PublishLimits;
import io.streamrepeater.rtmp.session.IngestSession;
import io.streamrepeater.rtmp.session.PublishGate;
import io.streamrepeater.rtmp.session.PublishStarted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The RTMP ingest pipeline of one accepted connection, assembled in one place for the server, its tests and the fuzz
 * targets. From the socket inwards, each handler under its name (only the ones configured are added):
 *
 * <ol>
 *   <li>{@value #CONNECTION_CAP}: the {@link ConnectionCap}, in front so a refused connection is closed before
 *       anything of it is read;</li>
 *   <li>{@value #HANDSHAKE_DEADLINE}, {@value #PUBLISH_DEADLINE}: {@link IngestDeadline}s counting from the accept;</li>
 *   <li>the handlers given to {@link Builder#front} (TLS, a recorder of the raw bytes), in the order given;</li>
 *   <li>{@value #HANDSHAKE}: the {@link HandshakeServerHandler}, which removes itself once the handshake is done;</li>
 *   <li>{@value #CHUNK_ENCODER}: nearer the socket than the decoder, which writes acknowledgements through it;</li>
 *   <li>{@value #CHUNK_DECODER}: the {@link ChunkDecoder} with the limits and budget before a publish;</li>
 *   <li>{@value #CHUNK_LIMIT_GUARD}: the {@link ChunkLimitGuard}, right behind the decoder;</li>
 *   <li>{@value #PUBLISH_LIMITS}: {@link PublishLimits}, which give the decoder the publishing limits;</li>
 *   <li>the handlers given to {@link Builder#beforeSession} (a probe of the decoded messages);</li>
 *   <li>{@value #SESSION}: the {@link IngestSession} on the given {@link PublishGate} (or a stand-in handler).</li>
 * </ol>
 *
 * The server looks handlers up by these names and classes; keep them.
 */
public final class IngestChannelInitializer extends ChannelInitializer<Channel> {
    public static final String CONNECTION_CAP = "connectionCap";
    public static final String HANDSHAKE_DEADLINE = "handshakeDeadline";
    public static final String PUBLISH_DEADLINE = "publishDeadline";
    public static final String HANDSHAKE = "handshake";
    public static final String CHUNK_ENCODER = "chunkEncoder";
    public static final String CHUNK_DECODER = "chunkDecoder";
    public static final String CHUNK_LIMIT_GUARD = "chunkLimitGuard";
    public static final String PUBLISH_LIMITS = "publishLimits";
    public static final String SESSION = "session";

    /** A handler added under a name, made anew for each connection (or a shared one returned every time). */
    private record Named(String name, Function<Channel, ChannelHandler> handler) {}

    private final Consumer<Channel> onAccept;
    private final ConnectionCap connectionCap;
    private final Deadlines deadlines;
    private final List<Named> front;
    private final Duration handshakeTimeout;
    private final ChunkLimits chunkLimits;
    private final PendingBudget budget;
    private final ChunkLimitGuard chunkLimitGuard;
    private final PublishLimitsSpec publishLimits;
    private final List<Named> beforeSession;
    private final Function<Channel, ChannelHandler> session;

    private record Deadlines(Duration handshake, Duration publish, IngestLimitEvents events) {}

    private record PublishLimitsSpec(ChunkLimits limits, PendingBudget budget) {}

    private IngestChannelInitializer(Builder b) {
        this.onAccept = b.onAccept;
        this.connectionCap = b.connectionCap;
        this.deadlines = b.deadlines;
        this.front = List.copyOf(b.front);
        this.handshakeTimeout = b.handshakeTimeout;
        this.chunkLimits = b.chunkLimits;
        this.budget = b.budget;
        this.chunkLimitGuard = b.chunkLimitGuard;
        this.publishLimits = b.publishLimits;
        this.beforeSession = List.copyOf(b.beforeSession);
        this.session = b.session;
    }

    /**
     * A pipeline whose last handler is an {@link IngestSession} asking {@code gate}, with no guards and
     * {@link ChunkLimits#DEFAULT} until other limits are given.
     *
     * @param handshakeTimeout how long the handshake handler waits for the whole handshake
     */
    public static Builder builder(Duration handshakeTimeout, PublishGate gate) {
        Objects.requireNonNull(gate, "gate");
        return new Builder(handshakeTimeout, ch -> new IngestSession(gate));
    }

    /**
     * A pipeline whose last handler is {@code session}, made for each connection: an {@link IngestSession} whose gate
     * needs the connection, or, in tests, a stand-in for the session (e.g. one that closes on the first message).
     */
    public static Builder withSession(Duration handshakeTimeout, Function<Channel, ChannelHandler> session) {
        return new Builder(handshakeTimeout, Objects.requireNonNull(session, "session"));
    }

    @Override
    protected void initChannel(Channel ch) {
        onAccept.accept(ch);
        ChannelPipeline p = ch.pipeline();
        if (connectionCap != null) {
            p.addLast(CONNECTION_CAP, connectionCap);
        }
        if (deadlines != null) {
            p.addLast(
                    HANDSHAKE_DEADLINE,
                    new IngestDeadline(
                            IngestLimit.HANDSHAKE_TIMEOUT,
                            deadlines.handshake(),
                            HandshakeCompleted.class,
                            deadlines.events()));
            p.addLast(
                    PUBLISH_DEADLINE,
                    new IngestDeadline(
                            IngestLimit.PUBLISH_TIMEOUT,
                            deadlines.publish(),
                            PublishStarted.class,
                            deadlines.events()));
        }
        for (Named n : front) {
            p.addLast(n.name(), n.handler().apply(ch));
        }
        p.addLast(HANDSHAKE, new HandshakeServerHandler(handshakeTimeout));
        p.addLast(CHUNK_ENCODER, new ChunkEncoder());
        p.addLast(CHUNK_DECODER, new ChunkDecoder(chunkLimits, budget));
        if (chunkLimitGuard != null) {
            p.addLast(CHUNK_LIMIT_GUARD, chunkLimitGuard);
        }
        if (publishLimits != null) {
            p.addLast(PUBLISH_LIMITS, new PublishLimits(publishLimits.limits(), publishLimits.budget()));
        }
        for (Named n : beforeSession) {
            p.addLast(n.name(), n.handler().apply(ch));
        }
        p.addLast(SESSION, session.apply(ch));
    }

    /** What differs between the server, its tests and the fuzz targets; every setting is optional. */
    public static final class Builder {
        private final Duration handshakeTimeout;
        private final Function<Channel, ChannelHandler> session;
        private Consumer<Channel> onAccept = ch -> {};
        private ConnectionCap connectionCap;
        private Deadlines deadlines;
        private final List<Named> front = new ArrayList<>();
        private ChunkLimits chunkLimits = ChunkLimits.DEFAULT;
        private PendingBudget budget = PendingBudget.unlimited();
        private ChunkLimitGuard chunkLimitGuard;
        private PublishLimitsSpec publishLimits;
        private final List<Named> beforeSession = new ArrayList<>();

        private Builder(Duration handshakeTimeout, Function<Channel, ChannelHandler> session) {
            this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            this.session = session;
        }

        /** Called with every accepted connection before its handlers are added (e.g. to track it in a group). */
        public Builder onAccept(Consumer<Channel> onAccept) {
            this.onAccept = Objects.requireNonNull(onAccept, "onAccept");
            return this;
        }

        /** The cap on connections, shared by every connection it counts. */
        public Builder connectionCap(ConnectionCap cap) {
            this.connectionCap = Objects.requireNonNull(cap, "cap");
            return this;
        }

        /** Deadlines from the accept for the handshake and for the publish command; misses go to {@code events}. */
        public Builder deadlines(Duration handshake, Duration publish, IngestLimitEvents events) {
            this.deadlines = new Deadlines(
                    Objects.requireNonNull(handshake, "handshake"),
                    Objects.requireNonNull(publish, "publish"),
                    Objects.requireNonNull(events, "events"));
            return this;
        }

        /** A handler in front of the handshake, made for each connection (e.g. TLS, which needs its allocator). */
        public Builder front(String name, Function<Channel, ChannelHandler> handler) {
            front.add(new Named(Objects.requireNonNull(name, "name"), Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /** The chunk decoder's limits and server-wide budget until a publish is accepted. */
        public Builder chunkLimits(ChunkLimits limits, PendingBudget budget) {
            this.chunkLimits = Objects.requireNonNull(limits, "limits");
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** The guard that turns the decoder's limit errors into named log lines, shared by every connection. */
        public Builder chunkLimitGuard(ChunkLimitGuard guard) {
            this.chunkLimitGuard = Objects.requireNonNull(guard, "guard");
            return this;
        }

        /** The limits and budget the decoder gets once a publish is accepted. */
        public Builder publishLimits(ChunkLimits limits, PendingBudget budget) {
            this.publishLimits = new PublishLimitsSpec(
                    Objects.requireNonNull(limits, "limits"), Objects.requireNonNull(budget, "budget"));
            return this;
        }

        /** A handler between the chunk layer and the session, made for each connection (e.g. a probe). */
        public Builder beforeSession(String name, Function<Channel, ChannelHandler> handler) {
            beforeSession.add(
                    new Named(Objects.requireNonNull(name, "name"), Objects.requireNonNull(handler, "handler")));
            return this;
        }

        public IngestChannelInitializer build() {
            return new IngestChannelInitializer(this);
        }
    }
}
