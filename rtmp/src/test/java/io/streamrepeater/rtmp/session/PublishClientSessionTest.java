package io.streamrepeater.rtmp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.rtmp.handshake.HandshakeCompleted;
import io.streamrepeater.rtmp.handshake.HandshakeForm;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
                    ? new PublishDecision.Accepted(new PublishSink() {
                        @Override
                        public void packet(MediaPacket packet) {
                            packet.release();
                        }

                        @Override
                        public void end(String reason) {
                        }
                    }, "x")
                    : new PublishDecision.Rejected("NetStream.Publish.BadName", "unknown stream key");
        };
    }

    private void run(RtmpUrl url, PublishGate gate) {
        EmbeddedChannel client = new EmbeddedChannel(new ChunkEncoder(), new ChunkDecoder(ChunkLimits.DEFAULT),
                new PublishClientSession(url, 4096, ackWindowBytes, listener));
        EmbeddedChannel server = new EmbeddedChannel(new ChunkEncoder(), new ChunkDecoder(ChunkLimits.DEFAULT),
                new IngestSession(gate));
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
}
