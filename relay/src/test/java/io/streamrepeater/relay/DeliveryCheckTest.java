package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.DrillDelivery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's own check of what one destination was sent (issue 15): counts, DTS steps, and decodability. */
class DeliveryCheckTest {
    private final List<MediaPacket> packets = new ArrayList<>();

    /** An AVC frame with composition time {@code cts}: PTS = DTS + cts. */
    private MediaPacket video(long dts, boolean key, int cts) {
        MediaPacket p = MediaPacket.fromRtmp(9, dts, Unpooled.wrappedBuffer(new byte[] {
            (byte) (key ? 0x17 : 0x27), 0x01, (byte) (cts >> 16), (byte) (cts >> 8), (byte) cts, 0, 0, 0, 1, 0x41
        }));
        packets.add(p);
        return p;
    }

    private MediaPacket audio(long dts) {
        MediaPacket p = MediaPacket.fromRtmp(8, dts, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 0x01, 0x21}));
        packets.add(p);
        return p;
    }

    private MediaPacket videoHeader() {
        MediaPacket p = MediaPacket.fromRtmp(9, 0, Unpooled.wrappedBuffer(new byte[] {0x17, 0x00, 0, 0, 0, 1, 0x64}));
        packets.add(p);
        return p;
    }

    @org.junit.jupiter.api.AfterEach
    void release() {
        packets.forEach(MediaPacket::release);
    }

    @Test
    void countsWhatWasSentSinceTheWindowOpened() {
        DeliveryCheck check = new DeliveryCheck();
        check.newSession();
        check.sent(videoHeader(), 50);
        check.sent(video(0, true, 67), 1000);
        check.open(); // the drill starts here
        check.sent(video(33, false, 133), 400);
        check.sent(audio(40), 30);
        check.sent(video(67, false, 33), 300);
        check.sent(video(167, false, 33), 300); // a 100 ms step
        DrillDelivery d = check.report("a", 0);
        assertThat(d).isEqualTo(new DrillDelivery("a", 1030, 3, 1, 33, 167, 100, 0, true, null));
    }

    @Test
    void aKeyframePresentedBeforeFramesAlreadyPresentedIsNotDecodableInOrder() {
        DeliveryCheck check = new DeliveryCheck();
        check.newSession();
        check.open();
        check.sent(video(0, true, 67), 1000);
        check.sent(video(33, false, 133), 400); // presented at 166, its B-frames never come
        check.sent(video(67, true, 67), 1000); // the new input's keyframe, presented at 134: before 166
        DrillDelivery d = check.report("a", 0);
        assertThat(d.decodable()).isFalse();
        assertThat(d.problem()).isEqualTo("keyframe presented at 134 ms, not after 166 ms already presented");
    }

    @Test
    void aSessionThatStartsOnAnInterFrameOrStepsBackIsNotDecodable() {
        DeliveryCheck check = new DeliveryCheck();
        check.newSession();
        check.open();
        check.sent(video(0, false, 0), 400);
        assertThat(check.report("a", 0).problem()).isEqualTo("video frame at 0 ms before any keyframe");

        DeliveryCheck back = new DeliveryCheck();
        back.newSession();
        back.open();
        back.sent(video(100, true, 0), 400);
        back.sent(video(90, false, 0), 400);
        assertThat(back.report("a", 0).problem()).isEqualTo("video DTS 90 ms after 100 ms");
    }

    @Test
    void aReconnectStartsANewSessionAtItsKeyframe() {
        DeliveryCheck check = new DeliveryCheck();
        check.newSession();
        check.open();
        check.sent(video(0, true, 67), 1000);
        check.sent(video(33, false, 133), 400);
        check.newSession(); // reconnected: the start-up packets begin again at the cached GOP's keyframe
        check.sent(video(0, true, 67), 1000);
        check.sent(video(33, false, 133), 400);
        assertThat(check.report("a", 1).decodable()).isTrue();
        assertThat(check.report("a", 1).reconnects()).isEqualTo(1);
    }
}
