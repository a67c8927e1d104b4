package io.streamrepeater.status.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {
    @ParameterizedTest
    @CsvSource({
        "rtmp://a.rtmp.youtube.com/live2/key, YOUTUBE",
        "rtmp://b.rtmp.youtube.com/live2?backup=1/key, YOUTUBE",
        "rtmps://a.rtmps.youtube.com:443/live2/key, YOUTUBE",
        "rtmps://A.RTMPS.YOUTUBE.COM:443/live2/key, YOUTUBE",
        "rtmps://live-api-s.facebook.com:443/rtmp/key, FACEBOOK",
        "rtmps://rtmp-api.facebook.com:443/rtmp/key, FACEBOOK",
        "rtmps://fa723fc1b171.global-contribute.live-video.net:443/app/sk_us-west-2_x, KICK",
        "rtmp://ingest.global-contribute.live-video.net/app/live_1_x, TWITCH",
        "rtmps://ingest.global-contribute.live-video.net/app/live_1_x, TWITCH",
        "rtmp://sfo05.contribute.live-video.net/app/live_1_x, TWITCH",
        "rtmp://live-fra.twitch.tv/app/live_1_x, TWITCH",
        "rtmp://127.0.0.1:1935/live/key, CUSTOM",
        "rtmp://youtube.com.example.org/live2/key, CUSTOM",
        "rtmp://a.rtmp.youtube.com.example.org/live2/key, CUSTOM",
        "rtmps://facebook.com/rtmp/key, CUSTOM",
        "not a url at all, CUSTOM"
    })
    void aDestinationsPlatformIsRecognisedByItsIngestHostOnly(String url, Platform expected) {
        assertThat(Platform.recognise(url)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"twitch, TWITCH", "kick, KICK", "custom, CUSTOM"})
    void anExplicitPlatformWinsOverTheHost(String name, Platform expected) {
        Platform explicit = Platform.named(name).orElseThrow();
        assertThat(Platform.of(explicit, "rtmp://a.rtmp.youtube.com/live2/key")).isEqualTo(expected);
        assertThat(Platform.of(null, "rtmp://a.rtmp.youtube.com/live2/key")).isEqualTo(Platform.YOUTUBE);
    }

    @ParameterizedTest
    @CsvSource({"Twitch", "yt", "''"})
    void onlyTheLowerCaseNamesArePlatforms(String name) {
        assertThat(Platform.named(name)).isEmpty();
        assertThat(Platform.names()).isEqualTo("youtube, twitch, facebook, kick, custom");
    }
}
