package io.streamrepeater.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.status.SrtLinkStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SrtLinkMetricsTest {

    private static MetricsSource serving(AtomicReference<List<ChannelStatus>> channels) {
        return new StubMetricsSource(channels::get);
    }

    private static ChannelStatus show(SrtLinkStatus backupLink) {
        return new ChannelStatus(
                "show",
                "primary",
                List.of(
                        new InputStatus(
                                "primary",
                                0,
                                InputState.ACTIVE,
                                "127.0.0.1:50000",
                                10,
                                null,
                                null,
                                5,
                                1_000_000,
                                30,
                                "rtmp",
                                null),
                        new InputStatus(
                                "backup",
                                1,
                                InputState.STANDBY,
                                backupLink == null ? null : "127.0.0.1:40000",
                                10,
                                null,
                                null,
                                5,
                                900_000,
                                30,
                                backupLink == null ? null : "srt",
                                backupLink)),
                List.of(),
                null);
    }

    @Test
    void srtLinkSeriesExistWhileAnSrtEncoderIsConnectedAndEndWithIt() {
        AtomicReference<List<ChannelStatus>> channels =
                new AtomicReference<>(List.of(show(new SrtLinkStatus(12.5, 2.5, 80.0, 120, 1000, 7, 6, 1, 1_316_000))));
        StatusMetrics metrics = new StatusMetrics(serving(channels));

        String text = metrics.scrape();
        String backup = "{channel=\"show\",input=\"backup\"}";
        assertThat(text)
                .contains(
                        "streamrepeater_input_srt_rtt_seconds" + backup + " 0.0125",
                        "streamrepeater_input_srt_receive_rate_bits_per_second" + backup + " 2500000.0",
                        "streamrepeater_input_srt_bandwidth_bits_per_second" + backup + " 8.0E7",
                        "streamrepeater_input_srt_latency_seconds" + backup + " 0.12",
                        "streamrepeater_input_srt_packets_received_total" + backup + " 1000.0",
                        "streamrepeater_input_srt_packets_lost_total" + backup + " 7.0",
                        "streamrepeater_input_srt_packets_retransmitted_total" + backup + " 6.0",
                        "streamrepeater_input_srt_packets_dropped_total" + backup + " 1.0");
        assertThat(text).doesNotContain("streamrepeater_input_srt_rtt_seconds{channel=\"show\",input=\"primary\"}");

        channels.set(List.of(show(null)));
        assertThat(metrics.scrape())
                .doesNotContain("streamrepeater_input_srt_")
                .contains("streamrepeater_input_up{channel=\"show\",input=\"backup\"} 1.0");
    }
}
