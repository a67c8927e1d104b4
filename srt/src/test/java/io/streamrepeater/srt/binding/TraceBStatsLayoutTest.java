package io.streamrepeater.srt.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JNA's layout of SRT_TRACEBSTATS against the C compiler's: sizeof and offsetof, printed by a C program
 * compiled against libsrt 1.5.1's srt.h with gcc on x86-64 Linux (the values below).
 */
class TraceBStatsLayoutTest {

    @Test
    void sizeAndOffsetsOfTheFieldsReadMatchTheHeader() {
        TraceBStats stats = new TraceBStats();

        assertThat(stats.size()).isEqualTo(496);
        Map<String, Integer> offsets = Map.ofEntries(
                Map.entry("msTimeStamp", 0),
                Map.entry("pktRecvTotal", 16),
                Map.entry("pktRcvLossTotal", 28),
                Map.entry("pktRetransTotal", 32),
                Map.entry("pktRcvDropTotal", 68),
                Map.entry("byteRecvTotal", 88),
                Map.entry("pktRecv", 144),
                Map.entry("pktRcvRetrans", 164),
                Map.entry("mbpsRecvRate", 192),
                Map.entry("msRTT", 328),
                Map.entry("mbpsBandwidth", 336),
                Map.entry("msRcvTsbPdDelay", 392),
                Map.entry("pktRecvUniqueTotal", 440),
                Map.entry("byteRecvUnique", 488));
        offsets.forEach(
                (field, offset) -> assertThat(stats.offsetOf(field)).as(field).isEqualTo(offset));
    }
}
