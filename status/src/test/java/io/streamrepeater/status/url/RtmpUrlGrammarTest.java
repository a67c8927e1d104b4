package io.streamrepeater.status.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamrepeater.status.url.RtmpUrlGrammar.Malformed;
import io.streamrepeater.status.url.RtmpUrlGrammar.Parts;
import io.streamrepeater.status.url.RtmpUrlGrammar.Problem;
import io.streamrepeater.testkit.KeyUrlTemplates;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one table of the RTMP URL grammar: the cases of the RTMP session's URL test and of the configuration's
 * destination URL test, merged. SECRET stands for the stream key (or a token that must be masked as well).
 */
class RtmpUrlGrammarTest {

    /** The URL forms platforms give, with every part they must parse to and how they are masked. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # url                                                                         | tls   | host                                          | port  | app              | streamName                | masked
            rtmp://a.rtmp.youtube.com/live2/SECRET                                        | false | a.rtmp.youtube.com                            | 1935  | live2            | SECRET                    | rtmp://a.rtmp.youtube.com/live2/****
            rtmp://b.rtmp.youtube.com/live2/SECRET?backup=1                               | false | b.rtmp.youtube.com                            | 1935  | live2            | SECRET?backup=1           | rtmp://b.rtmp.youtube.com/live2/****
            rtmp://b.rtmp.youtube.com/live2?backup=1/SECRET                               | false | b.rtmp.youtube.com                            | 1935  | live2?backup=1   | SECRET                    | rtmp://b.rtmp.youtube.com/live2?****/****
            rtmp://live.twitch.tv/app/SECRET                                              | false | live.twitch.tv                                | 1935  | app              | SECRET                    | rtmp://live.twitch.tv/app/****
            rtmp://live.twitch.tv/app/SECRET?bandwidthtest=true                           | false | live.twitch.tv                                | 1935  | app              | SECRET?bandwidthtest=true | rtmp://live.twitch.tv/app/****
            rtmps://live-api-s.facebook.com:443/rtmp/SECRET                               | true  | live-api-s.facebook.com                       | 443   | rtmp             | SECRET                    | rtmps://live-api-s.facebook.com:443/rtmp/****
            rtmps://fa723fc1b171.global-contribute.live-video.net/app/SECRET              | true  | fa723fc1b171.global-contribute.live-video.net | 443   | app              | SECRET                    | rtmps://fa723fc1b171.global-contribute.live-video.net/app/****
            RTMPS://fa723fc1b171.global-contribute.live-video.net/app/sk_us-west-2_SECRET | true  | fa723fc1b171.global-contribute.live-video.net | 443   | app              | sk_us-west-2_SECRET       | RTMPS://fa723fc1b171.global-contribute.live-video.net/app/****
            rtmp://sg.pscp.tv:80/x/SECRET                                                 | false | sg.pscp.tv                                    | 80    | x                | SECRET                    | rtmp://sg.pscp.tv:80/x/****
            rtmp://host:1936/app/inst/SECRET                                              | false | host                                          | 1936  | app/inst         | SECRET                    | rtmp://host:1936/app/inst/****
            rtmp://[::1]:1935/live/SECRET                                                 | false | ::1                                           | 1935  | live             | SECRET                    | rtmp://[::1]:1935/live/****
            rtmps://[2001:db8::7]/live/SECRET                                             | true  | 2001:db8::7                                   | 443   | live             | SECRET                    | rtmps://[2001:db8::7]/live/****
            RTMP://127.0.0.1:19350/Live/SECRET                                            | false | 127.0.0.1                                     | 19350 | Live             | SECRET                    | RTMP://127.0.0.1:19350/Live/****
            rtmp://host/app?auth=abc/SECRET?x=a/b                                         | false | host                                          | 1935  | app?auth=abc     | SECRET?x=a/b              | rtmp://host/app?****/****
            rtmp://host/app/SECRET?x=a/b                                                  | false | host                                          | 1935  | app              | SECRET?x=a/b              | rtmp://host/app/****
            rtmp://host/app?auth=SECRET/stream                                            | false | host                                          | 1935  | app?auth=SECRET  | stream                    | rtmp://host/app?****/****
            rtmp://host/app/SECRET#part                                                   | false | host                                          | 1935  | app              | SECRET#part               | rtmp://host/app/****
            """)
    void parsesPlatformUrls(
            String url, boolean tls, String host, int port, String app, String streamName, String masked) {
        assertThat(RtmpUrlGrammar.parse(url)).isEqualTo(new Parts(tls, host, port, app, streamName));
        assertThat(RtmpUrlGrammar.mask(url)).isEqualTo(masked).doesNotContain("SECRET");
    }

    /** Every way a URL can fail the grammar, how it is masked when shown in the error, and the sentence. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # url                                  | problem               | masked                                   | message
            ''                                     | EMPTY                 | ****                                     | is empty
            '   '                                  | EMPTY                 | ****                                     | is empty
            'rtmp://host/app/SECRET '              | WHITESPACE            | rtmp://host/app/****                     | contains whitespace or control characters
            rtmp://host/live/SECRET\\tx            | WHITESPACE            | rtmp://host/live/****                    | contains whitespace or control characters
            http://a.rtmp.youtube.com/live2/SECRET | NOT_RTMP              | http://a.rtmp.youtube.com/live2/****     | must start with rtmp:// or rtmps://
            srt://host:9000?streamid=SECRET        | NOT_RTMP              | srt://host:9000/****                     | must start with rtmp:// or rtmps://
            srt://host:9000/app/SECRET             | NOT_RTMP              | srt://host:9000/app/****                 | must start with rtmp:// or rtmps://
            a.rtmp.youtube.com/live2/SECRET        | NOT_RTMP              | ****                                     | must start with rtmp:// or rtmps://
            rtmp://u:SECRET@host/live/SECRET       | USER_INFO             | rtmp://****@host/live/****               | must not contain user info (user@host)
            rtmp://u@host/app/SECRET               | USER_INFO             | rtmp://****@host/app/****                | must not contain user info (user@host)
            rtmp://[::1/live/SECRET                | UNCLOSED_BRACKET      | rtmp://[::1/live/****                    | has an unclosed '[' in its host
            rtmp://[::1]x/live/SECRET              | TEXT_AFTER_IPV6_HOST  | rtmp://[::1]x/live/****                  | has text after its IPv6 host
            rtmp://::1/live/SECRET                 | IPV6_WITHOUT_BRACKETS | rtmp://::1/live/****                     | has an IPv6 host without brackets (write rtmp://[::1]:1935/...)
            rtmp:///live2/SECRET                   | NO_HOST               | rtmp:///live2/****                       | has no host
            rtmp://:1935/live2/SECRET              | NO_HOST               | rtmp://:1935/live2/****                  | has no host
            rtmp://[]/live/SECRET                  | NO_HOST               | rtmp://[]/live/****                      | has no host
            rtmp://[host]/live/SECRET              | INVALID_IPV6_HOST     | rtmp://[host]/live/****                  | has an invalid IPv6 host
            rtmp://ho_st!/live/SECRET              | INVALID_HOST          | rtmp://ho_st!/live/****                  | has an invalid host
            rtmp://host:abc/live2/SECRET           | INVALID_PORT          | rtmp://host:abc/live2/****               | has an invalid port 'abc' (expected 1..65535)
            rtmp://host:0/live2/SECRET             | INVALID_PORT          | rtmp://host:0/live2/****                 | has an invalid port '0' (expected 1..65535)
            rtmp://host:65536/live2/SECRET         | INVALID_PORT          | rtmp://host:65536/live2/****             | has an invalid port '65536' (expected 1..65535)
            rtmp://host:/live2/SECRET              | INVALID_PORT          | rtmp://host:/live2/****                  | has an invalid port '' (expected 1..65535)
            rtmp://host                            | NO_APP_AND_NO_KEY     | rtmp://host                              | has no app and no stream key
            rtmp://a.rtmp.youtube.com/live2/       | NO_KEY_AFTER_APP      | rtmp://a.rtmp.youtube.com/****           | has no stream key after the app
            rtmp://host/SECRET/                    | NO_KEY_AFTER_APP      | rtmp://host/****                         | has no stream key after the app
            rtmp://host/a?x//SECRET                | NO_KEY_AFTER_APP      | rtmp://host/a?****/****                  | has no stream key after the app
            rtmp://host/SECRET                     | NO_APP                | rtmp://host/****                         | has no app before the stream key
            rtmp://host//SECRET                    | NO_APP                | rtmp://host/****                         | has no app before the stream key
            rtmp://host?app/SECRET                 | NO_APP                | rtmp://host/?****/****                   | has no app before the stream key
            rtmp://host/app//SECRET                | NO_APP                | rtmp://host/app//****                    | has no app before the stream key
            """)
    void refusesWhatIsNotAnRtmpUrl(String url, Problem problem, String masked, String message) {
        String input = url.replace("\\t", "\t");
        Malformed error = catchThrowableOfType(Malformed.class, () -> RtmpUrlGrammar.parse(input));

        assertThat(error).as("refused").isNotNull();
        assertThat(error.problem()).isEqualTo(problem);
        assertThat(error.problem().inPath())
                .isEqualTo(problem.name().contains("APP") || problem.name().contains("KEY"));
        assertThat(error.getMessage()).isEqualTo(message).doesNotContain("SECRET");
        assertThat(RtmpUrlGrammar.mask(input)).isEqualTo(masked).doesNotContain("SECRET");
    }

    /** Masking takes any text, URL or not, and errs on the side of hiding too much. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://host/app/SECRET             | http://host/app/****
            rtmp://user:SECRET@host/app/SECRET | rtmp://****@host/app/****
            rtmp://host/SECRET                 | rtmp://host/****
            rtmp://host/SECRET/                | rtmp://host/****
            rtmp://host/SECRET//               | rtmp://host/****
            rtmp://host?SECRET                 | rtmp://host/****
            rtmp://host/?SECRET                | rtmp://host/****
            rtmp://host#SECRET                 | rtmp://host/****
            rtmp://host                        | rtmp://host
            SECRET                             | ****
            /SECRET                            | ****
            ://SECRET                          | ****
            rtmp:/h/a/SECRET                   | ****
            rtmp//h/a/SECRET                   | ****
            """)
    void masksAnyText(String text, String masked) {
        assertThat(RtmpUrlGrammar.mask(text)).isEqualTo(masked);
    }

    @Test
    void masksNullAsTheWordNull() {
        assertThat(RtmpUrlGrammar.mask(null)).isEqualTo("null");
        assertThat(catchThrowableOfType(Malformed.class, () -> RtmpUrlGrammar.parse(null))
                        .problem())
                .isEqualTo(Problem.EMPTY);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            host        | true
            127.0.0.1   | true
            ::1         | true
            fe80::1%eth0| true
            host!       | false
            ''          | false
            """)
    void knowsAHost(String host, boolean valid) {
        assertThat(RtmpUrlGrammar.isHost(host)).isEqualTo(valid);
    }

    @Property(tries = 500, seed = "20261207")
    void theKeyNeverAppearsInAMaskOrAnError(
            @ForAll("urlTemplates") String template, @ForAll @AlphaChars @StringLength(min = 12, max = 40) String key) {
        String url = template.replace("KEY", key);
        assertThat(RtmpUrlGrammar.mask(url)).doesNotContain(key);
        try {
            Parts parts = RtmpUrlGrammar.parse(url);
            assertThat(RtmpUrlGrammar.maskQuery(parts.app())).doesNotContain(key);
        } catch (Malformed e) {
            assertThat(e.getMessage()).doesNotContain(key);
        }
    }

    @Provide
    Arbitrary<String> urlTemplates() {
        return Arbitraries.of(KeyUrlTemplates.ALL);
    }
}
