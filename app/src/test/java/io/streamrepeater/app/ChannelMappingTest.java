package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.relay.DestinationSpec;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.platform.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A destination's configured platform reaches every relay spec made of it, the cluster's split ones included. */
class ChannelMappingTest {
    private static final DestinationConfig KICK_WITH_BACKUP = new DestinationConfig(
            "k",
            "rtmp://127.0.0.1/app/main-key",
            true,
            "rtmp://127.0.0.2/app/backup-key",
            DestinationMode.BOTH,
            Platform.KICK);

    @Test
    void theConfiguredPlatformIsKeptInEverySpec() {
        assertThat(ChannelMapping.destinationSpec(KICK_WITH_BACKUP).platform()).isEqualTo(Platform.KICK);
        DestinationSpec primary = ChannelMapping.primaryIngestSpec(KICK_WITH_BACKUP);
        assertThat(primary.backupUrl()).isNull();
        assertThat(primary.platform()).isEqualTo(Platform.KICK);
        assertThat(ChannelMapping.withEnabled(KICK_WITH_BACKUP, false).platform())
                .isEqualTo(Platform.KICK);
        ChannelConfig channel = new ChannelConfig(
                "show",
                List.of(new InputConfig("cam", "mapping-test-key-0001")),
                FailoverConfig.defaults(),
                null,
                List.of(KICK_WITH_BACKUP));
        assertThat(ChannelMapping.backupIngestSpecs(channel)).singleElement().satisfies(backup -> {
            assertThat(backup.name()).isEqualTo("k/backup");
            assertThat(backup.platform()).isEqualTo(Platform.KICK);
        });
    }
}
