package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationUrlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rtmp://a.rtmp.youtube.com/live2/KEY              | rtmp://a.rtmp.youtube.com/live2/****
            rtmp://a.rtmp.youtube.com/live2/KEY?backup=1     | rtmp://a.rtmp.youtube.com/live2/****
            rtmp://b.rtmp.youtube.com/live2?backup=1/KEY     | rtmp://b.rtmp.youtube.com/live2?****/****
            rtmp://live.twitch.tv/app/KEY?bandwidthtest=true | rtmp://live.twitch.tv/app/****
            rtmps://live-api-s.facebook.com:443/rtmp/KEY     | rtmps://live-api-s.facebook.com:443/rtmp/****
            rtmp://host:1936/app/inst/KEY                    | rtmp://host:1936/app/inst/****
            rtmp://[::1]:1935/live/KEY                       | rtmp://[::1]:1935/live/****
            rtmp://user:KEY@host/app/KEY                     | rtmp://****@host/app/****
            rtmp://host/KEY                                  | rtmp://host/****
            rtmp://host/KEY/                                 | rtmp://host/****
            rtmp://host/app/KEY?x=a/b                        | rtmp://host/app/****
            rtmp://host/app?auth=KEY/stream                  | rtmp://host/app?****/****
            KEY                                              | ****
            http://host/app/KEY                              | http://host/app/****
            """)
    void masksTheStreamKey(String url, String masked) {
        assertThat(DestinationUrl.mask(url)).isEqualTo(masked).doesNotContain("KEY");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rtmp://a.rtmp.youtube.com/live2/KEY                                        |
            rtmp://b.rtmp.youtube.com/live2?backup=1/KEY                               |
            RTMPS://fa723fc1b171.global-contribute.live-video.net/app/sk_us-west-2_KEY |
            rtmp://[::1]:1935/live/KEY                                                 |
            rtmp://host/KEY                                                            | needs an app and a stream key: rtmp://HOST[:PORT]/APP/STREAM-KEY or rtmps://...
            rtmp://host/app/                                                           | needs an app and a stream key: rtmp://HOST[:PORT]/APP/STREAM-KEY or rtmps://...
            rtmp:///app/KEY                                                            | has no host
            rtmp://host:0/app/KEY                                                      | has an invalid port '0' (expected 1..65535)
            rtmp://host:/app/KEY                                                       | has an invalid port '' (expected 1..65535)
            rtmp://::1/app/KEY                                                         | has an IPv6 host without brackets (write rtmp://[::1]:1935/...)
            rtmp://[::1/app/KEY                                                        | has an unclosed IPv6 bracket in its host
            rtmp://u@host/app/KEY                                                      | must not contain user info (user@host)
            srt://host:9000/app/KEY                                                    | must start with rtmp:// or rtmps://
            'rtmp://host/app/KEY '                                                     | contains whitespace or control characters
            """)
    void findsWhatIsWrong(String url, String problem) {
        assertThat(DestinationUrl.problem(url)).isEqualTo(Optional.ofNullable(problem));
    }

    @Property(tries = 300)
    void maskNeverShowsTheKey(
            @ForAll("templates") String template, @ForAll @AlphaChars @StringLength(min = 12, max = 30) String key) {
        assertThat(DestinationUrl.mask(template.replace("KEY", key))).doesNotContain(key);
    }

    @Provide
    Arbitrary<String> templates() {
        return Arbitraries.of(
                "rtmp://h/a/KEY",
                "rtmp://h/a/KEY?b=1",
                "rtmp://h/a?b=1/KEY",
                "rtmp://h/a?b=1/KEY?c=d/e",
                "rtmp://h/KEY",
                "rtmp://h/KEY/",
                "rtmp://h/KEY//",
                "rtmp://h?KEY",
                "rtmp://h/?KEY",
                "rtmp://h/a/b/KEY",
                "KEY",
                "/KEY",
                "rtmp:/h/a/KEY",
                "rtmp//h/a/KEY",
                "://KEY",
                "rtmp://h/a/KEY#x",
                "rtmp://u:KEY@h/a/b",
                "rtmp://h/a/KEY?x=y/z",
                "rtmp://h/a/x?KEY/",
                "rtmp://h/a/?KEY",
                "rtmp://h/a?auth=KEY/s");
    }
}
