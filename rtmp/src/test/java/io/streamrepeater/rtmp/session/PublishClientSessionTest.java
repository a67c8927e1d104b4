package io.streamrepeater.rtmp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.amf0.Amf0Object;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.handshake.HandshakeCompleted;
import io.streamrepeater.rtmp.handshake.HandshakeForm;
import io.streamrepeater.rtmp.message.CommandMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our publish client against our ingest session, over our own chunk codec on both sides. */
class PublishClientSessionTest {
    private final List<String> events = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    private final PublishListener listener = new PublishListener() {
        @Override
        public void live(Channel channel, int messageStreamId) {
            events.add("live:" + messageStreamId);
        }

        @Override
        public void rejected(String statusCode, String description) {
            events.add("rejected:" + statusCode + ":" + description);
        }

        @Override
        public void acknowledged(long sequenceNumber) {
            acknowledgements.add(sequenceNumber);
        }
    };
    private final List<Long> acknowledgements = new ArrayList<>();
    private long ackWindowBytes;

    private PublishGate gate(String acceptedKey) {
        return (key, publisher) -> {
            keys.add(key);
            return key.equals(acceptedKey)
                    ? new PublishDecision.Accepted(
                            new PublishSink() {
                                @Override
                                public void packet(MediaPacket packet) {
                                    packet.release();
                                }

                                @Override
                                public void end(String reason) {}
                            },
                            "x")
                    : new PublishDecision.Rejected("NetStream.Publish.BadName", "unknown stream key");
        };
    }

    private void run(RtmpUrl url, PublishGate gate) {
        EmbeddedChannel client = new EmbeddedChannel(
                new ChunkEncoder(),
                new ChunkDecoder(ChunkLimits.DEFAULT),
                new PublishClientSession(url, 4096, ackWindowBytes, listener));
        EmbeddedChannel server =
                new EmbeddedChannel(new ChunkEncoder(), new ChunkDecoder(ChunkLimits.DEFAULT), new IngestSession(gate));
        try {
            client.pipeline().fireUserEventTriggered(new HandshakeCompleted(HandshakeForm.SIMPLE));
            for (int round = 0; round < 20; round++) {
                boolean moved = false;
                for (ByteBuf b; (b = client.readOutbound()) != null; moved = true) {
                    if (server.isOpen()) {
                        server.writeInbound(b);
                    } else {
                        b.release();
                    }
                }
                for (ByteBuf b; (b = server.readOutbound()) != null; moved = true) {
                    if (client.isOpen()) {
                        client.writeInbound(b);
                    } else {
                        b.release();
                    }
                }
                if (!moved) {
                    break;
                }
            }
        } finally {
            client.finishAndReleaseAll();
            server.finishAndReleaseAll();
        }
    }

    @Test
    void publishesWithTheStreamNameIncludingItsQueryString() {
        run(RtmpUrl.parse("rtmp://127.0.0.1:1935/live2/abc-key?backup=1"), gate("abc-key"));
        assertThat(events).containsExactly("live:1");
        assertThat(keys).containsExactly("abc-key"); // the ingest strips the query; the client sent it
    }

    @Test
    void rejectionCarriesThePeersStatusCodeAndText() {
        run(RtmpUrl.parse("rtmp://127.0.0.1:1935/app/wrong"), gate("right"));
        assertThat(events).containsExactly("rejected:NetStream.Publish.BadName:unknown stream key");
    }

    @Test
    void announcedAcknowledgementWindowMakesThePeerAcknowledgeAndTheListenerHearsIt() {
        ackWindowBytes = 64;
        run(RtmpUrl.parse("rtmp://127.0.0.1:1935/live/abc-key"), gate("abc-key"));
        assertThat(events).containsExactly("live:1");
        assertThat(acknowledgements).isNotEmpty().isSorted();
        assertThat(acknowledgements.get(0)).isGreaterThanOrEqualTo(64);
    }

    @Test
    void withoutAnAnnouncedWindowThePeerDoesNotAcknowledge() {
        run(RtmpUrl.parse("rtmp://127.0.0.1:1935/live/abc-key"), gate("abc-key"));
        assertThat(events).containsExactly("live:1");
        assertThat(acknowledgements).isEmpty();
    }

    private static Amf0Object status(String code) {
        Amf0Object info = new Amf0Object();
        info.put("level", "status");
        info.put("code", code);
        info.put("description", "");
        return info;
    }

    /** The peer answers connect and createStream (stream id 7), as a destination does, up to the publish. */
    private static void answerUpToPublish(ScriptedPeer p) {
        p.session.pipeline().fireUserEventTriggered(new HandshakeCompleted(HandshakeForm.SIMPLE));
        p.shuttle();
        assertThat(p.receivedCommands()).extracting(CommandMessage::name).containsExactly("connect");
        p.send(CommandMessage.of("_result", 1, null, status("NetConnection.Connect.Success")), 0);
        assertThat(p.receivedCommands())
                .extracting(CommandMessage::name)
                .containsExactly("releaseStream", "FCPublish", "createStream");
        p.send(CommandMessage.of("_result", 4, null, 7.0), 0);
        assertThat(p.receivedCommands()).extracting(CommandMessage::name).containsExactly("publish");
    }

    @Test
    void unpublishSendsFcUnpublishWithTheNameThenDeleteStreamWithTheStreamId() {
        PublishClientSession session =
                new PublishClientSession(RtmpUrl.parse("rtmp://127.0.0.1:1935/live/abc-key"), 4096, listener);
        try (ScriptedPeer p = new ScriptedPeer(session)) {
            answerUpToPublish(p);
            p.send(CommandMessage.of("onStatus", 0, null, status("NetStream.Publish.Start")), 7);
            assertThat(events).containsExactly("live:7");

            ChannelFuture written = session.unpublish();
            p.shuttle();

            assertThat(written.isSuccess()).isTrue();
            List<ScriptedPeer.Received> got = p.receivedCommandsWithStreams();
            assertThat(got).extracting(r -> r.command().name()).containsExactly("FCUnpublish", "deleteStream");
            assertThat(got).extracting(ScriptedPeer.Received::messageStreamId).containsExactly(0, 0);
            assertThat(got.get(0).command().stringArgument(0)).isEqualTo("abc-key");
            assertThat(got.get(1).command().transactionId()).isEqualTo(0.0);
            assertThat(got.get(1).command().argument(0)).isEqualTo(7.0);
        }
    }

    @Test
    void unpublishBeforeTheStreamExistsSendsNothing() {
        PublishClientSession session =
                new PublishClientSession(RtmpUrl.parse("rtmp://127.0.0.1:1935/live/abc-key"), 4096, listener);
        try (ScriptedPeer p = new ScriptedPeer(session)) {
            p.session.pipeline().fireUserEventTriggered(new HandshakeCompleted(HandshakeForm.SIMPLE));
            p.shuttle();
            p.receivedCommands();

            ChannelFuture written = session.unpublish();
            p.shuttle();

            assertThat(written.isSuccess()).isTrue();
            assertThat(p.receivedCommands()).isEmpty();
        }
    }

    @Test
    void aPublishStartAfterUnpublishIsNotReportedLive() {
        PublishClientSession session =
                new PublishClientSession(RtmpUrl.parse("rtmp://127.0.0.1:1935/live/abc-key"), 4096, listener);
        try (ScriptedPeer p = new ScriptedPeer(session)) {
            answerUpToPublish(p);
            session.unpublish();
            p.shuttle();
            assertThat(p.receivedCommands())
                    .extracting(CommandMessage::name)
                    .containsExactly("FCUnpublish", "deleteStream");

            p.send(CommandMessage.of("onStatus", 0, null, status("NetStream.Publish.Start")), 7);

            assertThat(events).isEmpty();
        }
    }

    @Test
    void unpublishingOurClientEndsThePublishAtOurIngest() {
        List<String> ends = new ArrayList<>();
        PublishGate recording = (key, publisher) -> new PublishDecision.Accepted(
                new PublishSink() {
                    @Override
                    public void packet(MediaPacket packet) {
                        packet.release();
                    }

                    @Override
                    public void end(String reason) {
                        ends.add(reason);
                    }
                },
                "x");
        PublishClientSession session =
                new PublishClientSession(RtmpUrl.parse("rtmp://127.0.0.1:1935/live/abc-key"), 4096, listener);
        EmbeddedChannel client =
                new EmbeddedChannel(new ChunkEncoder(), new ChunkDecoder(ChunkLimits.DEFAULT), session);
        EmbeddedChannel server = new EmbeddedChannel(
                new ChunkEncoder(), new ChunkDecoder(ChunkLimits.DEFAULT), new IngestSession(recording));
        try {
            client.pipeline().fireUserEventTriggered(new HandshakeCompleted(HandshakeForm.SIMPLE));
            shuttle(client, server);
            assertThat(events).containsExactly("live:1");

            session.unpublish();
            shuttle(client, server);

            assertThat(ends)
                    .containsExactly("FCUnpublish"); // the first of the two ends it; deleteStream finds it ended
        } finally {
            client.finishAndReleaseAll();
            server.finishAndReleaseAll();
        }
    }

    private static void shuttle(EmbeddedChannel client, EmbeddedChannel server) {
        for (int round = 0; round < 20; round++) {
            boolean moved = false;
            for (ByteBuf b; (b = client.readOutbound()) != null; moved = true) {
                server.writeInbound(b);
            }
            for (ByteBuf b; (b = server.readOutbound()) != null; moved = true) {
                client.writeInbound(b);
            }
            if (!moved) {
                return;
            }
        }
    }

    @Test
    void theCodecsToAnnounceGoInTheConnectAsFourCcListAndACanForwardInfoMap() {
        RtmpUrl url = RtmpUrl.parse("rtmp://127.0.0.1/live/key");
        try (ScriptedPeer p =
                new ScriptedPeer(new PublishClientSession(url, 4096, 0, listener, List.of("hvc1", "av01")))) {
            p.session.pipeline().fireUserEventTriggered(new HandshakeCompleted(HandshakeForm.SIMPLE));
            p.shuttle();
            CommandMessage connect = p.receivedCommands().get(0);
            assertThat(connect.name()).isEqualTo("connect");
            assertThat(connect.commandObjectMap().get("fourCcList")).isEqualTo(List.of("hvc1", "av01"));
            assertThat((Object) connect.commandObjectMap().get("videoFourCcInfoMap"))
                    .isEqualTo(Map.of("hvc1", 4.0, "av01", 4.0));
        }
        try (ScriptedPeer p = new ScriptedPeer(new PublishClientSession(url, 4096, 0, listener))) {
            p.session.pipeline().fireUserEventTriggered(new HandshakeCompleted(HandshakeForm.SIMPLE));
            p.shuttle();
            Map<String, Object> plain = p.receivedCommands().get(0).commandObjectMap();
            assertThat(plain.containsKey("fourCcList") || plain.containsKey("videoFourCcInfoMap"))
                    .as("nothing announced: a plain RTMP connect")
                    .isFalse();
        }
    }
}
