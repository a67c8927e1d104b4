package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ConfigWriterTest {

    @Test
    void designExampleSurvivesARoundTrip() {
        StreamRepeaterConfig config = ConfigLoaderTest.designExampleConfig();
        String yaml = ConfigWriter.toYaml(config);
        assertThat(ConfigLoader.parse(yaml, "written.yaml")).isEqualTo(config);
    }

    @Test
    void serverLimitsSurviveARoundTrip() {
        StreamRepeaterConfig config = new StreamRepeaterConfig(
                ServerConfig.defaults()
                        .withLimits(new LimitsConfig(
                                2000, 4000, 65536, 4194304, 200, 5, 8388608, 8192, 1048576, 268435456)),
                List.of());
        String yaml = ConfigWriter.toYaml(config);
        assertThat(yaml)
                .contains("maxConnectionsPerAddress: 5")
                .contains("prePublishMaxMessageSize: 8192")
                .contains("pendingBytesTotal: 268435456");
        assertThat(ConfigLoader.parse(yaml, "written.yaml")).isEqualTo(config);
    }

    @Test
    void httpsSettingsSurviveARoundTrip() {
        for (HttpsConfig https : List.of(
                new HttpsConfig(8443, HttpsConfig.Http.REDIRECT),
                new HttpsConfig(8443, HttpsConfig.Http.OFF),
                new HttpsConfig(8443, HttpsConfig.Http.FULL))) {
            ServerConfig d = ServerConfig.defaults();
            ServerConfig server = new ServerConfig(
                    d.rtmpPort(),
                    d.srtPort(),
                    d.httpPort(),
                    d.dataDir(),
                    null,
                    0,
                    new TlsConfig(Path.of("/etc/tls/fullchain.pem"), Path.of("/etc/tls/privkey.pem")),
                    d.limits(),
                    d.srtLatencyMs(),
                    List.of(),
                    null,
                    null,
                    null,
                    https);
            StreamRepeaterConfig config = new StreamRepeaterConfig(server, List.of());
            String yaml = ConfigWriter.toYaml(config);
            assertThat(yaml).contains("httpsPort: 8443");
            assertThat(ConfigLoader.parse(yaml, "written.yaml")).isEqualTo(config);
        }
    }

    @Test
    void theLowBitrateTriggerSurvivesARoundTrip() {
        StreamRepeaterConfig config = new StreamRepeaterConfig(
                ServerConfig.defaults(),
                List.of(new ChannelConfig(
                        "show",
                        List.of(new InputConfig("primary", "long-random-secret-1")),
                        new FailoverConfig(
                                500,
                                Failback.AUTO,
                                2000,
                                StartMode.CACHED,
                                Timeline.CONTINUOUS,
                                new FailoverConfig.LowBitrate(300, 3000)),
                        null,
                        List.of())));
        String yaml = ConfigWriter.toYaml(config);
        assertThat(yaml).contains("lowBitrate:\n        belowKbps: 300\n        forMs: 3000");
        assertThat(ConfigLoader.parse(yaml, "written.yaml")).isEqualTo(config);
    }

    @Test
    void firstRunConfigSurvivesARoundTrip() {
        StreamRepeaterConfig config = FirstRun.defaultConfig(new SecureRandom());
        assertThat(ConfigLoader.parse(ConfigWriter.toYaml(config), "written.yaml"))
                .isEqualTo(config);
    }

    @Test
    void valuesThatLookLikeOtherYamlTypesStayStrings() {
        StreamRepeaterConfig config = new StreamRepeaterConfig(
                new ServerConfig(0, 1, 65535, Path.of("/srv/stream repeater/data #1"), "null"),
                List.of(new ChannelConfig(
                        "1",
                        // keys of at least 12 characters (the minimum for a key given now) that YAML could read
                        // as numbers: hex, octal, float with exponent, signed
                        List.of(
                                new InputConfig("true", "0x1000000000", false), new InputConfig("no", "000000000007"),
                                new InputConfig("0x10", "1.5e300000000"), new InputConfig("yes", "-12345678901"),
                                new InputConfig("a", "123456789012"), new InputConfig("b", "0.1234567890")),
                        new FailoverConfig(100, Failback.MANUAL, 0, StartMode.CACHED, Timeline.REALTIME),
                        "./slates/night: #2.flv",
                        List.of(new DestinationConfig("x", "rtmp://[::1]:1935/live/x?a=b&c=#d", false)))));

        String yaml = ConfigWriter.toYaml(config);

        assertThat(ConfigLoader.parse(yaml, "written.yaml")).isEqualTo(config);
    }

    @Property(tries = 200)
    void anyValidKeyAndTokenSurviveARoundTrip(
            @ForAll
                    @StringLength(min = 12, max = 40)
                    @CharRange(from = 'a', to = 'z')
                    @CharRange(from = 'A', to = 'Z')
                    @CharRange(from = '0', to = '9')
                    @Chars({'-', '.', '_', '~'})
                    String key,
            @ForAll @StringLength(min = 1, max = 40) @CharRange(from = '!', to = '~') String token) {
        StreamRepeaterConfig config = new StreamRepeaterConfig(
                ServerConfig.defaults().withAdminToken(token),
                List.of(new ChannelConfig(
                        "show",
                        List.of(new InputConfig("primary", key)),
                        FailoverConfig.defaults(),
                        null,
                        List.of(new DestinationConfig("d", "rtmps://example.com/app/" + key)))));

        assertThat(ConfigLoader.parse(ConfigWriter.toYaml(config), "written.yaml"))
                .isEqualTo(config);
    }

    @Test
    void maskedOutputContainsNoSecret() throws IOException {
        StreamRepeaterConfig config = ConfigLoader.parse("""
                server: { adminToken: admin-token-value }
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: primary-input-key }
                      - { name: backup, key: backup-input-key }
                    destinations:
                      - { name: yt, url: "rtmp://a.rtmp.youtube.com/live2/youtube-stream-key?backup=1" }
                      - { name: ytb, url: "rtmp://b.rtmp.youtube.com/live2?backup=1/youtube-backup-key" }
                      - { name: fb, url: "rtmps://live-api-s.facebook.com:443/rtmp/FB-123-key?s_bl=1&a=b" }
                """, "show.yaml");

        String masked = ConfigWriter.toYaml(config, ConfigWriter.Secrets.MASK);

        assertThat(masked)
                .doesNotContain(
                        "admin-token-value",
                        "primary-input-key",
                        "backup-input-key",
                        "youtube-stream-key",
                        "youtube-backup-key",
                        "FB-123-key",
                        "s_bl");
        assertThat(masked)
                .contains(
                        "rtmp://a.rtmp.youtube.com/live2/****",
                        "rtmp://b.rtmp.youtube.com/live2?****/****",
                        "rtmps://live-api-s.facebook.com:443/rtmp/****",
                        "key: '****'");
        assertThat(masked).contains("name: primary", "name: fb");
    }

    @Test
    void srtLatencyAndPassphraseSurviveARoundTripAndThePassphraseIsMasked() {
        ServerConfig d = ServerConfig.defaults();
        StreamRepeaterConfig config = new StreamRepeaterConfig(
                new ServerConfig(d.rtmpPort(), 9001, d.httpPort(), d.dataDir(), null, 0, null, d.limits(), 1500),
                List.of(new ChannelConfig(
                        "show",
                        List.of(
                                new InputConfig("primary", "input-key-000000"),
                                new InputConfig("cell", "cell-key-000000", true, "cellular-passphrase")),
                        FailoverConfig.defaults(),
                        null,
                        List.of())));

        String yaml = ConfigWriter.toYaml(config);

        assertThat(ConfigLoader.parse(yaml, "written.yaml")).isEqualTo(config);
        assertThat(yaml).contains("srtLatencyMs: 1500", "srtPassphrase: cellular-passphrase");
        assertThat(ConfigWriter.toYaml(config, ConfigWriter.Secrets.MASK))
                .doesNotContain("cellular-passphrase")
                .contains("srtPassphrase: '****'");
    }

    @Test
    void backupUrlAndModeSurviveARoundTripAndAreMasked() {
        StreamRepeaterConfig config = new StreamRepeaterConfig(
                ServerConfig.defaults(),
                List.of(new ChannelConfig(
                        "show",
                        List.of(new InputConfig("primary", "input-key-000000")),
                        FailoverConfig.defaults(),
                        null,
                        List.of(
                                new DestinationConfig(
                                        "yt",
                                        "rtmp://a.rtmp.youtube.com/live2/yt-primary-key",
                                        true,
                                        "rtmp://b.rtmp.youtube.com/live2?backup=1/yt-backup-key",
                                        DestinationMode.FALLBACK),
                                new DestinationConfig(
                                        "tw",
                                        "rtmp://live.twitch.tv/app/tw-key",
                                        true,
                                        "rtmp://live-b.twitch.tv/app/tw-key",
                                        null),
                                new DestinationConfig(
                                        "local",
                                        "rtmp://127.0.0.1/app/local-key",
                                        true,
                                        null,
                                        null,
                                        io.streamrepeater.status.platform.Platform.KICK)))));

        String yaml = ConfigWriter.toYaml(config);
        StreamRepeaterConfig read = ConfigLoader.parse(yaml, "written.yaml");
        String masked = ConfigWriter.toYaml(config, ConfigWriter.Secrets.MASK);

        assertThat(read).isEqualTo(config);
        assertThat(read.channels().get(0).destinations().get(1).mode()).isEqualTo(DestinationMode.BOTH);
        assertThat(yaml)
                .contains(
                        "backupUrl: rtmp://b.rtmp.youtube.com/live2?backup=1/yt-backup-key",
                        "mode: fallback",
                        "mode: both",
                        "platform: kick");
        assertThat(read.channels().get(0).destinations().get(2).effectivePlatform())
                .isEqualTo(io.streamrepeater.status.platform.Platform.KICK);
        assertThat(read.channels().get(0).destinations().get(0).effectivePlatform())
                .as("recognised from the host")
                .isEqualTo(io.streamrepeater.status.platform.Platform.YOUTUBE);
        assertThat(masked)
                .doesNotContain("yt-primary-key", "yt-backup-key", "tw-key")
                .contains("backupUrl: rtmp://b.rtmp.youtube.com/live2?****/****");
        assertThat(config.channels().get(0).destinations().get(0).toString()).doesNotContain("yt-backup-key");
    }

    @Test
    void relaySettingsSurviveARoundTrip() {
        StreamRepeaterConfig config = new StreamRepeaterConfig(
                ServerConfig.defaults(),
                List.of(new ChannelConfig(
                        "show",
                        List.of(new InputConfig("primary", "input-key-000000")),
                        FailoverConfig.defaults(),
                        null,
                        List.of(),
                        new RelayConfig(5_000, 3_000))));

        String yaml = ConfigWriter.toYaml(config);

        assertThat(ConfigLoader.parse(yaml, "written.yaml")).isEqualTo(config);
        assertThat(yaml).contains("""
                    relay:
                      retryMaxMs: 5000
                      stallTimeoutMs: 3000
                """);
    }

    @Test
    void writesEverySettingInDesignOrder() {
        String yaml = ConfigWriter.toYaml(ConfigLoaderTest.designExampleConfig());

        assertThat(yaml).startsWith("# ").contains("""
                server:
                  rtmpPort: 1935
                  rtmpsPort: 0
                  srtPort: 9000
                  srtLatencyMs: 120
                  httpPort: 8080
                  dataDir: ./data
                  adminToken: change-me
                  limits:
                    handshakeTimeoutMs: 10000
                    publishTimeoutMs: 15000
                    maxChunkSize: 16777215
                    maxMessageSize: 16777215
                    maxConnections: 1000
                    maxConnectionsPerAddress: 20
                    maxPendingBytes: 33554432
                    prePublishMaxMessageSize: 16384
                    prePublishPendingBytesTotal: 33554432
                    pendingBytesTotal: 0
                channels:
                  - name: show
                    inputs:
                      - name: primary
                        key: long-random-secret-1
                        allowTakeover: true
                """).contains("""
                    failover:
                      inputLossMs: 1000
                      failback: sticky
                      clearMs: 5000
                      start: next-keyframe
                      timeline: continuous
                    slate: ./slate.flv
                    destinations:
                      - name: youtube
                        url: rtmp://a.rtmp.youtube.com/live2/STREAM-KEY
                        enabled: true
                """);
    }

    @Test
    void rtmpsSettingsSurviveARoundTrip() {
        StreamRepeaterConfig config = new StreamRepeaterConfig(
                new ServerConfig(
                        1935,
                        0,
                        8080,
                        Path.of("./data"),
                        null,
                        1936,
                        new TlsConfig(Path.of("/etc/tls/full chain.pem"), Path.of("tls/key #1.pem"))),
                List.of());

        String yaml = ConfigWriter.toYaml(config);

        assertThat(yaml).contains("rtmpsPort: 1936").contains("""
                  tls:
                    certFile: /etc/tls/full chain.pem
                """);
        assertThat(ConfigLoader.parse(yaml, "written.yaml")).isEqualTo(config);
    }
}
