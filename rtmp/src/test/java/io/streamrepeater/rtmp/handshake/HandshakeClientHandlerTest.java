package io.streamrepeater.rtmp.handshake;

import static io.streamrepeater.rtmp.handshake.HandshakeServerHandlerTest.concat;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.SIZE;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.testkit.CapturedLogs;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandshakeClientHandlerTest {

    @Test
    void sendsSimpleC0C1OnActiveAndEchoesS1AsC2() {
        RecordingHandler next = new RecordingHandler();
        EmbeddedChannel client = new EmbeddedChannel(new HandshakeClientHandler(Duration.ofSeconds(5)), next);
        try {
            byte[] c0c1 = drain(client);
            assertThat(c0c1).hasSize(1 + SIZE);
            assertThat(c0c1[0]).isEqualTo((byte) 3);
            assertThat(slice(c0c1, 5, 9)).containsExactly(0, 0, 0, 0);

            byte[] s1 = new byte[SIZE];
            new Random(11).nextBytes(s1);
            byte[] trailing = {9, 8, 7};
            byte[] answer = concat(concat(new byte[] {3}, s1), concat(slice(c0c1, 1, 1 + SIZE), trailing));
            for (byte b : answer) {
                client.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }

            assertThat(drain(client)).as("C2").isEqualTo(s1);
            assertThat(client.pipeline().get(HandshakeClientHandler.class))
                    .as("pipeline shrank")
                    .isNull();
            assertThat(next.events).containsExactly(new HandshakeCompleted(HandshakeForm.SIMPLE));
            assertThat(next.handshakeHandlerPresentAtEvent).isFalse();
            assertThat(next.bytes.toByteArray()).isEqualTo(trailing);
        } finally {
            assertThat(client.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void wrongS0VersionCloses() {
        EmbeddedChannel client = new EmbeddedChannel(new HandshakeClientHandler(Duration.ofSeconds(5)));
        try (CapturedLogs log = CapturedLogs.of(HandshakeHandler.class)) {
            drain(client);
            client.writeInbound(Unpooled.wrappedBuffer(new byte[] {'H', 'T', 'T', 'P'}));
            assertThat(client.isOpen()).isFalse();
            assertThat(log.messages()).singleElement().asString().contains("S0 0x48 (looks like HTTP)");
        } finally {
            client.finishAndReleaseAll();
        }
    }

    @Test
    void serverThatNeverAnswersTimesOut() {
        EmbeddedChannel client = new EmbeddedChannel(new HandshakeClientHandler(Duration.ofMillis(1500)));
        try (CapturedLogs log = CapturedLogs.of(HandshakeHandler.class)) {
            drain(client);
            client.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
            client.runScheduledPendingTasks();
            assertThat(client.isOpen()).isFalse();
            assertThat(log.messages()).singleElement().asString().startsWith("handshake not completed within 1500ms");
        } finally {
            client.finishAndReleaseAll();
        }
    }

    @Test
    void clientAndServerHandlersCompleteWithEachOther() {
        RecordingHandler clientNext = new RecordingHandler();
        RecordingHandler serverNext = new RecordingHandler();
        EmbeddedChannel client = new EmbeddedChannel(new HandshakeClientHandler(Duration.ofSeconds(5)), clientNext);
        EmbeddedChannel server = new EmbeddedChannel(new HandshakeServerHandler(Duration.ofSeconds(5)), serverNext);
        try {
            // Shuttle until both sides are quiet; a handful of rounds is all a handshake needs.
            for (int round = 0; round < 10; round++) {
                boolean moved = shuttle(client, server) | shuttle(server, client);
                if (!moved) {
                    break;
                }
            }
            assertThat(clientNext.events).containsExactly(new HandshakeCompleted(HandshakeForm.SIMPLE));
            assertThat(serverNext.events).containsExactly(new HandshakeCompleted(HandshakeForm.SIMPLE));
            assertThat(client.pipeline().get(HandshakeClientHandler.class)).isNull();
            assertThat(server.pipeline().get(HandshakeServerHandler.class)).isNull();
            assertThat(client.isOpen()).isTrue();
            assertThat(server.isOpen()).isTrue();
        } finally {
            assertThat(client.finishAndReleaseAll()).isFalse();
            assertThat(server.finishAndReleaseAll()).isFalse();
        }
    }

    private static boolean shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        byte[] bytes = drain(from);
        if (bytes.length == 0) {
            return false;
        }
        to.writeInbound(Unpooled.wrappedBuffer(bytes));
        return true;
    }

    private static byte[] drain(EmbeddedChannel channel) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            try {
                all.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
        return all.toByteArray();
    }
}
