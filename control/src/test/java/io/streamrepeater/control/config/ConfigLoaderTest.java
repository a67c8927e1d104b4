package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static String designExample() throws IOException {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("design-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static StreamRepeaterConfig designExampleConfig() {
        return new StreamRepeaterConfig(
                new ServerConfig(1935, 9000, 8080, Path.of("./data"), "change-me"),
                List.of(new ChannelConfig(
                        "show",
                        List.of(
                                new InputConfig("primary", "long-random-secret-1", true),
                                new InputConfig("backup", "long-random-secret-2", true)),
                        new FailoverConfig(1000, Failback.STICKY, 5000, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS),
                        "./slate.flv",
                        List.of(
                                new DestinationConfig("youtube", "rtmp://a.rtmp.youtube.com/live2/STREAM-KEY", true),
                                new DestinationConfig(
                                        "facebook", "rtmps://live-api-s.facebook.com:443/rtmp/STREAM-KEY", true)))));
    }

    @Test
    void designExampleLoadsToTheExpectedRecords() throws IOException {
        assertThat(ConfigLoader.parse(designExample(), "show.yaml")).isEqualTo(designExampleConfig());
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path directory) throws IOException {
        Path good = directory.resolve("show.yaml");
        Files.writeString(good, designExample());
        assertThat(ConfigLoader.load(good)).isEqualTo(designExampleConfig());

        Path bad = directory.resolve("bad.yaml");
        Files.writeString(bad, "server:\n  rtmpPrt: 1935\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessage(bad + ":2:3: unknown key 'rtmpPrt' in server"
                        + " (allowed: rtmpPort, rtmpsPort, srtPort, srtLatencyMs, httpPort, httpsPort, http, dataDir, adminToken, tls, limits,"
                        + " webhookHosts, database, bind, cluster)");
    }

    @Test
    void missingFileIsReportedWithoutPosition(@TempDir Path directory) {
        Path missing = directory.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": file not found")
                .satisfies(e -> assertThat(((ConfigException) e).line()).isZero());
    }

    @Test
    void leftOutSettingsTakeTheirDefaults() {
        StreamRepeaterConfig config = ConfigLoader.parse("""
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: key-one-000000 }
                """, "show.yaml");

        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.server()).isEqualTo(new ServerConfig(1935, 9000, 8080, Path.of("./data"), null));
        assertThat(config.server().rtmpsPort())
                .as("RTMPS is off unless asked for")
                .isZero();
        assertThat(config.server().tls()).isNull();
        ChannelConfig show = config.channels().get(0);
        assertThat(show.failover())
                .isEqualTo(
                        new FailoverConfig(1000, Failback.STICKY, 5000, StartMode.NEXT_KEYFRAME, Timeline.CONTINUOUS));
        assertThat(show.inputs()).containsExactly(new InputConfig("primary", "key-one-000000", true));
        assertThat(show.slate()).isNull();
        assertThat(show.destinations()).isEmpty();
        assertThat(show.relay()).isEqualTo(new RelayConfig(30_000, 10_000));
    }

    @Test
    void rtmpsPortAndTlsFilesAreRead() {
        StreamRepeaterConfig config = ConfigLoader.parse("""
                server:
                  rtmpsPort: 1936
                  tls: { certFile: /etc/letsencrypt/live/relay/fullchain.pem, keyFile: tls/privkey.pem }
                """, "show.yaml");

        assertThat(config.server().rtmpsPort()).isEqualTo(1936);
        assertThat(config.server().tls())
                .isEqualTo(new TlsConfig(
                        Path.of("/etc/letsencrypt/live/relay/fullchain.pem"), Path.of("tls/privkey.pem")));
        assertThat(config.server().rtmpPort()).isEqualTo(1935);
    }

    @Test
    void httpsPortTakesTheTlsFilesAndPlainHttpRedirectsByDefault() {
        StreamRepeaterConfig config = ConfigLoader.parse("""
                server:
                  httpsPort: 8443
                  tls: { certFile: tls/fullchain.pem, keyFile: tls/privkey.pem }
                """, "show.yaml");
        assertThat(config.server().https()).isEqualTo(new HttpsConfig(8443, HttpsConfig.Http.REDIRECT));
        assertThat(ConfigLoader.parse("server: { httpsPort: 8443, http: off, tls: { certFile: c, keyFile: k } }\n", "s")
                        .server()
                        .https()
                        .http())
                .isEqualTo(HttpsConfig.Http.OFF);
        assertThat(ConfigLoader.parse("server: {}\n", "s").server().https()).isEqualTo(HttpsConfig.NONE);
    }

    @Test
    void httpsMistakesAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("server:\n  httpsPort: 8443\n", "show.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("show.yaml:2:")
                .hasMessageContaining("httpsPort 8443 needs a certificate: add server.tls");
        assertThatThrownBy(() -> ConfigLoader.parse("server:\n  rtmpPort: 1935\n  http: redirect\n", "show.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("show.yaml:3:")
                .hasMessageContaining("http: redirect needs httpsPort");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "server:\n  httpsPort: 8443\n  http: sideways\n  tls: { certFile: c, keyFile: k }\n",
                        "show.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("show.yaml:3:")
                .hasMessageContaining("http must be full, redirect or off");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "server:\n  httpPort: 8443\n  httpsPort: 8443\n  tls: { certFile: c, keyFile: k }\n",
                        "show.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("show.yaml:3:")
                .hasMessageContaining("httpsPort 8443 is already used by httpPort");
    }

    @Test
    void srtLatencyAndAnInputsSrtPassphraseAreRead() {
        StreamRepeaterConfig config = ConfigLoader.parse("""
                server: { srtPort: 9001, srtLatencyMs: 800 }
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: key-one-000000 }
                      - { name: cellular, key: key-two-000000, srtPassphrase: "bonded-unit-passphrase" }
                """, "show.yaml");

        assertThat(config.server().srtPort()).isEqualTo(9001);
        assertThat(config.server().srtLatencyMs()).isEqualTo(800);
        assertThat(config.channels().get(0).inputs())
                .extracting(InputConfig::srtPassphrase)
                .containsExactly(null, "bonded-unit-passphrase");
        assertThat(config.channels().get(0).inputs().get(1).toString()).doesNotContain("bonded-unit-passphrase");
        assertThat(ConfigLoader.parse("server: {}\n", "show.yaml").server().srtLatencyMs())
                .isEqualTo(ServerConfig.DEFAULT_SRT_LATENCY_MS);
    }

    @Test
    void aTlsSectionWithoutRtmpsPortIsAcceptedForTheCommandLineToEnable() {
        StreamRepeaterConfig config =
                ConfigLoader.parse("server:\n  tls: { certFile: c.pem, keyFile: k.pem }\n", "show.yaml");

        assertThat(config.server().rtmpsPort()).isZero();
        assertThat(config.server().tls()).isEqualTo(new TlsConfig(Path.of("c.pem"), Path.of("k.pem")));
    }

    @Test
    void relaySectionSetsTheBackoffCapAndTheStallTimeoutOfOneChannel() {
        StreamRepeaterConfig config = ConfigLoader.parse("""
                channels:
                  - name: show
                    inputs: [{ name: primary, key: key-one-000000 }]
                    relay: { retryMaxMs: 5000, stallTimeoutMs: 3000 }
                  - name: talk
                    inputs: [{ name: primary, key: key-two-000000 }]
                    relay: { retryMaxMs: 1000 }
                """, "show.yaml");

        assertThat(config.channels().get(0).relay()).isEqualTo(new RelayConfig(5_000, 3_000));
        assertThat(config.channels().get(1).relay()).isEqualTo(new RelayConfig(1_000, 10_000));
    }

    @Test
    void everyOptionIsReadInItsYamlSpelling() {
        StreamRepeaterConfig config = ConfigLoader.parse("""
                server: { rtmpPort: 0, srtPort: 0, httpPort: 0, dataDir: /var/lib/sr }
                channels:
                  - name: talk-2
                    inputs:
                      - { name: cam-a, key: 123456789012, allowTakeover: false }
                    failover: { inputLossMs: 100, failback: auto, clearMs: 0, start: cached, timeline: realtime,
                                lowBitrate: { belowKbps: 300, forMs: 3000 } }
                    destinations:
                      - { name: twitch, url: "rtmp://live.twitch.tv/app/live_1?bandwidthtest=true", enabled: false }
                  - name: talk-3
                    inputs: [{ name: cam-a, key: other-key-0000 }]
                    failover: { failback: manual }
                """, "show.yaml");

        assertThat(config.server()).isEqualTo(new ServerConfig(0, 0, 0, Path.of("/var/lib/sr"), null));
        ChannelConfig talk = config.channels().get(0);
        assertThat(talk.inputs()).containsExactly(new InputConfig("cam-a", "123456789012", false));
        assertThat(talk.failover())
                .isEqualTo(new FailoverConfig(
                        100,
                        Failback.AUTO,
                        0,
                        StartMode.CACHED,
                        Timeline.REALTIME,
                        new FailoverConfig.LowBitrate(300, 3000)));
        assertThat(config.channels().get(1).failover().lowBitrate())
                .as("off by default")
                .isNull();
        assertThat(talk.destinations())
                .containsExactly(
                        new DestinationConfig("twitch", "rtmp://live.twitch.tv/app/live_1?bandwidthtest=true", false));
        assertThat(config.channels().get(1).failover().failback()).isEqualTo(Failback.MANUAL);
    }

    @Test
    void serverLimitsAreReadAndLeftOutOnesKeepTheirDefaults() {
        StreamRepeaterConfig config = ConfigLoader.parse("""
                server:
                  limits:
                    handshakeTimeoutMs: 2000
                    publishTimeoutMs: 4000
                    maxChunkSize: 65536
                    maxMessageSize: 4194304
                    maxConnections: 200
                    maxConnectionsPerAddress: 5
                    maxPendingBytes: 8388608
                """, "show.yaml");
        assertThat(config.server().limits()).isEqualTo(new LimitsConfig(2000, 4000, 65536, 4194304, 200, 5, 8388608));

        LimitsConfig partly = ConfigLoader.parse("server: { limits: { maxConnectionsPerAddress: 3 } }\n", "show.yaml")
                .server()
                .limits();
        assertThat(partly).isEqualTo(new LimitsConfig(10_000, 15_000, 0xFFFFFF, 0xFFFFFF, 1000, 3, 32 * 1024 * 1024));
        assertThat(ConfigLoader.parse("server: {}\n", "show.yaml").server().limits())
                .isEqualTo(LimitsConfig.defaults());
    }

    @Test
    void nullValuesCountAsLeftOut() {
        StreamRepeaterConfig config = ConfigLoader.parse("""
                server:
                  adminToken:
                channels:
                  - name: show
                    inputs: [{ name: primary, key: key-one-000000 }]
                    slate: ~
                    destinations: null
                """, "show.yaml");
        assertThat(config.server().adminToken()).isNull();
        assertThat(config.channels().get(0).slate()).isNull();
        assertThat(config.channels().get(0).destinations()).isEmpty();
    }

    @Test
    void aServerSectionAloneHasNoChannels() {
        assertThat(ConfigLoader.parse("server: { httpPort: 9090 }\n", "s.yaml").channels())
                .isEmpty();
    }
}
