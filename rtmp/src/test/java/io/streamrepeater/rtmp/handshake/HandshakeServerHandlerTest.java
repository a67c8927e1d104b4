package io.streamrepeater.rtmp.handshake;

import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.FMS_KEY_36;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.FMS_KEY_68;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.SIZE;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.digestC1;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.digestOffset;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.hmac;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.hmacWithout;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.simpleC1;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.testkit.CapturedLogs;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeServerHandlerTest {
    private final RecordingHandler next = new RecordingHandler();
    private final EmbeddedChannel channel =
            new EmbeddedChannel(new HandshakeServerHandler(Duration.ofSeconds(10)), next) {
                @Override
                protected SocketAddress remoteAddress0() {
                    return new InetSocketAddress("127.0.0.1", 5555);
                }
            };

    @AfterEach
    void tearDown() {
        assertThat(channel.finishAndReleaseAll())
                .as("nothing left in the channel")
                .isFalse();
    }

    @Test
    void simpleC1IsAnsweredWithS1ZeroVersionAndS2EchoingC1() {
        byte[] c1 = simpleC1(1);
        write(concat(new byte[] {3}, c1));

        byte[] answer = readOutbound();
        assertThat(answer).hasSize(1 + 2 * SIZE);
        assertThat(answer[0]).isEqualTo((byte) 3);
        byte[] s1 = slice(answer, 1, 1 + SIZE);
        assertThat(slice(s1, 4, 8)).containsExactly(0, 0, 0, 0);
        assertThat(slice(answer, 1 + SIZE, 1 + 2 * SIZE)).isEqualTo(c1);
    }

    @ParameterizedTest(name = "digest offset from bytes {0}")
    @ValueSource(ints = {8, 772})
    void digestC1IsAnsweredWithSignedS1AndS2TheClientCanVerify(int offsetBase) {
        byte[] c1 = digestC1(42 + offsetBase, offsetBase);
        write(concat(new byte[] {3}, c1));

        byte[] answer = readOutbound();
        byte[] s1 = slice(answer, 1, 1 + SIZE);
        byte[] s2 = slice(answer, 1 + SIZE, 1 + 2 * SIZE);
        assertThat(s1[4] & 0xFF).as("server version major, ffmpeg checks >= 3").isGreaterThanOrEqualTo(3);
        int s1DigestAt = digestOffset(s1, offsetBase);
        assertThat(slice(s1, s1DigestAt, s1DigestAt + 32))
                .as("S1 digest with the 36-byte server key, same scheme as the client")
                .isEqualTo(hmacWithout(s1, s1DigestAt, FMS_KEY_36));

        int c1DigestAt = digestOffset(c1, offsetBase);
        byte[] signingKey = hmac(FMS_KEY_68, slice(c1, c1DigestAt, c1DigestAt + 32));
        assertThat(slice(s2, SIZE - 32, SIZE))
                .as("S2 signature the client verifies")
                .isEqualTo(hmac(signingKey, slice(s2, 0, SIZE - 32)));
        assertThat(s2).isNotEqualTo(c1);
    }

    @Test
    void digestFormC1WithAWrongDigestGetsTheSimpleAnswer() {
        byte[] c1 = digestC1(7, 8);
        int digestAt = digestOffset(c1, 8);
        c1[digestAt] ^= 0x01;
        write(concat(new byte[] {3}, c1));

        byte[] answer = readOutbound();
        assertThat(slice(answer, 1, 1 + SIZE))
                .satisfies(s1 -> assertThat(slice(s1, 4, 8)).containsExactly(0, 0, 0, 0));
        assertThat(slice(answer, 1 + SIZE, 1 + 2 * SIZE)).isEqualTo(c1);
    }

    @Test
    void completionRemovesTheHandlerFiresTheEventAndForwardsBytesAfterC2() {
        byte[] c1 = digestC1(3, 8);
        write(concat(new byte[] {3}, c1));
        release(readOutboundBuf());
        assertThat(channel.pipeline().get(HandshakeServerHandler.class)).isNotNull();
        int handlersBefore = channel.pipeline().names().size();

        byte[] afterC2 = "chunk bytes".getBytes(StandardCharsets.US_ASCII);
        write(concat(new byte[SIZE], afterC2));

        assertThat(channel.pipeline().get(HandshakeServerHandler.class))
                .as("pipeline shrank")
                .isNull();
        assertThat(channel.pipeline().names()).hasSize(handlersBefore - 1);
        assertThat(next.events).containsExactly(new HandshakeCompleted(HandshakeForm.DIGEST));
        assertThat(next.handshakeHandlerPresentAtEvent).isFalse();
        assertThat(next.bytes.toByteArray()).isEqualTo(afterC2);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void oneByteAtATimeCompletesAndForwardsTheRest() {
        byte[] c1 = simpleC1(9);
        byte[] trailing = {1, 2, 3, 4, 5};
        byte[] all = concat(concat(new byte[] {3}, c1), concat(new byte[SIZE], trailing));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        for (byte b : all) {
            write(new byte[] {b});
            answer.writeBytes(readOutbound());
        }
        assertThat(answer.size()).isEqualTo(1 + 2 * SIZE);
        assertThat(slice(answer.toByteArray(), 1 + SIZE, 1 + 2 * SIZE)).isEqualTo(c1);
        assertThat(channel.pipeline().get(HandshakeServerHandler.class)).isNull();
        assertThat(next.events).containsExactly(new HandshakeCompleted(HandshakeForm.SIMPLE));
        assertThat(next.bytes.toByteArray()).isEqualTo(trailing);
    }

    @Test
    void wrongVersionClosesWithAReason() {
        try (CapturedLogs log = CapturedLogs.of(HandshakeHandler.class)) {
            write(new byte[] {6, 0, 0, 0});
            assertThat(channel.isOpen()).isFalse();
            assertThat(readOutbound()).isEmpty();
            assertThat(next.events).isEmpty();
            assertThat(log.messages())
                    .containsExactly("handshake rejected from /127.0.0.1:5555: C0 version 6 "
                            + "(encrypted RTMPE, not supported), expected 3, closing");
        }
    }

    @Test
    void tlsOnThePlainPortIsNamedInTheLog() {
        try (CapturedLogs log = CapturedLogs.of(HandshakeHandler.class)) {
            write(new byte[] {0x16, 3, 1});
            assertThat(channel.isOpen()).isFalse();
            assertThat(log.messages()).singleElement().asString().contains("looks like a TLS ClientHello");
        }
    }

    @Test
    void handshakeNotCompletedInTimeCloses() {
        try (CapturedLogs log = CapturedLogs.of(HandshakeHandler.class)) {
            write(concat(new byte[] {3}, simpleC1(5)));
            release(readOutboundBuf());
            channel.advanceTimeBy(9, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
            assertThat(channel.isOpen()).isTrue();

            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
            assertThat(channel.isOpen()).isFalse();
            assertThat(log.messages())
                    .containsExactly("handshake not completed within 10s with /127.0.0.1:5555, closing");
        }
    }

    @Test
    void completedHandshakeIsNotClosedByTheDeadline() {
        write(concat(concat(new byte[] {3}, simpleC1(6)), new byte[SIZE]));
        release(readOutboundBuf());
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(next.events).hasSize(1);
    }

    private void write(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private ByteBuf readOutboundBuf() {
        return channel.readOutbound();
    }

    private byte[] readOutbound() {
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

    private static void release(ByteBuf buf) {
        assertThat(buf).isNotNull();
        buf.release();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
