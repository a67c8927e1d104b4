package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.relay.GopDropPolicy.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-destination drop policy fed with synthetic FLV packets (legacy AVC, AAC). */
class GopDropPolicyTest {
    private static final long MAX_BYTES = 1_000_000;
    private static final long MAX_DELAY_MS = 2_000;
    private static final long BEHIND_LIMIT_MS = 10_000;

    private final GopDropPolicy policy = new GopDropPolicy(MAX_BYTES, MAX_DELAY_MS, BEHIND_LIMIT_MS);

    private static MediaPacket videoHeader() {
        return MediaPacket.fromRtmp(9, 0, Unpooled.wrappedBuffer(new byte[] {
            0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1F, (byte) 0xFF, (byte) 0xE0, 0x00
        }));
    }

    private static MediaPacket audioHeader() {
        return MediaPacket.fromRtmp(8, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 0x00, 0x12, 0x10}));
    }

    private static MediaPacket keyframe(long ts) {
        return MediaPacket.fromRtmp(9, ts, Unpooled.wrappedBuffer(new byte[] {0x17, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x65}));
    }

    private static MediaPacket inter(long ts) {
        return MediaPacket.fromRtmp(9, ts, Unpooled.wrappedBuffer(new byte[] {0x27, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x41}));
    }

    private static MediaPacket audio(long ts) {
        return MediaPacket.fromRtmp(8, ts, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 0x01, 0x21, 0x22}));
    }

    /** Offers a packet (and releases it) with the queue in the given condition. */
    private Verdict offer(MediaPacket p, long pendingBytes, long oldestAgeMs, long nowMs) {
        try {
            return policy.offer(
                    p.sequenceHeader() || p.metadata(),
                    p.isVideoKeyframe(),
                    p.content().readableBytes(),
                    pendingBytes,
                    oldestAgeMs,
                    nowMs);
        } finally {
            p.release();
        }
    }

    /** One GOP of 30 frames with audio between the video frames. */
    private List<Verdict> gop(long startMs, long pendingBytes, long oldestAgeMs) {
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(offer(keyframe(startMs), pendingBytes, oldestAgeMs, startMs));
        for (int i = 1; i < 30; i++) {
            verdicts.add(offer(audio(startMs + i * 33L), pendingBytes, oldestAgeMs, startMs + i * 33L));
            verdicts.add(offer(inter(startMs + i * 33L), pendingBytes, oldestAgeMs, startMs + i * 33L));
        }
        return verdicts;
    }

    @Test
    void aNewSessionGetsHeadersAtOnceAndMediaFromTheFirstKeyframe() {
        assertThat(offer(videoHeader(), 0, 0, 0)).isEqualTo(Verdict.SEND);
        assertThat(offer(audioHeader(), 0, 0, 0)).isEqualTo(Verdict.SEND);
        assertThat(offer(audio(0), 0, 0, 0)).as("audio before the keyframe").isEqualTo(Verdict.DROP);
        assertThat(offer(inter(0), 0, 0, 0)).isEqualTo(Verdict.DROP);
        assertThat(gop(33, 0, 0)).containsOnly(Verdict.SEND);
        assertThat(policy.framesDropped()).isEqualTo(2);
        assertThat(policy.gopsDropped()).isZero();
    }

    @Test
    void aLateQueueDropsTheNextWholeGopAudioIncludedAndResumesOnTheKeyframeAfter() {
        gop(0, 0, 0);
        List<Verdict> late = gop(1_000, 10_000, MAX_DELAY_MS + 1);
        List<Verdict> caughtUp = gop(2_000, 0, 0);

        assertThat(late).containsOnly(Verdict.DROP).hasSize(59);
        assertThat(caughtUp).containsOnly(Verdict.SEND);
        assertThat(policy.gopsDropped()).isEqualTo(1);
        assertThat(policy.framesDropped()).isEqualTo(59);
    }

    @Test
    void aGopStartedInTimeIsSentWholeEvenIfTheQueueGrowsLateDuringIt() {
        assertThat(offer(keyframe(0), 0, 0, 0)).isEqualTo(Verdict.SEND);
        for (int i = 1; i < 30; i++) {
            assertThat(offer(inter(i * 33L), 400_000, MAX_DELAY_MS + 500, i * 33L))
                    .isEqualTo(Verdict.SEND);
        }
        assertThat(policy.framesDropped()).isZero();
    }

    @Test
    void aQueueOverHalfItsByteBoundDropsTheGop() {
        gop(0, 0, 0);
        assertThat(offer(keyframe(1_000), MAX_BYTES / 2 + 1, 0, 1_000)).isEqualTo(Verdict.DROP);
        assertThat(policy.gopsDropped()).isEqualTo(1);
    }

    @Test
    void sequenceHeadersAreNeverDroppedEvenWhileAGopIs() {
        gop(0, 0, 0);
        offer(keyframe(1_000), 0, MAX_DELAY_MS + 1, 1_000);
        assertThat(offer(videoHeader(), 10_000, MAX_DELAY_MS + 1, 1_010)).isEqualTo(Verdict.SEND);
        assertThat(offer(inter(1_033), 10_000, MAX_DELAY_MS + 1, 1_033)).isEqualTo(Verdict.DROP);
    }

    @Test
    void aPacketThatWouldBreakTheByteBoundAsksForAReconnectInsteadOfCuttingTheGop() {
        gop(0, 0, 0);
        assertThat(offer(keyframe(1_000), 0, 0, 1_000)).isEqualTo(Verdict.SEND);
        assertThat(offer(inter(1_033), MAX_BYTES - 5, 0, 1_033)).isEqualTo(Verdict.RECONNECT);
    }

    @Test
    void aDestinationBehindPastTheLimitIsReconnected() {
        gop(0, 0, 0);
        long now = 1_000;
        List<Verdict> keyframeVerdicts = new ArrayList<>();
        while (now < 1_000 + BEHIND_LIMIT_MS + 2_000) {
            keyframeVerdicts.add(offer(keyframe(now), 10_000, MAX_DELAY_MS + 1, now));
            now += 1_000;
        }
        assertThat(keyframeVerdicts).startsWith(Verdict.DROP).endsWith(Verdict.RECONNECT);
        assertThat(policy.behindTooLong(0, now)).isTrue();
        assertThat(policy.behindTooLong(BEHIND_LIMIT_MS + 1, 0)).isTrue();
    }

    @Test
    void resyncAfterAReconnectWaitsForTheNextKeyframeAndForgetsBeingBehind() {
        gop(0, 0, 0);
        offer(keyframe(1_000), 10_000, MAX_DELAY_MS + 1, 1_000);
        policy.resync();
        assertThat(policy.behindTooLong(0, 1_000 + BEHIND_LIMIT_MS + 1)).isFalse();
        assertThat(offer(inter(1_033), 0, 0, 1_033)).isEqualTo(Verdict.DROP);
        assertThat(offer(keyframe(2_000), 0, 0, 2_000)).isEqualTo(Verdict.SEND);
    }
}
