package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each key of {@code server.limits}: its range at both ends, its default, and how one key bounds another. */
class ServerLimitsTest {

    /** One limit set on line 3, column 5 of the file; the value starts after "key: ". */
    private static String limit(String key, String value) {
        return "server:\n  limits:\n    " + key + ": " + value + "\n";
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("handshakeTimeoutMs", "99", "100..600000"),
                Arguments.of("handshakeTimeoutMs", "600001", "100..600000"),
                Arguments.of("publishTimeoutMs", "99", "100..3600000"),
                Arguments.of("publishTimeoutMs", "3600001", "100..3600000"),
                Arguments.of("maxChunkSize", "127", "128..16777215"),
                Arguments.of("maxChunkSize", "16777216", "128..16777215"),
                Arguments.of("maxMessageSize", "1023", "1024..16777215"),
                Arguments.of("maxMessageSize", "16777216", "1024..16777215"),
                Arguments.of("maxConnections", "0", "1..1000000"),
                Arguments.of("maxConnections", "1000001", "1..1000000"),
                Arguments.of("maxConnectionsPerAddress", "0", "1..1000000"),
                Arguments.of("maxConnectionsPerAddress", "1000001", "1..1000000"),
                Arguments.of("maxPendingBytes", "0", "1..2147483647"),
                Arguments.of("prePublishMaxMessageSize", "1023", "1024..16777215"),
                Arguments.of("prePublishMaxMessageSize", "16777216", "1024..16777215"),
                Arguments.of("prePublishPendingBytesTotal", "65535", "65536..2147483647"),
                Arguments.of("pendingBytesTotal", "-1", "0..2147483647"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("outOfRange")
    void aLimitOutsideItsRangeIsReportedAtItsValue(String key, String value, String range) {
        int column = 5 + key.length() + 2;
        assertThatThrownBy(() -> ConfigLoader.parse(limit(key, value), "show.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("show.yaml:3:" + column + ": " + key + " " + value + " is outside " + range);
    }

    @Test
    void theLimitsAfterTheFirstSevenAreReadAndKeepTheirDefaultsWhenLeftOut() {
        LimitsConfig limits = ConfigLoader.parse("""
                        server:
                          limits:
                            prePublishMaxMessageSize: 2048
                            prePublishPendingBytesTotal: 65536
                            pendingBytesTotal: 1048576
                        """, "show.yaml").server().limits();
        assertThat(limits.prePublishMaxMessageSize()).isEqualTo(2048);
        assertThat(limits.prePublishPendingBytesTotal()).isEqualTo(65536);
        assertThat(limits.pendingBytesTotal()).isEqualTo(1048576);
        assertThat(ConfigLoader.parse("server: { limits: {} }\n", "show.yaml")
                        .server()
                        .limits())
                .isEqualTo(LimitsConfig.defaults());
    }

    @Test
    void theLargestMessageBoundsTheLargestMessageBeforeAPublish() {
        assertThat(ConfigLoader.parse("server:\n  limits: { maxMessageSize: 4096 }\n", "show.yaml")
                        .server()
                        .limits()
                        .prePublishMaxMessageSize())
                .as("the default of 16384 is lowered to the largest message")
                .isEqualTo(4096);
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "server:\n  limits:\n    maxMessageSize: 4096\n    prePublishMaxMessageSize: 8192\n",
                        "show.yaml"))
                .hasMessage("show.yaml:4:31: prePublishMaxMessageSize 8192 is outside 1024..4096");
    }

    @Test
    void theFirstWrongLimitIsTheOneReportedForTheSection() {
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "server:\n  limits:\n    maxConnections: 0\n    handshakeTimeoutMs: 50\n"
                                + "channels:\n  - name: BAD\n    inputs: [{ name: primary, key: key-one-000000 }]\n",
                        "show.yaml"))
                .hasMessage("show.yaml:4:25: handshakeTimeoutMs 50 is outside 100..600000\n"
                        + "(1 more problem:)\n"
                        + "  show.yaml:6:11: channel name 'BAD' must match [a-z0-9-]+");
    }
}
