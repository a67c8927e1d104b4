package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.rtmp.session.RtmpUrl;
import org.junit.jupiter.api.Test;

class RejectionTextRedactionTest {

    @Test
    void aPlatformQuotingTheStreamKeyInItsRefusalDoesNotLeakIt() {
        RtmpUrl url = RtmpUrl.parse("rtmp://a.rtmp.example.com/live2/abcd-efgh-ijkl");
        assertThat(DestinationConnection.redactKey("Stream abcd-efgh-ijkl is already publishing (abcd-efgh-ijkl)", url))
                .isEqualTo("Stream **** is already publishing (****)");
        assertThat(DestinationConnection.redactKey("Already publishing", url)).isEqualTo("Already publishing");
    }
}
