package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FirstRunTest {

    @Test
    void createsChannelMainWithPrimaryAndBackupAndNoDestinations() {
        StreamRepeaterConfig config = FirstRun.defaultConfig(new SecureRandom());

        assertThat(config.channels()).hasSize(1);
        ChannelConfig main = config.channels().get(0);
        assertThat(main.name()).isEqualTo("main");
        assertThat(main.inputs()).extracting(InputConfig::name).containsExactly("primary", "backup");
        assertThat(main.inputs()).allMatch(InputConfig::allowTakeover);
        assertThat(main.failover()).isEqualTo(FailoverConfig.defaults());
        assertThat(main.slate()).isNull();
        assertThat(main.destinations()).isEmpty();
        assertThat(config.server().rtmpPort()).isEqualTo(1935);
        assertThat(config.server().httpPort()).isEqualTo(8080);
        assertThat(config.server().dataDir()).isEqualTo(Path.of("./data"));
    }

    @Test
    void keysAndTokenAre32UrlSafeCharactersAndAllDifferent() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int run = 0; run < 50; run++) {
            StreamRepeaterConfig config = FirstRun.defaultConfig(random);
            List<String> secrets = List.of(
                    config.server().adminToken(),
                    config.channels().get(0).inputs().get(0).key(),
                    config.channels().get(0).inputs().get(1).key());
            for (String secret : secrets) {
                assertThat(secret).matches("[A-Za-z0-9_-]{32}");
                assertThat(seen.add(secret)).as("secret repeated").isTrue();
            }
        }
    }

    @Test
    void keepsTheServerSettingsItIsGivenAndTheirToken() {
        ServerConfig chosen = new ServerConfig(1936, 0, 8081, Path.of("/tmp/sr"), "given-token");
        assertThat(FirstRun.defaultConfig(chosen, new SecureRandom()).server()).isEqualTo(chosen);

        ServerConfig withoutToken = chosen.withAdminToken(null);
        ServerConfig filled =
                FirstRun.defaultConfig(withoutToken, new SecureRandom()).server();
        assertThat(filled.adminToken()).matches("[A-Za-z0-9_-]{32}");
        assertThat(filled.withAdminToken(null)).isEqualTo(withoutToken);
    }
}
