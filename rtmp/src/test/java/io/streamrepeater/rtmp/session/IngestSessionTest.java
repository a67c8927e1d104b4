package io.streamrepeater.rtmp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamrepeater.amf0.Amf0Object;
import io.streamrepeater.amf0.Amf0Reader;
import io.streamrepeater.amf0.Amf0Writer;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.message.CommandMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestSessionTest {
    private static final String KEY = "secret-key-1";

    private final List<String> sinkLog = new ArrayList<>();
    private final List<String> keysAsked = new ArrayList<>();

    private final PublishGate gate = (key, publisher) -> {
        keysAsked.add(key);
        if (!KEY.equals(key)) {
            return new PublishDecision.Rejected("NetStream.Publish.BadName", "unknown stream key");
        }
        return new PublishDecision.Accepted(
                new PublishSink() {
                    @Override
                    public void packet(MediaPacket p) {
                        try {
                            sinkLog.add(p.kind() + "@" + p.dts() + (p.isVideoKeyframe() ? "-key" : ""));
                        } finally {
                            p.release();
                        }
                    }

                    @Override
                    public void end(String reason) {
                        sinkLog.add("end:" + reason);
                    }
                },
                "show/primary");
    };

    private static Amf0Object connectObject() {
        Amf0Object o = new Amf0Object();
        o.put("app", "live");
        o.put("type", "nonprivate");
        o.put("flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)");
        o.put("tcUrl", "rtmp://127.0.0.1:1935/live");
        return o;
    }

    /** The command sequence ffmpeg sends, up to publish. */
    private static void publishAs(ScriptedPeer p, String streamName) {
        p.send(CommandMessage.of("connect", 1, connectObject()), 0);
        p.send(CommandMessage.of("releaseStream", 2, null, streamName), 0);
        p.send(CommandMessage.of("FCPublish", 3, null, streamName), 0);
        p.send(CommandMessage.of("createStream", 4, null), 0);
        p.send(CommandMessage.of("publish", 5, null, streamName, "live"), 1);
    }

    private static String code(CommandMessage c) {
        return c.argument(0) instanceof Map<?, ?> m ? String.valueOf(m.get("code")) : "-";
    }

    @Test
    void answersTheEncoderSequenceAndDeliversMedia() {
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(gate))) {
            publishAs(p, KEY + "?token=abc");
            List<CommandMessage> answers = p.receivedCommands();
            assertThat(answers)
                    .extracting(CommandMessage::name)
                    .containsExactly("_result", "_result", "_result", "_result", "onStatus");
            assertThat(code(answers.get(0))).isEqualTo("NetConnection.Connect.Success");
            assertThat(answers.get(3).argument(0)).isEqualTo(1.0); // createStream: stream id 1
            assertThat(code(answers.get(4))).isEqualTo("NetStream.Publish.Start");
            assertThat(keysAsked).containsExactly(KEY); // query string removed

            p.send(new RawMessage(6, 9, 1000, 1, Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0, 1, 2})));
            p.send(new RawMessage(4, 8, 1010, 1, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 1, 3})));
            p.send(CommandMessage.of("FCUnpublish", 6, null, KEY), 0);
            assertThat(sinkLog).containsExactly("VIDEO@1000-key", "AUDIO@1010", "end:FCUnpublish");
            assertThat(p.session.isOpen()).isTrue();
        }
    }

    @Test
    void wrongKeyIsRejectedWithBadNameAndTheConnectionClosed() {
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(gate))) {
            publishAs(p, "not-the-key");
            List<CommandMessage> answers = p.receivedCommands();
            assertThat(answers).last().satisfies(c -> {
                assertThat(c.name()).isEqualTo("onStatus");
                assertThat(code(c)).isEqualTo("NetStream.Publish.BadName");
            });
            assertThat(p.session.isOpen()).isFalse();
            assertThat(sinkLog).isEmpty();
        }
    }

    @Test
    void onMetaDataWithoutSetDataFrameIsRelayedInTheSetDataFrameForm() {
        List<List<Object>> seen = new ArrayList<>();
        PublishGate metaGate = (key, publisher) -> new PublishDecision.Accepted(
                new PublishSink() {
                    @Override
                    public void packet(MediaPacket pkt) {
                        try {
                            assertThat(pkt.kind()).isEqualTo(MediaKind.DATA);
                            seen.add(Amf0Reader.readAll(pkt.content().duplicate()));
                        } finally {
                            pkt.release();
                        }
                    }

                    @Override
                    public void end(String reason) {}
                },
                "x");
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(metaGate))) {
            publishAs(p, KEY);
            ByteBuf body = Unpooled.buffer();
            Amf0Object meta = new Amf0Object();
            meta.put("width", 640.0);
            Amf0Writer.writeAll(body, "onMetaData", meta);
            p.send(new RawMessage(5, 18, 0, 1, body));
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)).containsExactly("@setDataFrame", "onMetaData", meta);
        }
    }

    @Test
    void unknownCommandClosesThatConnection() {
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(gate))) {
            p.send(CommandMessage.of("connect", 1, connectObject()), 0);
            p.send(CommandMessage.of("formatHardDisk", 2, null), 0);
            assertThat(p.session.isOpen()).isFalse();
        }
    }

    @Test
    void malformedCommandClosesThatConnection() {
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(gate))) {
            // fmt 0, csid 3, ts 0, length 3, type 20 (command), msid 0, then an AMF0 string cut short
            p.sendRawBytes(new byte[] {0x03, 0, 0, 0, 0, 0, 3, 20, 0, 0, 0, 0, 0x02, 0x00, 0x10});
            assertThat(p.session.isOpen()).isFalse();
        }
    }

    @Test
    void pingRequestIsAnswered() {
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(gate))) {
            p.send(new io.streamrepeater.rtmp.message.UserControlMessage.UserControlPingRequest(12345), 0);
            RawMessage m = p.peer.readInbound();
            try {
                assertThat(m).isNotNull();
                assertThat(io.streamrepeater.rtmp.message.MessageCodec.decode(m))
                        .isEqualTo(
                                new io.streamrepeater.rtmp.message.UserControlMessage.UserControlPingResponse(12345));
            } finally {
                m.release();
            }
        }
    }

    /** Regression: with the decoder in front of the encoder, acknowledgements bypassed the encoder. */
    @Test
    void acknowledgementsReachThePeerAsChunks() {
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(gate))) {
            p.send(new io.streamrepeater.rtmp.message.WindowAcknowledgementSize(100), 0);
            publishAs(p, KEY);
            p.receivedCommands(); // drains everything received so far, acknowledgements included
            p.send(new RawMessage(6, 9, 0, 1, Unpooled.wrappedBuffer(new byte[200])));
            RawMessage ack = p.peer.readInbound();
            try {
                assertThat(ack).isNotNull();
                assertThat(ack.typeId()).isEqualTo(3);
            } finally {
                ack.release();
            }
        }
    }

    @Test
    void delayedRejectionAnswersOnlyAfterTheDelay() {
        PublishGate slow = (key, publisher) ->
                new PublishDecision.Rejected("NetStream.Publish.BadName", "unknown stream key", 2000);
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(slow))) {
            publishAs(p, "guess-1");
            assertThat(p.receivedCommands()).extracting(CommandMessage::name).doesNotContain("onStatus");
            assertThat(p.session.isOpen()).isTrue();
            p.session.advanceTimeBy(2001, java.util.concurrent.TimeUnit.MILLISECONDS);
            p.session.runScheduledPendingTasks();
            p.shuttle();
            assertThat(p.receivedCommands())
                    .last()
                    .satisfies(c -> assertThat(code(c)).isEqualTo("NetStream.Publish.BadName"));
            assertThat(p.session.isOpen()).isFalse();
        }
    }

    @Test
    void serverShutdownTellsThePublisherUnpublishSuccessOnItsStreamThenCloses() {
        IngestSession session = new IngestSession(gate);
        try (ScriptedPeer p = new ScriptedPeer(session)) {
            publishAs(p, KEY);
            p.receivedCommands();

            io.netty.channel.ChannelFuture closed = session.endByServer("Server shutting down.");
            p.session.runPendingTasks();
            p.shuttle();

            List<ScriptedPeer.Received> got = p.receivedCommandsWithStreams();
            assertThat(got).hasSize(1);
            CommandMessage status = got.get(0).command();
            assertThat(status.name()).isEqualTo("onStatus");
            assertThat(got.get(0).messageStreamId())
                    .as("on the stream the encoder publishes on")
                    .isEqualTo(1);
            Map<?, ?> info = (Map<?, ?>) status.argument(0);
            assertThat(info.get("level")).isEqualTo("status");
            assertThat(info.get("code")).isEqualTo("NetStream.Unpublish.Success");
            assertThat(info.get("description")).isEqualTo("Server shutting down.");
            assertThat(sinkLog).containsExactly("end:server: Server shutting down.");
            assertThat(p.session.isOpen()).isFalse();
            assertThat(closed.isDone()).isTrue();
        }
    }

    @Test
    void serverShutdownClosesAConnectionThatDoesNotPublishWithoutAStatus() {
        IngestSession session = new IngestSession(gate);
        try (ScriptedPeer p = new ScriptedPeer(session)) {
            p.send(CommandMessage.of("connect", 1, connectObject()), 0);
            p.receivedCommands();

            io.netty.channel.ChannelFuture closed = session.endByServer("Server shutting down.");
            p.session.runPendingTasks();
            p.shuttle();

            assertThat(p.receivedCommands()).isEmpty();
            assertThat(sinkLog).isEmpty();
            assertThat(p.session.isOpen()).isFalse();
            assertThat(closed.isDone()).isTrue();
        }
    }

    @Test
    void anEncoderThatAnnouncedReconnectIsAskedToMoveWithTheOtherServersTcUrl() {
        IngestSession session = new IngestSession(gate);
        try (ScriptedPeer p = new ScriptedPeer(session)) {
            Amf0Object connect = connectObject();
            connect.put("capsEx", (double) IngestSession.CAPS_EX_RECONNECT);
            p.send(CommandMessage.of("connect", 1, connect), 0);
            p.send(CommandMessage.of("createStream", 2, null), 0);
            p.send(CommandMessage.of("publish", 3, null, KEY, "live"), 1);
            List<CommandMessage> answers = p.receivedCommands();
            assertThat(answers.get(0).commandObject())
                    .as("the server says it may send reconnect requests and takes multitrack tags")
                    .isInstanceOf(Map.class)
                    .satisfies(o -> assertThat(((Map<?, ?>) o).get("capsEx")).isEqualTo(3.0));

            assertThat(session.requestReconnect("127.0.0.52", 1936, "node a is draining"))
                    .isTrue();
            p.session.runPendingTasks(); // sent on the connection's loop
            p.shuttle();
            List<ScriptedPeer.Received> after = p.receivedCommandsWithStreams();
            assertThat(after).hasSize(1);
            assertThat(after.get(0).messageStreamId())
                    .as("a NetConnection status: stream 0")
                    .isZero();
            CommandMessage request = after.get(0).command();
            assertThat(request.name()).isEqualTo("onStatus");
            assertThat(request.transactionId()).isZero();
            assertThat(request.commandObject()).isNull();
            Map<?, ?> info = (Map<?, ?>) request.argument(0);
            assertThat(info.get("code")).isEqualTo("NetConnection.Connect.ReconnectRequest");
            assertThat(info.get("level")).isEqualTo("status");
            assertThat(info.get("tcUrl")).isEqualTo("rtmp://127.0.0.52:1936/live");
            assertThat(info.get("description")).isEqualTo("node a is draining");
            assertThat(p.session.isOpen()).as("the encoder leaves by itself").isTrue();
        }
    }

    @Test
    void anEncoderThatDidNotAnnounceReconnectIsNotAsked() {
        IngestSession session = new IngestSession(gate);
        try (ScriptedPeer p = new ScriptedPeer(session)) {
            publishAs(p, KEY);
            assertThat(p.receivedCommands().get(0).commandObject())
                    .satisfies(o ->
                            assertThat(((Map<?, ?>) o).containsKey("capsEx")).isFalse());
            assertThat(session.requestReconnect("127.0.0.52", 1936, "node a is draining"))
                    .isFalse();
            p.session.runPendingTasks();
            p.shuttle();
            assertThat(p.receivedCommands()).isEmpty();
        }
    }

    @Test
    void anEnhancedRtmpEncodersCodecListIsAnsweredWithTheCodecsTakenEachMarkedCanForward() {
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(gate))) {
            Amf0Object connect = connectObject();
            connect.put("fourCcList", List.of("hvc1", "av01", "too-long", 7.0));
            Amf0Object infoMap = new Amf0Object();
            infoMap.put("vp09", 7.0);
            infoMap.put("hvc1", 7.0);
            connect.put("videoFourCcInfoMap", infoMap);
            p.send(CommandMessage.of("connect", 1, connect), 0);
            Map<?, ?> props = (Map<?, ?>) p.receivedCommands().get(0).commandObject();
            assertThat(props.get("fourCcList"))
                    .as("v1's list and v2's map, once each, odd entries left out")
                    .isEqualTo(List.of("hvc1", "av01", "vp09"));
            assertThat((Object) props.get("videoFourCcInfoMap"))
                    .isEqualTo(Map.of("hvc1", 4.0, "av01", 4.0, "vp09", 4.0));
        }
    }

    @Test
    void aPlainEncoderGetsNoCodecList() {
        try (ScriptedPeer p = new ScriptedPeer(new IngestSession(gate))) {
            p.send(CommandMessage.of("connect", 1, connectObject()), 0);
            Map<?, ?> props = (Map<?, ?>) p.receivedCommands().get(0).commandObject();
            assertThat(props.containsKey("fourCcList") || props.containsKey("videoFourCcInfoMap"))
                    .isFalse();
        }
    }

    @Test
    void aListOfMoreThanSixteenCodecsIsCut() {
        List<Object> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(String.format("c%03d", i));
        }
        assertThat(EnhancedCodecs.read(Map.of("fourCcList", many))).hasSize(16);
        assertThat(EnhancedCodecs.read(Map.of("fourCcList", "hvc1"))).isEmpty();
    }
}
