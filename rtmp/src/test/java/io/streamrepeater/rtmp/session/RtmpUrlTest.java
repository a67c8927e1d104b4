package io.streamrepeater.rtmp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamrepeater.status.url.RtmpUrlGrammar;
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

class RtmpUrlTest {

    /**
     * What the session builds from a platform's URL: the {@code tcUrl} of {@code connect} and the redacted form
     * for logs. How the URL splits into host, port, app and stream name is the grammar's table
     * ({@code RtmpUrlGrammarTest}); here the parts must come through unchanged. SECRET stands for the stream key.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            rtmp://a.rtmp.youtube.com/live2/SECRET                           | rtmp://a.rtmp.youtube.com:1935/live2                          | rtmp://a.rtmp.youtube.com/live2/****
            rtmp://b.rtmp.youtube.com/live2/SECRET?backup=1                  | rtmp://b.rtmp.youtube.com:1935/live2                          | rtmp://b.rtmp.youtube.com/live2/****
            rtmp://b.rtmp.youtube.com/live2?backup=1/SECRET                  | rtmp://b.rtmp.youtube.com:1935/live2?backup=1                 | rtmp://b.rtmp.youtube.com/live2?****/****
            rtmp://live.twitch.tv/app/SECRET                                 | rtmp://live.twitch.tv:1935/app                                | rtmp://live.twitch.tv/app/****
            rtmp://live.twitch.tv/app/SECRET?bandwidthtest=true              | rtmp://live.twitch.tv:1935/app                                | rtmp://live.twitch.tv/app/****
            rtmps://live-api-s.facebook.com:443/rtmp/SECRET                  | rtmps://live-api-s.facebook.com:443/rtmp                      | rtmps://live-api-s.facebook.com/rtmp/****
            rtmps://fa723fc1b171.global-contribute.live-video.net/app/SECRET | rtmps://fa723fc1b171.global-contribute.live-video.net:443/app | rtmps://fa723fc1b171.global-contribute.live-video.net/app/****
            rtmp://sg.pscp.tv:80/x/SECRET                                    | rtmp://sg.pscp.tv:80/x                                        | rtmp://sg.pscp.tv:80/x/****
            rtmp://host:1936/app/inst/SECRET                                 | rtmp://host:1936/app/inst                                     | rtmp://host:1936/app/inst/****
            rtmp://[::1]:1935/live/SECRET                                    | rtmp://[::1]:1935/live                                        | rtmp://[::1]/live/****
            rtmps://[2001:db8::7]/live/SECRET                                | rtmps://[2001:db8::7]:443/live                                | rtmps://[2001:db8::7]/live/****
            RTMP://127.0.0.1:19350/Live/SECRET                               | rtmp://127.0.0.1:19350/Live                                   | rtmp://127.0.0.1:19350/Live/****
            rtmp://host/app?auth=abc/SECRET?x=a/b                            | rtmp://host:1935/app?auth=abc                                 | rtmp://host/app?****/****
            rtmp://host/app/SECRET#part                                      | rtmp://host:1935/app                                          | rtmp://host/app/****
            """)
    void buildsTcUrlAndRedactedForm(String url, String tcUrl, String redacted) {
        RtmpUrl parsed = RtmpUrl.parse(url);
        RtmpUrlGrammar.Parts parts = RtmpUrlGrammar.parse(url);

        assertThat(parsed)
                .isEqualTo(new RtmpUrl(parts.tls(), parts.host(), parts.port(), parts.app(), parts.streamName()));
        assertThat(parsed.tcUrl()).isEqualTo(tcUrl).doesNotContain("SECRET");
        assertThat(parsed.redacted()).isEqualTo(redacted).doesNotContain("SECRET");
        assertThat(parsed.toString()).isEqualTo(redacted);
        assertThat(RtmpUrl.parse(parsed.tcUrl() + "/" + parsed.streamName()))
                .as("tcUrl + '/' + streamName is the same destination")
                .isEqualTo(parsed);
    }

    @Test
    void ignoresWhitespaceAroundTheUrl() {
        assertThat(RtmpUrl.parse("  rtmp://a.rtmp.youtube.com/live2/SECRET  "))
                .isEqualTo(RtmpUrl.parse("rtmp://a.rtmp.youtube.com/live2/SECRET"));
    }

    @Test
    void redactsAnyTextByTheGrammar() {
        assertThat(RtmpUrl.redact("rtmp://user:SECRET@host/app/SECRET")).isEqualTo("rtmp://****@host/app/****");
        assertThat(RtmpUrl.redact("SECRET")).isEqualTo(RtmpUrl.MASK);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                     | RTMP URL is empty; expected rtmp[s]://HOST[:PORT]/APP/STREAM-KEY
            http://a.rtmp.youtube.com/live2/SECRET | RTMP URL 'http://a.rtmp.youtube.com/live2/****' must start with rtmp:// or rtmps://
            rtmp://host:abc/live2/SECRET           | RTMP URL 'rtmp://host:abc/live2/****' has an invalid port 'abc' (expected 1..65535)
            rtmp://[::1/live/SECRET                | RTMP URL 'rtmp://[::1/live/****' has an unclosed '[' in its host
            rtmp://u:SECRET@host/live/SECRET       | RTMP URL 'rtmp://****@host/live/****' must not contain user info (user@host)
            rtmp://host                            | RTMP URL 'rtmp://host' has no app and no stream key; expected rtmp[s]://HOST[:PORT]/APP/STREAM-KEY
            rtmp://host?app/SECRET                 | RTMP URL 'rtmp://host/?****/****' has no app before the stream key; expected rtmp[s]://HOST[:PORT]/APP/STREAM-KEY
            rtmp://a.rtmp.youtube.com/live2/       | RTMP URL 'rtmp://a.rtmp.youtube.com/****' has no stream key after the app; expected rtmp[s]://HOST[:PORT]/APP/STREAM-KEY
            rtmp://host/live/SECRET\tx            | RTMP URL 'rtmp://host/live/****' contains whitespace or control characters
            """)
    void refusesInvalidUrlsWithoutShowingTheKey(String url, String message) {
        String input = url.replace("\\t", "\t");
        IllegalArgumentException error =
                catchThrowableOfType(IllegalArgumentException.class, () -> RtmpUrl.parse(input));

        assertThat(error).isNotNull();
        assertThat(error.getMessage()).isEqualTo(message).doesNotContain("SECRET");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            host! | 1935 | live | SECRET
            host  | 0    | live | SECRET
            host  | 1935 |      | SECRET
            host  | 1935 | live |
            host  | 1935 | /x   | SECRET
            """)
    void constructorRefusesWhatParseWouldRefuse(String host, int port, String app, String streamName) {
        IllegalArgumentException error = catchThrowableOfType(
                IllegalArgumentException.class,
                () -> new RtmpUrl(false, host, port, app == null ? "" : app, streamName == null ? "" : streamName));
        assertThat(error).isNotNull();
        assertThat(error.getMessage()).startsWith("RTMP URL 'rtmp://").doesNotContain("SECRET");
    }

    @Property(tries = 500, seed = "20261207")
    void theKeyNeverAppearsInRedactionsOrErrors(
            @ForAll("urlTemplates") String template, @ForAll @AlphaChars @StringLength(min = 12, max = 40) String key) {
        String url = template.replace("KEY", key);
        assertThat(RtmpUrl.redact(url)).doesNotContain(key);
        try {
            RtmpUrl parsed = RtmpUrl.parse(url);
            assertThat(parsed.toString()).doesNotContain(key);
            assertThat(parsed.redacted()).doesNotContain(key);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain(key);
        }
    }

    @Provide
    Arbitrary<String> urlTemplates() {
        return Arbitraries.of(KeyUrlTemplates.ALL);
    }
}
