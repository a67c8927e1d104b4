package io.streamrepeater.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    // Lines as the server's /metrics writes them (Micrometer's Prometheus registry).
    private static final String PAGE = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 8388608.0
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 1.7540608E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 3.4135752E7
            jvm_buffer_memory_used_bytes{id="direct"} 262145.0
            jvm_buffer_memory_used_bytes{id="mapped - 'non-volatile memory'"} 0.0
            netty_pooled_used_direct_memory_bytes 4194304.0
            streamrepeater_channel_last_switch_gap_seconds{channel="show"} NaN
            streamrepeater_channel_switches_total{channel="show",reason="input-lost"} 3.0
            streamrepeater_channel_switches_total{channel="show",reason="failback"} 2.0
            streamrepeater_channel_switches_total{channel="other",reason="input-lost"} 1.0
            """;

    @Test
    void sumAddsUpEverySeriesWhoseLabelsMatch() {
        PrometheusText metrics = PrometheusText.parse(PAGE);
        assertThat(metrics.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isEqualTo(8388608.0 + 17540608.0);
        assertThat(metrics.sum("jvm_buffer_memory_used_bytes", Map.of("id", "direct")))
                .isEqualTo(262145.0);
    }

    @Test
    void aMetricWithoutLabelsIsReadWithAnEmptyFilter() {
        assertThat(PrometheusText.parse(PAGE).sum("netty_pooled_used_direct_memory_bytes", Map.of()))
                .isEqualTo(4194304.0);
    }

    @Test
    void sumByGroupsSeriesByOneLabel() {
        assertThat(PrometheusText.parse(PAGE).sumBy("streamrepeater_channel_switches_total", "reason"))
                .containsExactly(Map.entry("input-lost", 4.0), Map.entry("failback", 2.0));
    }

    @Test
    void notANumberAndQuotedSpacesAreRead() {
        PrometheusText metrics = PrometheusText.parse(PAGE);
        assertThat(metrics.sum("streamrepeater_channel_last_switch_gap_seconds", Map.of()))
                .isNaN();
        assertThat(metrics.samples())
                .anySatisfy(s -> assertThat(s.labels()).containsEntry("id", "mapped - 'non-volatile memory'"));
    }

    @Test
    void escapedQuotesInALabelValueAreUnescaped() {
        PrometheusText metrics = PrometheusText.parse("m{a=\"say \\\"hi\\\"\",b=\"x\"} 1 1700000000000\n");
        assertThat(metrics.samples().get(0).labels())
                .containsEntry("a", "say \"hi\"")
                .containsEntry("b", "x");
        assertThat(metrics.samples().get(0).value()).isEqualTo(1.0);
    }

    @Test
    void aMissingMetricIsAnErrorNotZero() {
        assertThatThrownBy(() -> PrometheusText.parse(PAGE).sum("jvm_memory_used_bytes", Map.of("area", "offheap")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jvm_memory_used_bytes");
    }

    @Test
    void anUnreadableLineIsReportedWithItsNumber() {
        assertThatThrownBy(() -> PrometheusText.parse("# ok\nbroken_line_without_value\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }
}
