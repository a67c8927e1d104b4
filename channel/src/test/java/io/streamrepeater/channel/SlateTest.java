package io.streamrepeater.channel;

import static io.streamrepeater.channel.Packets.keyframe;
import static io.streamrepeater.channel.Packets.videoHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.streamrepeater.media.FlvFileReader;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The slate: a real FLV file (made by ffmpeg) played as the last-resort input. */
class SlateTest {
    private final MutableClock clock = new MutableClock();
    private final List<String> out = new ArrayList<>();
    private final List<Long> videoDts = new ArrayList<>();
    private LiveChannel channel;

    @AfterEach
    void tearDown() {
        channel.close();
    }

    private void run(long ms) {
        for (long t = 0; t < ms; t += 10) {
            clock.advance(10);
            channel.playSlate();
            channel.tick();
        }
    }

    @Test
    void slatePlaysWhenNoInputIsUsableAndIsLeftAsSoonAsOneIs() {
        Path file = TestMedia.h264Aac(Duration.ofSeconds(2), 10, "160x90", 10, "100k");
        channel = new LiveChannel(
                "show",
                List.of(new InputSpec("primary", true)),
                FailoverPolicy.defaults(),
                ImmediateEventExecutor.INSTANCE,
                clock);
        channel.useSlate(FlvFileReader.read(file, PooledByteBufAllocator.DEFAULT, 64 << 20));
        channel.addOutput(p -> {
            out.add(p.kind().name().charAt(0) + (p.sequenceHeader() ? "hdr" : p.isVideoKeyframe() ? "key" : ""));
            if (p.kind() == io.streamrepeater.media.MediaKind.VIDEO && !p.sequenceHeader()) {
                videoDts.add(p.dts());
            }
        });

        run(5000); // two and a half loops of the slate
        assertThat(channel.activeInput()).isEqualTo("slate");
        assertThat(out).containsSubsequence("Vhdr", "Vkey");
        assertThat(out.indexOf("Vkey")).isLessThan(out.indexOf("V"));
        assertThat(videoDts).isSorted();
        assertThat(videoDts.get(videoDts.size() - 1))
                .as("timestamps keep increasing across loops")
                .isGreaterThan(4000);
        assertThat(videoDts.size()).isBetween(45, 53); // 10 fps for 5 s, give or take the loop edges

        InputSession primary = channel.openInput("primary", "10.0.0.1:1", () -> {});
        primary.packet(videoHeader(0, 1));
        primary.packet(keyframe(0));
        assertThat(channel.activeInput())
                .as("left at the primary's first keyframe")
                .isEqualTo("primary");

        primary.close("disconnect");
        run(1500); // the slate resumes at its next keyframe (one per second)
        assertThat(channel.activeInput()).isEqualTo("slate");
        assertThat(videoDts).isSorted();
    }

    @Test
    void slateFileIsReleasedWithTheChannel() {
        Path file = TestMedia.h264Aac(Duration.ofSeconds(2), 10, "160x90", 10, "100k");
        channel = new LiveChannel(
                "show",
                List.of(new InputSpec("primary", true)),
                FailoverPolicy.defaults(),
                ImmediateEventExecutor.INSTANCE,
                clock);
        var flv = FlvFileReader.read(file, PooledByteBufAllocator.DEFAULT, 64 << 20);
        List<MediaPacket> packets = flv.packets();
        channel.useSlate(flv);
        run(300);
        channel.close();
        assertThat(packets).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        channel = new LiveChannel("x", List.of(), ImmediateEventExecutor.INSTANCE);
    }
}
