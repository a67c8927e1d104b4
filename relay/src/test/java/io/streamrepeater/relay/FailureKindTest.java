package io.streamrepeater.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureKindTest {
    @Test
    void classifiesByTheCauseChain() {
        assertThat(FailureKind.of(new UnknownHostException("nowhere.invalid"))).isEqualTo(FailureKind.DNS);
        assertThat(FailureKind.of(new ConnectException("Connection refused"))).isEqualTo(FailureKind.REFUSED);
        assertThat(FailureKind.of(new ConnectTimeoutException("timed out"))).isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailureKind.of(new IOException("wrapped", new SSLHandshakeException("PKIX path building failed"))))
                .isEqualTo(FailureKind.TLS);
        assertThat(FailureKind.of(new IOException("Connection reset by peer"))).isEqualTo(FailureKind.OTHER);
    }
}
