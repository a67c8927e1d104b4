package io.streamrepeater.rtmp.handshake;

import static io.streamrepeater.rtmp.CapturedClientBytes.FFMPEG_C0_C1;
import static io.streamrepeater.rtmp.CapturedClientBytes.FFMPEG_C1_DIGEST_OFFSET;
import static io.streamrepeater.rtmp.CapturedClientBytes.GSTREAMER_C0_C1;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.FMS_KEY_36;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.FMS_KEY_68;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.PLAYER_KEY_30;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.SIZE;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.digestOffset;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.hmac;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.hmacWithout;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handshake against the C0+C1 that real clients sent ({@link io.streamrepeater.rtmp.CapturedClientBytes}). */
class CapturedClientHandshakeTest {
    private final RecordingHandler next = new RecordingHandler();
    private final EmbeddedChannel channel =
            new EmbeddedChannel(new HandshakeServerHandler(Duration.ofSeconds(10)), next);

    @AfterEach
    void tearDown() {
        assertThat(channel.finishAndReleaseAll())
                .as("nothing left in the channel")
                .isFalse();
    }

    @Test
    void ffmpegC1DigestValidatesWithThePlayerKeyAtScheme0() {
        byte[] c1 = slice(FFMPEG_C0_C1, 1, 1 + SIZE);
        assertThat(digestOffset(c1, 8))
                .as("offset the captured bytes 8..11 select")
                .isEqualTo(FFMPEG_C1_DIGEST_OFFSET);
        assertThat(hmacWithout(c1, FFMPEG_C1_DIGEST_OFFSET, PLAYER_KEY_30))
                .as("the test's own HMAC of the captured C1")
                .isEqualTo(slice(c1, FFMPEG_C1_DIGEST_OFFSET, FFMPEG_C1_DIGEST_OFFSET + 32));
        assertThat(HandshakeDigest.findClientDigest(c1)).isEqualTo(DigestScheme.SCHEME_0);
    }

    @Test
    void ffmpegC1IsAnsweredWithASignedS1AndAnS2SignedWithItsDigest() {
        byte[] c1 = slice(FFMPEG_C0_C1, 1, 1 + SIZE);
        write(FFMPEG_C0_C1);

        byte[] answer = readOutbound();
        assertThat(answer).hasSize(1 + 2 * SIZE);
        assertThat(answer[0]).as("S0").isEqualTo((byte) 3);
        byte[] s1 = slice(answer, 1, 1 + SIZE);
        byte[] s2 = slice(answer, 1 + SIZE, 1 + 2 * SIZE);
        assertThat(s1[4] & 0xFF).as("server version major; ffmpeg checks >= 3").isGreaterThanOrEqualTo(3);
        int s1DigestAt = digestOffset(s1, 8);
        assertThat(slice(s1, s1DigestAt, s1DigestAt + 32))
                .as("S1 digest, 36-byte server key, scheme 0 like the C1")
                .isEqualTo(hmacWithout(s1, s1DigestAt, FMS_KEY_36));
        byte[] signingKey = hmac(FMS_KEY_68, slice(c1, FFMPEG_C1_DIGEST_OFFSET, FFMPEG_C1_DIGEST_OFFSET + 32));
        assertThat(slice(s2, SIZE - 32, SIZE))
                .as("S2 signature ffmpeg verifies against its own C1 digest")
                .isEqualTo(hmac(signingKey, slice(s2, 0, SIZE - 32)));

        write(new byte[SIZE]); // C2: not checked by the server
        assertThat(next.events).containsExactly(new HandshakeCompleted(HandshakeForm.DIGEST));
        assertThat(channel.pipeline().get(HandshakeServerHandler.class))
                .as("pipeline shrank")
                .isNull();
    }

    @Test
    void gstreamerC1IsSimpleFormAndGetsS2EchoingIt() {
        byte[] c1 = slice(GSTREAMER_C0_C1, 1, 1 + SIZE);
        write(GSTREAMER_C0_C1);

        byte[] answer = readOutbound();
        assertThat(answer).hasSize(1 + 2 * SIZE);
        assertThat(slice(answer, 5, 9)).as("S1 bytes 4..7: simple form").containsExactly(0, 0, 0, 0);
        assertThat(slice(answer, 1 + SIZE, 1 + 2 * SIZE)).as("S2 echoes C1").isEqualTo(c1);

        write(new byte[SIZE]); // C2: not checked by the server
        assertThat(next.events).containsExactly(new HandshakeCompleted(HandshakeForm.SIMPLE));
        assertThat(channel.pipeline().get(HandshakeServerHandler.class))
                .as("pipeline shrank")
                .isNull();
    }

    private void write(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private byte[] readOutbound() {
        ByteBuf buf = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
