package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The configuration's wording of destination URL problems. Which URLs are valid and how they are masked is the
 * grammar's table ({@code RtmpUrlGrammarTest}); here one row per way the configuration words a finding.
 */
class DestinationUrlTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            rtmp://a.rtmp.youtube.com/live2/KEY          |
            rtmp://b.rtmp.youtube.com/live2?backup=1/KEY |
            ''                                           | is empty; expected rtmp://HOST[:PORT]/APP/STREAM-KEY or rtmps://...
            rtmp://host                                  | needs an app and a stream key: rtmp://HOST[:PORT]/APP/STREAM-KEY or rtmps://...
            rtmp://host/KEY                              | needs an app and a stream key: rtmp://HOST[:PORT]/APP/STREAM-KEY or rtmps://...
            rtmp://host/app/                             | needs an app and a stream key: rtmp://HOST[:PORT]/APP/STREAM-KEY or rtmps://...
            rtmp://[::1/app/KEY                          | has an unclosed IPv6 bracket in its host
            rtmp://host:0/app/KEY                        | has an invalid port '0' (expected 1..65535)
            rtmp://ho_st!/app/KEY                        | has an invalid host
            'rtmp://host/app/KEY '                       | contains whitespace or control characters
            """)
    void wordsWhatIsWrong(String url, String problem) {
        assertThat(DestinationUrl.problem(url)).isEqualTo(Optional.ofNullable(problem));
    }

    @Test
    void masksByTheGrammar() {
        assertThat(DestinationUrl.mask("rtmp://user:KEY@host/app?auth=KEY/KEY"))
                .isEqualTo("rtmp://****@host/app?****/****");
    }
}
