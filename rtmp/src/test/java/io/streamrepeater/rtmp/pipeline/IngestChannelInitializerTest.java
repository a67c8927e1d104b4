package io.streamrepeater.rtmp.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.PendingBudget;
import io.streamrepeater.rtmp.handshake.HandshakeServerHandler;
import io.streamrepeater.rtmp.limits.ChunkLimitGuard;
import io.streamrepeater.rtmp.limits.ConnectionCap;
import io.streamrepeater.rtmp.limits.IngestDeadline;
import io.streamrepeater.rtmp.limits.IngestLimitEvents;
import io.streamrepeater.rtmp.limits.PublishLimits;
import io.streamrepeater.rtmp.session.IngestSession;
import io.streamrepeater.rtmp.session.PublishGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ingest pipeline is assembled in one order with fixed names (the server looks handlers up by them), and the
 * one-shot handlers leave it once the handshake is done (DESIGN.md §6.6).
 */
class IngestChannelInitializerTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final int HANDSHAKE_PART = 1536;
    private static final PublishGate NEVER_ASKED = (key, publisher) -> {
        throw new AssertionError("no publish in this test");
    };

    private final IngestLimitEvents events = new IngestLimitEvents(System::nanoTime, 100);
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void tearDown() {
        assertThat(channel.finishAndReleaseAll())
                .as("buffers left in the channel")
                .isFalse();
    }

    @Test
    void theBarePipelineIsHandshakeChunkCodecAndSession() {
        channel.pipeline()
                .addLast(IngestChannelInitializer.builder(HANDSHAKE_TIMEOUT, NEVER_ASKED)
                        .build());

        assertThat(names())
                .containsExactly(
                        IngestChannelInitializer.HANDSHAKE,
                        IngestChannelInitializer.CHUNK_ENCODER,
                        IngestChannelInitializer.CHUNK_DECODER,
                        IngestChannelInitializer.SESSION);
        assertThat(channel.pipeline().get(IngestChannelInitializer.HANDSHAKE))
                .isInstanceOf(HandshakeServerHandler.class);
        assertThat(channel.pipeline().get(IngestChannelInitializer.CHUNK_ENCODER))
                .isInstanceOf(ChunkEncoder.class);
        assertThat(channel.pipeline().get(ChunkDecoder.class).limits()).isEqualTo(ChunkLimits.DEFAULT);
        assertThat(channel.pipeline().get(IngestChannelInitializer.SESSION)).isInstanceOf(IngestSession.class);
    }

    @Test
    void theServersPipelineHasItsGuardsAroundTheCodecInTheirPlaces() {
        ConnectionCap cap = new ConnectionCap(10, 2, events);
        ChunkLimitGuard guard = new ChunkLimitGuard(events);
        ChunkLimits beforePublish = new ChunkLimits(4096, 16384, 16, 65536);
        List<Channel> accepted = new ArrayList<>();
        channel.pipeline()
                .addLast(fullPipeline(cap, guard, beforePublish)
                        .onAccept(accepted::add)
                        .build());

        assertThat(accepted).containsExactly(channel);
        assertThat(names())
                .containsExactly(
                        "connectionCap",
                        "handshakeDeadline",
                        "publishDeadline",
                        "tls",
                        "handshake",
                        "chunkEncoder",
                        "chunkDecoder",
                        "chunkLimitGuard",
                        "publishLimits",
                        "probe",
                        "session");
        assertThat(channel.pipeline().get("connectionCap")).isSameAs(cap);
        assertThat(channel.pipeline().get("handshakeDeadline")).isInstanceOf(IngestDeadline.class);
        assertThat(channel.pipeline().get("publishDeadline")).isInstanceOf(IngestDeadline.class);
        assertThat(channel.pipeline().get("chunkLimitGuard")).isSameAs(guard);
        assertThat(channel.pipeline().get("publishLimits")).isInstanceOf(PublishLimits.class);
        assertThat(channel.pipeline().get(ChunkDecoder.class).limits()).isEqualTo(beforePublish);
    }

    @Test
    void theHandshakeHandlerAndItsDeadlineLeaveThePipelineOnceTheHandshakeIsDone() {
        channel.pipeline()
                .addLast(
                        fullPipeline(new ConnectionCap(10, 2, events), new ChunkLimitGuard(events), ChunkLimits.DEFAULT)
                                .build());
        assertThat(names()).contains("handshake", "handshakeDeadline");

        byte[] c0c1 = new byte[1 + HANDSHAKE_PART];
        c0c1[0] = 3;
        channel.writeInbound(Unpooled.wrappedBuffer(c0c1));
        assertThat(releaseOutbound()).as("S0 S1 S2").isEqualTo(1 + 2 * HANDSHAKE_PART);
        assertThat(names()).as("still waiting for C2").contains("handshake", "handshakeDeadline");

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[HANDSHAKE_PART]));

        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.pipeline().get(HandshakeServerHandler.class)).isNull();
        assertThat(names())
                .containsExactly(
                        "connectionCap",
                        "publishDeadline",
                        "tls",
                        "chunkEncoder",
                        "chunkDecoder",
                        "chunkLimitGuard",
                        "publishLimits",
                        "probe",
                        "session");
    }

    @Test
    void everyConnectionGetsItsOwnPerConnectionHandlersAndSharesTheGuards() {
        ConnectionCap cap = new ConnectionCap(10, 2, events);
        ChunkLimitGuard guard = new ChunkLimitGuard(events);
        IngestChannelInitializer initializer =
                fullPipeline(cap, guard, ChunkLimits.DEFAULT).build();
        EmbeddedChannel other = new EmbeddedChannel();
        try {
            channel.pipeline().addLast(initializer);
            other.pipeline().addLast(initializer);

            for (String perConnection :
                    List.of("handshakeDeadline", "publishDeadline", "tls", "handshake", "chunkDecoder", "session")) {
                assertThat(other.pipeline().get(perConnection))
                        .as(perConnection)
                        .isNotSameAs(channel.pipeline().get(perConnection));
            }
            assertThat(other.pipeline().get("connectionCap")).isSameAs(cap);
            assertThat(other.pipeline().get("chunkLimitGuard")).isSameAs(guard);
        } finally {
            assertThat(other.finishAndReleaseAll()).isFalse();
        }
    }

    private IngestChannelInitializer.Builder fullPipeline(
            ConnectionCap cap, ChunkLimitGuard guard, ChunkLimits beforePublish) {
        return IngestChannelInitializer.builder(HANDSHAKE_TIMEOUT, NEVER_ASKED)
                .connectionCap(cap)
                .deadlines(Duration.ofSeconds(5), Duration.ofSeconds(30), events)
                .front("tls", ch -> new ChannelInboundHandlerAdapter())
                .chunkLimits(beforePublish, new PendingBudget("before-publish", 1 << 20))
                .chunkLimitGuard(guard)
                .publishLimits(ChunkLimits.DEFAULT, new PendingBudget("publishing", 1 << 24))
                .beforeSession("probe", ch -> new ChannelInboundHandlerAdapter());
    }

    private List<String> names() {
        return List.copyOf(channel.pipeline().toMap().keySet());
    }

    private int releaseOutbound() {
        int bytes = 0;
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            bytes += buf.readableBytes();
            buf.release();
        }
        return bytes;
    }
}
