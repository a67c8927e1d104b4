package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.OpenSsl;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.NginxRtmp.TlsSession;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An RTMPS destination's TLS, seen from the destination's side (nginx's stream module terminating TLS, its log of
 * each connection): the relay speaks TLS 1.3 through BoringSSL, and a reconnect resumes the earlier session instead of
 * a full handshake.
 */
class RtmpsSessionResumptionEndToEndTest {

    @Test
    void reconnectResumesTheTlsSessionOverTls13(@TempDir Path tmp) throws Exception {
        assertThat(OpenSsl.isAvailable())
                .as("BoringSSL (netty-tcnative) loads: %s", OpenSsl.unavailabilityCause())
                .isTrue();
        try (NginxRtmp platform =
                NginxRtmp.builder(tmp.resolve("platform")).withTls().start()) {
            String yaml = """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                    channels:
                      - name: show
                        inputs:
                          - { name: primary, key: "primary-key-123" }
                        destinations:
                          - { name: facebook, url: "%s" }
                    """.formatted(platform.rtmpsUrl("live", "dest-key"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, platform.caCertFile())) {
                ChannelRelay relay = server.relay("show");
                for (int connection = 1; connection <= 2; connection++) {
                    server.awaitDestinationLive("show", "facebook", Duration.ofSeconds(20));
                    assertThat(relay.disableDestination("facebook")).isTrue();
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> server.destination("show", "facebook").state() == DestinationState.DISABLED);
                    int closed = connection;
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> platform.tlsSessions().size() >= closed);
                    assertThat(relay.enableDestination("facebook")).isTrue();
                }
                // the third connection's handshake is done before the server stops (else it may never start)
                server.awaitDestinationLive("show", "facebook", Duration.ofSeconds(20));
            }
            // the third connection (after the second enable) closed when the server stopped
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> platform.tlsSessions().size() >= 3);
            assertThat(platform.tlsSessions())
                    .as(
                            "the first connection's full handshake, then each reconnect resumed; nginx log:\n%s",
                            platform.errorLog())
                    .containsExactly(
                            new TlsSession("TLSv1.3", false),
                            new TlsSession("TLSv1.3", true),
                            new TlsSession("TLSv1.3", true));
        }
    }
}
