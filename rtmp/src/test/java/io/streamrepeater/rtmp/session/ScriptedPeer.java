package io.streamrepeater.rtmp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.message.CommandMessage;
import io.streamrepeater.rtmp.message.MessageCodec;
import io.streamrepeater.rtmp.message.RtmpMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Two embedded pipelines joined back to back: the session under test on one side, our own chunk
 * codec on the other playing the peer, with bytes shuttled between them (DESIGN §6.9).
 */
final class ScriptedPeer implements AutoCloseable {
    final EmbeddedChannel session;
    final EmbeddedChannel peer;

    ScriptedPeer(ChannelHandler sessionHandler) {
        session = new EmbeddedChannel(new ChunkEncoder(), new ChunkDecoder(ChunkLimits.DEFAULT), sessionHandler);
        peer = new EmbeddedChannel(new ChunkEncoder(), new ChunkDecoder(ChunkLimits.DEFAULT));
    }

    /**
     * @param front a handler in front of the session's chunk codec, as the server's guards are
     * @param clock the session's clock, moved by the test
     */
    ScriptedPeer(ChannelHandler front, ChannelHandler sessionHandler, MockTicker clock) {
        session = EmbeddedChannel.builder()
                .ticker(clock)
                .handlers(front, new ChunkEncoder(), new ChunkDecoder(ChunkLimits.DEFAULT), sessionHandler)
                .build();
        peer = new EmbeddedChannel(new ChunkEncoder(), new ChunkDecoder(ChunkLimits.DEFAULT));
    }

    /** The peer sends a message; it reaches the session. */
    void send(RawMessage msg) {
        peer.writeOutbound(msg);
        shuttle();
    }

    void send(RtmpMessage msg, int messageStreamId) {
        send(msg.toRaw(peer.alloc(), messageStreamId));
    }

    void sendRawBytes(byte[] bytes) {
        session.writeInbound(Unpooled.wrappedBuffer(bytes));
        shuttle();
    }

    /** Moves bytes both ways until nothing is pending. */
    void shuttle() {
        for (int round = 0; round < 16; round++) {
            boolean moved = false;
            for (ByteBuf b; (b = peer.readOutbound()) != null; ) {
                moved = true;
                if (session.isOpen()) {
                    session.writeInbound(b);
                } else {
                    b.release();
                }
            }
            for (ByteBuf b; (b = session.readOutbound()) != null; ) {
                moved = true;
                peer.writeInbound(b);
            }
            if (!moved) {
                return;
            }
        }
    }

    /** Every command the peer received since the last call (other messages are released). */
    List<CommandMessage> receivedCommands() {
        return receivedCommandsWithStreams().stream().map(Received::command).toList();
    }

    /** A command the peer received and the message stream it came on. */
    record Received(CommandMessage command, int messageStreamId) {}

    /** Every command the peer received since the last call, with its message stream (other messages are released). */
    List<Received> receivedCommandsWithStreams() {
        List<Received> cmds = new ArrayList<>();
        for (RawMessage m; (m = peer.readInbound()) != null; ) {
            try {
                if (MessageCodec.decode(m) instanceof CommandMessage c) {
                    cmds.add(new Received(c, m.messageStreamId()));
                }
            } finally {
                m.release();
            }
        }
        return cmds;
    }

    @Override
    public void close() {
        session.finishAndReleaseAll();
        peer.finishAndReleaseAll();
    }
}
