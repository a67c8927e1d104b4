package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What the Jackson binding adds to the loader's contract: unknown keys and wrong shapes do not stop the pass. */
class YamlBindingTest {

    @Test
    void anUnknownKeyAndAWrongShapeAreReportedWithTheOtherSectionsProblems() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                server: { rtmpPrt: 1935 }
                channels:
                  - name: show
                    inputs: [{ name: primary, key: key-one-000000 }]
                    relay: 30000
                    failover: { failback: always }
                """, "show.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("show.yaml:1:11: unknown key 'rtmpPrt' in server (allowed: rtmpPort,")
                .hasMessageContaining("\n(2 more problems:)")
                .hasMessageContaining(
                        "\n  show.yaml:5:12: channels[0].relay must be a mapping (key: value), got a value")
                .hasMessageContaining("\n  show.yaml:6:27: failback 'always' must be one of sticky, auto, manual");
    }

    @Test
    void aChannelOnItsOwnIsCalledChannelInMessages() {
        assertThatThrownBy(() -> ConfigLoader.parseChannel(
                        "{\"name\":\"show\",\"inputs\":[{\"name\":\"primary\",\"key\":\"key-one-000000\"}],"
                                + "\"failover\":{\"inputLosMs\":500}}",
                        "request body"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("request body:1:81: unknown key 'inputLosMs' in channel.failover"
                        + " (allowed: inputLossMs, failback, clearMs, start, timeline, lowBitrate)");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        String deep = "server: " + "[".repeat(YamlTokenScan.MAX_DEPTH) + "]".repeat(YamlTokenScan.MAX_DEPTH) + "\n";
        assertThatThrownBy(() -> ConfigLoader.parse(deep, "show.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("show.yaml:1:")
                .hasMessageContaining("nesting deeper than " + YamlTokenScan.MAX_DEPTH + " levels at server");
    }
}
