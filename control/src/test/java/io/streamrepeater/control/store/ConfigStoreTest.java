package io.streamrepeater.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.config.WebhookConfig;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The contract of {@link ConfigStore}, run against SQLite (a file) and PostgreSQL (a throwaway cluster). */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreBackend.class)
class ConfigStoreTest {

    @RegisterExtension
    static final SharedPostgres POSTGRES = new SharedPostgres();

    private static final SecureRandom RANDOM = new SecureRandom();

    @Parameter
    StoreBackend backend;

    @TempDir
    Path tempDir;

    private final SecretCipher secrets = SecretCipher.of(SecretCipherTest.randomKey(), "test key");
    private String jdbcUrl;
    private ConfigStore store;

    @BeforeEach
    void openStore() {
        jdbcUrl = backend.newJdbcUrl(tempDir, POSTGRES);
        store = ConfigStore.open(jdbcUrl, secrets);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aNewStoreIsEmpty() {
        assertThat(store.isEmpty()).isTrue();
        assertThat(store.channels()).isEmpty();
        assertThat(store.load().channels()).isEmpty();
        assertThat(store.channel("show")).isEmpty();
        assertThat(store.adminTokenHash()).isEmpty();
        assertThat(store.verifyAdminToken("anything")).isFalse();
    }

    @Test
    void theDesignExampleRoundTripsThroughTheStore() throws IOException {
        StreamRepeaterConfig example = designExample();

        store.replaceChannels(example.channels());

        assertThat(store.load(example.server())).isEqualTo(example);
        assertThat(store.isEmpty()).isFalse();
        store.close();
        store = ConfigStore.open(jdbcUrl, secrets);
        assertThat(store.load(example.server())).as("after reopening").isEqualTo(example);
    }

    @Test
    void everyFieldRoundTrips() {
        ChannelConfig unusual = new ChannelConfig(
                "news-2",
                List.of(
                        new InputConfig("studio", "Studio.Key_1~x", false),
                        new InputConfig("truck", "truck-key", true),
                        new InputConfig("phone", "phone-key")),
                new FailoverConfig(
                        100,
                        Failback.AUTO,
                        0,
                        StartMode.CACHED,
                        Timeline.REALTIME,
                        new FailoverConfig.LowBitrate(250, 4000)),
                "/var/slates/please stand by.flv",
                List.of(
                        new DestinationConfig("off", "rtmp://127.0.0.1/live/off-key", false),
                        new DestinationConfig(
                                "twin",
                                "rtmp://127.0.0.1/live/a",
                                true,
                                "rtmps://127.0.0.1:4443/live/b",
                                DestinationMode.FALLBACK),
                        new DestinationConfig("both", "rtmp://127.0.0.1/live/c", true, "rtmp://127.0.0.1/live/d", null),
                        new DestinationConfig(
                                "local-twitch",
                                "rtmp://127.0.0.1/app/e",
                                true,
                                null,
                                null,
                                io.streamrepeater.status.platform.Platform.TWITCH)),
                new io.streamrepeater.control.config.RelayConfig(3000, 4000),
                List.of(
                        new WebhookConfig("https://hooks.example.com/in?token=abc", "whsec-0123456789abcdef"),
                        new WebhookConfig("http://127.0.0.1:9000/events", "second-webhook-secret")));
        ChannelConfig plain = channel("plain", "plain-key");

        store.replaceChannels(List.of(unusual, plain));

        assertThat(store.channels()).containsExactly(unusual, plain);
        assertThat(store.channel("news-2")).contains(unusual);
        assertThat(store.channel("news-2").orElseThrow().destinations().get(2).mode())
                .isEqualTo(DestinationMode.BOTH);
        assertThat(store.channel("news-2").orElseThrow().webhooks())
                .extracting(WebhookConfig::url)
                .containsExactly("https://hooks.example.com/in?token=abc", "http://127.0.0.1:9000/events");
    }

    @Test
    void webhooksAreReplacedWithTheirChannelAndDeletedWithIt() throws SQLException {
        ChannelConfig show = channel("show", "show-key");
        WebhookConfig first = new WebhookConfig("https://hooks.example.com/a", "first-webhook-secret");
        WebhookConfig second = new WebhookConfig("https://hooks.example.com/b", "second-webhook-secret");
        store.upsertChannel(new ChannelConfig(
                show.name(),
                show.inputs(),
                show.failover(),
                show.slate(),
                show.destinations(),
                show.relay(),
                List.of(first, second)));

        store.upsertChannel(new ChannelConfig(
                show.name(),
                show.inputs(),
                show.failover(),
                show.slate(),
                show.destinations(),
                show.relay(),
                List.of(second)));
        assertThat(store.channel("show").orElseThrow().webhooks()).containsExactly(second);
        assertThat(queryStrings("SELECT secret FROM webhooks"))
                .singleElement()
                .satisfies(secret -> assertThat(secrets.unseal(secret, SecretColumn.WEBHOOK_SECRET))
                        .isEqualTo("second-webhook-secret"));

        store.deleteChannel("show");
        assertThat(queryStrings("SELECT url FROM webhooks")).isEmpty();
    }

    @Test
    void keysAndUrlsAreStoredEncryptedAndReadBackUsable() throws SQLException {
        store.upsertChannel(channel("show", "the-real-key"));

        assertThat(queryStrings("SELECT stream_key FROM inputs"))
                .hasSize(2)
                .allMatch(SecretCipher::isSealed)
                .extracting(key -> secrets.unseal(key, SecretColumn.INPUT_STREAM_KEY))
                .containsExactlyInAnyOrder("the-real-key-primary", "the-real-key-backup");
        assertThat(queryStrings("SELECT url FROM destinations"))
                .hasSize(2)
                .allMatch(SecretCipher::isSealed)
                .extracting(url -> secrets.unseal(url, SecretColumn.DESTINATION_URL))
                .containsExactlyInAnyOrder("rtmp://127.0.0.1/live/show-out", "rtmps://127.0.0.1:4443/live/show");
        assertThat(store.channel("show")).contains(channel("show", "the-real-key"));
    }

    @Test
    void srtPassphrasesAreStoredEncryptedAndAnInputWithoutOneStaysWithout() throws SQLException {
        ChannelConfig show = channel("show", "srt-key");
        ChannelConfig withPassphrase = show.withInputs(List.of(
                new InputConfig("primary", "srt-key-primary", true, "the-srt-passphrase"),
                new InputConfig("backup", "srt-key-backup")));

        store.upsertChannel(withPassphrase);

        assertThat(store.channel("show").orElseThrow().inputs())
                .extracting(InputConfig::srtPassphrase)
                .containsExactly("the-srt-passphrase", null);
        assertThat(queryStrings("SELECT srt_passphrase FROM inputs WHERE srt_passphrase IS NOT NULL"))
                .singleElement()
                .matches(SecretCipher::isSealed)
                .satisfies(stored -> assertThat(secrets.unseal(stored, SecretColumn.INPUT_SRT_PASSPHRASE))
                        .isEqualTo("the-srt-passphrase"));
    }

    @Test
    void upsertAppendsNewChannelsAndReplacesExistingOnesInPlace() {
        store.upsertChannel(channel("a", "key-a"));
        store.upsertChannel(channel("b", "key-b"));
        store.upsertChannel(channel("c", "key-c"));
        // b again: inputs swapped (keys move between inputs), one destination fewer, another policy
        ChannelConfig changedB = new ChannelConfig(
                "b",
                List.of(new InputConfig("backup", "key-b-primary"), new InputConfig("primary", "key-b-backup")),
                new FailoverConfig(500, Failback.MANUAL, 1000, StartMode.CACHED, Timeline.CONTINUOUS),
                null,
                List.of());

        store.upsertChannel(changedB);

        assertThat(store.channels()).extracting(ChannelConfig::name).containsExactly("a", "b", "c");
        assertThat(store.channel("b")).contains(changedB);
        assertThat(store.channel("a")).contains(channel("a", "key-a"));
    }

    @Test
    void deleteRemovesTheChannelWithItsInputsAndDestinations() throws SQLException {
        store.upsertChannel(channel("a", "key-a"));
        store.upsertChannel(channel("b", "key-b"));

        assertThat(store.deleteChannel("a")).isTrue();
        assertThat(store.deleteChannel("a")).as("deleting it again").isFalse();

        assertThat(store.channels()).containsExactly(channel("b", "key-b"));
        assertThat(queryStrings("SELECT channel FROM inputs")).containsOnly("b");
        assertThat(queryStrings("SELECT channel FROM destinations")).containsOnly("b");
        // its key is free again
        store.upsertChannel(channel("c", "key-a"));
        assertThat(store.channel("c")).contains(channel("c", "key-a"));
    }

    @Test
    void replaceChannelsMakesTheStoredChannelsExactlyTheGivenOnes() {
        store.replaceChannels(List.of(channel("a", "key-a"), channel("b", "key-b")));

        store.replaceChannels(List.of(channel("c", "key-c"), channel("a", "key-b")));

        assertThat(store.channels()).containsExactly(channel("c", "key-c"), channel("a", "key-b"));
    }

    @Test
    void undoingAFirstStartLeavesAStoreThatIsEmptyAgain() {
        store.replaceChannels(List.of(channel("main", "key-main")));
        store.setAdminTokenHash(AdminTokenHash.of("first-run-token", RANDOM));
        assertThat(store.isEmpty()).isFalse();

        store.undoFirstRun();

        assertThat(store.isEmpty()).as("the next start is a first start again").isTrue();
        assertThat(store.channels()).isEmpty();
        assertThat(store.verifyAdminToken("first-run-token")).isFalse();
    }

    @Test
    void anUpsertThatFailsHalfwayLeavesThePreviousStateIntact() {
        store.replaceChannels(List.of(channel("a", "key-a"), channel("b", "key-b")));
        List<ChannelConfig> before = store.channels();
        // The channel row and the first input are written before the second input hits the unique key of a's input.
        ChannelConfig clash = new ChannelConfig(
                "b",
                List.of(new InputConfig("primary", "key-b-new"), new InputConfig("backup", "key-a-primary")),
                new FailoverConfig(300, Failback.AUTO, 10, StartMode.CACHED, Timeline.REALTIME),
                "./other.flv",
                List.of(new DestinationConfig("new", "rtmp://127.0.0.1/live/new")));

        assertThatThrownBy(() -> store.upsertChannel(clash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input b/backup has the same key as input a/primary")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("key-a-primary"));

        assertThat(store.channels()).isEqualTo(before);
    }

    @Test
    void aNewChannelThatFailsHalfwayIsNotStoredAtAll() throws SQLException {
        store.upsertChannel(channel("a", "key-a"));
        List<ChannelConfig> before = store.channels();

        assertThatThrownBy(() -> store.upsertChannel(channel("b", "key-a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input b/primary has the same key as input a/primary");

        assertThat(store.channels()).isEqualTo(before);
        assertThat(queryStrings("SELECT name FROM channels")).containsExactly("a");
    }

    @Test
    void replaceChannelsRefusesDuplicateKeysAcrossChannelsAndChangesNothing() {
        store.replaceChannels(List.of(channel("a", "key-a")));

        assertThatThrownBy(() -> store.replaceChannels(List.of(channel("b", "same"), channel("c", "same"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input c/primary has the same key as input b/primary");

        assertThat(store.channels()).containsExactly(channel("a", "key-a"));
    }

    @Test
    void theAdminTokenIsStoredOnlyAsAHashAndVerified() throws SQLException {
        String token = "s3cret-admin-token-0123456789";

        store.setAdminTokenHash(AdminTokenHash.of(token, RANDOM));

        assertThat(store.verifyAdminToken(token)).isTrue();
        assertThat(store.verifyAdminToken(token + "x")).isFalse();
        assertThat(store.verifyAdminToken(token.substring(1))).isFalse();
        assertThat(store.verifyAdminToken("")).isFalse();
        assertThat(store.verifyAdminToken(null)).isFalse();
        assertThat(store.isEmpty())
                .as("a store with a token is not a first start")
                .isFalse();
        List<String> stored = queryStrings("SELECT value FROM settings WHERE name = 'admin_token_hash'");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0)).startsWith("sha256:").doesNotContain(token);

        store.setAdminTokenHash(AdminTokenHash.of("the-next-token", RANDOM));
        store.close();
        store = ConfigStore.open(jdbcUrl, secrets);
        assertThat(store.verifyAdminToken("the-next-token"))
                .as("after reopening")
                .isTrue();
        assertThat(store.verifyAdminToken(token)).as("the replaced token").isFalse();
    }

    @Test
    void migrationsRunOnceAndReopeningKeepsTheData() throws SQLException {
        store.upsertChannel(channel("a", "key-a"));
        store.close();

        for (int reopen = 0; reopen < 2; reopen++) {
            store = ConfigStore.open(jdbcUrl, secrets);
            assertThat(store.channels()).containsExactly(channel("a", "key-a"));
            store.close();
        }
        store = ConfigStore.open(jdbcUrl, secrets);

        assertThat(queryStrings("SELECT version FROM flyway_schema_history WHERE success = "
                        + (backend == StoreBackend.SQLITE ? "1" : "true") + " ORDER BY installed_rank"))
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void apiTokensAreKeptAsHashesListedByNameAndRemoved() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        java.time.Instant now = java.time.Instant.parse("2026-12-07T18:00:00Z");
        ApiToken.Issued stage = ApiToken.issue("stage", ApiRole.VIEWER, random, now);
        ApiToken.Issued director = ApiToken.issue("director", ApiRole.OPERATOR, random, now);
        assertThat(store.addApiToken(stage.stored())).isTrue();
        assertThat(store.addApiToken(director.stored())).isTrue();
        assertThat(store.addApiToken(
                        ApiToken.issue("stage", ApiRole.ADMIN, random, now).stored()))
                .as("a name is taken once")
                .isFalse();

        assertThat(store.apiTokens()).extracting(ApiToken::name).containsExactly("director", "stage");
        ApiToken read = store.apiTokens().get(1);
        assertThat(read.role()).isEqualTo(ApiRole.VIEWER);
        assertThat(read.createdAt()).isEqualTo(now);
        ApiToken.Presented presented = ApiToken.parse(stage.token());
        assertThat(read.matches(presented.secret())).isTrue();
        assertThat(read.matches(ApiToken.parse(director.token()).secret())).isFalse();

        assertThat(store.removeApiToken("stage")).isTrue();
        assertThat(store.removeApiToken("stage")).isFalse();
        assertThat(store.apiTokens()).extracting(ApiToken::name).containsExactly("director");
    }

    @Test
    void theAuditKeepsEveryEntryAndReadsTheLatestOldestFirst() {
        java.time.Instant t0 = java.time.Instant.parse("2026-12-07T18:00:00Z");
        for (int i = 0; i < 5; i++) {
            store.audit(new AuditEntry(
                    t0.plusMillis(i), "op" + i, ApiRole.OPERATOR, "POST", "/api/v1/channels/show/switch", 200, "::1"));
        }
        store.audit(new AuditEntry(t0.plusMillis(9), "x", ApiRole.ADMIN, "DELETE", "/" + "p".repeat(300), 404, null));
        List<AuditEntry> latest = store.auditLog(3);
        assertThat(latest).extracting(AuditEntry::token).containsExactly("op3", "op4", "x");
        assertThat(latest.get(2).path()).hasSize(AuditEntry.MAX_PATH);
        assertThat(latest.get(2).status()).isEqualTo(404);
        assertThat(latest.get(0).role()).isEqualTo(ApiRole.OPERATOR);
        assertThat(latest.get(0).at()).isEqualTo(t0.plusMillis(3));
        assertThat(store.auditLog(100)).hasSize(6);
    }

    @Test
    void aClosedStoreRefusesToWork() {
        store.close();

        assertThatThrownBy(() -> store.channels())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    /** A channel with inputs primary and backup, keyed {@code KEYSTEM-primary} and {@code KEYSTEM-backup}. */
    static ChannelConfig channel(String name, String keyStem) {
        return new ChannelConfig(
                name,
                List.of(
                        new InputConfig("primary", keyStem + "-primary"),
                        new InputConfig("backup", keyStem + "-backup")),
                FailoverConfig.defaults(),
                null,
                List.of(
                        new DestinationConfig(name + "-out", "rtmp://127.0.0.1/live/" + name + "-out"),
                        new DestinationConfig("second", "rtmps://127.0.0.1:4443/live/" + name)));
    }

    private static StreamRepeaterConfig designExample() throws IOException {
        try (InputStream in =
                ConfigStoreTest.class.getResourceAsStream("/io/streamrepeater/control/config/design-example.yaml")) {
            assertThat(in).as("design-example.yaml on the test classpath").isNotNull();
            return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "design-example.yaml");
        }
    }

    private List<String> queryStrings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
