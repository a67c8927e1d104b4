package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.control.config.RelayConfig;
import io.streamrepeater.relay.SupervisionSettings;
import org.junit.jupiter.api.Test;

/** A channel's {@code relay:} section reaches the supervision of its destinations; the rest stays default. */
class SupervisionSettingsWiringTest {

    @Test
    void relaySectionSetsTheBackoffCapAndTheStallTimeout() {
        RelayConfig relay =
                ConfigLoader.parse("""
                channels:
                  - name: show
                    inputs: [{ name: primary, key: key-one-000000 }]
                    relay: { retryMaxMs: 4000, stallTimeoutMs: 3000 }
                """, "show.yaml").channels().get(0).relay();

        SupervisionSettings settings = ChannelMapping.supervisionSettings(relay);

        SupervisionSettings defaults = SupervisionSettings.defaults();
        assertThat(settings.backoffCapMs()).isEqualTo(4_000);
        assertThat(settings.stallTimeoutMs()).isEqualTo(3_000);
        assertThat(settings)
                .isEqualTo(new SupervisionSettings(
                        defaults.backoffBaseMs(),
                        4_000,
                        defaults.stableMs(),
                        defaults.rejectedRetryMs(),
                        defaults.ackWindowBytes(),
                        3_000,
                        defaults.maxPendingBytes(),
                        defaults.maxQueueDelayMs(),
                        defaults.behindLimitMs()));
    }

    @Test
    void leftOutRelaySectionKeepsTheDefaults() {
        assertThat(ChannelMapping.supervisionSettings(RelayConfig.defaults()))
                .isEqualTo(SupervisionSettings.defaults());
    }
}
