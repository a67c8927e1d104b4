package io.streamrepeater.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SrtIngestSettingsTest {

    @Test
    void defaults() {
        SrtIngestSettings settings = SrtIngestSettings.defaults();

        assertThat(settings.latencyMs()).isEqualTo(120);
        assertThat(settings.maxConnections()).isEqualTo(64);
        assertThat(settings.peerIdleTimeoutMs()).isEqualTo(5000);
    }

    @Test
    void limitsNameTheSettingAndTheValue() {
        assertThatThrownBy(() -> SrtIngestSettings.defaults().withLatencyMs(5))
                .hasMessageContaining("latencyMs")
                .hasMessageContaining(": 5");
        assertThatThrownBy(() -> SrtIngestSettings.defaults().withMaxConnections(0))
                .hasMessageContaining("maxConnections")
                .hasMessageContaining(": 0");
        assertThatThrownBy(() -> SrtIngestSettings.defaults().withPeerIdleTimeoutMs(2000))
                .hasMessageContaining("peerIdleTimeoutMs")
                .hasMessageContaining("4.8 s");
        assertThatThrownBy(() -> new SrtIngestSettings(120, 1, 100, 5000)).hasMessageContaining("maxPesBytes");
    }

    @Test
    void passphraseLengthIsCheckedWithoutPrintingIt() {
        assertThatThrownBy(() -> new SrtInputAccess("show/primary", "short"))
                .hasMessageContaining("show/primary")
                .hasMessageContaining("10 to 79")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short\""));
        assertThat(new SrtInputAccess("show/primary", "long-enough-secret").toString())
                .doesNotContain("long-enough-secret");
    }
}
