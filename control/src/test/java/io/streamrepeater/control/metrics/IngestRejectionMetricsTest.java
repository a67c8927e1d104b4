package io.streamrepeater.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestRejectionMetricsTest {
    /** A server with no channels. */
    private static MetricsSource noChannels() {
        return new StubMetricsSource(List::of);
    }

    @Test
    void rejectedConnectionsAreCountedByReasonAtEachScrape() {
        StatusMetrics metrics = new StatusMetrics(noChannels());
        Map<String, Long> counts =
                new LinkedHashMap<>(Map.of("handshake-timeout", 0L, "max-connections-per-address", 0L));
        metrics.watchIngestRejections(() -> Map.copyOf(counts));

        assertThat(metrics.scrape())
                .contains("streamrepeater_ingest_rejected_connections_total{reason=\"handshake-timeout\"} 0.0");
        counts.put("handshake-timeout", 160L);
        counts.put("max-connections-per-address", 40L);

        String text = metrics.scrape();
        assertThat(text)
                .contains("streamrepeater_ingest_rejected_connections_total{reason=\"handshake-timeout\"} 160.0")
                .contains(
                        "streamrepeater_ingest_rejected_connections_total{reason=\"max-connections-per-address\"} 40.0");
    }
}
