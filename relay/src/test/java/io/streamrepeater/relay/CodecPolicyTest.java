package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.platform.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecPolicyTest {
    @Test
    void eachPlatformTakesItsCodecsAndIsAnnouncedOnlyTheEnhancedOnesItTakes() {
        CodecPolicy twitch = CodecPolicy.of(Platform.TWITCH);
        assertThat(twitch.takes("AVC")).isTrue();
        assertThat(twitch.takes("HEVC")).isFalse();
        assertThat(twitch.takes(null)).as("no header yet").isTrue();
        assertThat(twitch.announced()).isEmpty();

        CodecPolicy youtube = CodecPolicy.of(Platform.YOUTUBE);
        assertThat(youtube.takes("HEVC")).isTrue();
        assertThat(youtube.takes("AV1")).isTrue();
        assertThat(youtube.takes("VP9")).isFalse();
        assertThat(youtube.announced()).containsExactly("hvc1", "av01");

        CodecPolicy custom = CodecPolicy.of(Platform.CUSTOM);
        assertThat(custom.takes("VP9")).isTrue();
        assertThat(custom.announced()).containsExactly("hvc1", "av01", "vp09");
    }

    @Test
    void aDestinationWithoutAPlatformIsJudgedByItsHost() {
        RtmpUrl youtube = RtmpUrl.parse("rtmp://a.rtmp.youtube.com/live2/key");
        assertThat(new DestinationSpec("yt", youtube, null, DestinationMode.BOTH, true)
                        .codecPolicy()
                        .platform())
                .isEqualTo("youtube");
        assertThat(new DestinationSpec("yt", youtube, null, DestinationMode.BOTH, true, Platform.KICK)
                        .codecPolicy()
                        .accepted())
                .containsExactly("AVC");
        assertThat(List.of(DestinationSpec.of("x", RtmpUrl.parse("rtmp://127.0.0.1/live/k"))
                        .codecPolicy()
                        .platform()))
                .containsExactly("custom");
    }
}
