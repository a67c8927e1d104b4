package io.streamrepeater.rtmp.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.testkit.CapturedLogs;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IngestLimitEventsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final IngestLimitEvents events = new IngestLimitEvents(now::get, 2);
    private final InetSocketAddress peer = new InetSocketAddress("127.0.0.2", 40000);

    @Test
    void logsOneKeyValueLinePerHitAndCountsIt() {
        try (CapturedLogs log = CapturedLogs.of(IngestLimitEvents.class)) {
            events.hit(IngestLimit.HANDSHAKE_TIMEOUT, peer, "after=10000ms");
            assertThat(log.messages())
                    .containsExactly("event=ingest-limit limit=handshake-timeout remote=127.0.0.2:40000 after=10000ms");
        }
        assertThat(events.count(IngestLimit.HANDSHAKE_TIMEOUT)).isEqualTo(1);
        assertThat(events.count(IngestLimit.PUBLISH_TIMEOUT)).isZero();
    }

    @Test
    void aFloodIsCountedExactlyButLoggedAtTheRatePerLimitWithTheNumberLeftOut() {
        try (CapturedLogs log = CapturedLogs.of(IngestLimitEvents.class)) {
            for (int i = 0; i < 5; i++) {
                events.hit(IngestLimit.MAX_CONNECTIONS_PER_ADDRESS, peer, "max=20");
            }
            events.hit(IngestLimit.MAX_CONNECTIONS, peer, "max=1000"); // its own budget
            now.addAndGet(TimeUnit.SECONDS.toNanos(1));
            events.hit(IngestLimit.MAX_CONNECTIONS_PER_ADDRESS, peer, "max=20");

            String line = "event=ingest-limit limit=max-connections-per-address remote=127.0.0.2:40000 max=20";
            assertThat(log.messages())
                    .containsExactly(
                            line,
                            line,
                            "event=ingest-limit limit=max-connections remote=127.0.0.2:40000 max=1000",
                            line + " suppressed=3");
        }
        assertThat(events.count(IngestLimit.MAX_CONNECTIONS_PER_ADDRESS)).isEqualTo(6);
        assertThat(events.countsByLabel())
                .containsEntry("max-connections-per-address", 6L)
                .containsEntry("max-connections", 1L)
                .containsEntry("handshake-timeout", 0L)
                .hasSize(IngestLimit.values().length);
    }

    @Test
    void ipv6AddressesAreBracketed() {
        assertThat(IngestLimitEvents.describe(new InetSocketAddress("::1", 1935)))
                .isEqualTo("[0:0:0:0:0:0:0:1]:1935");
    }
}
