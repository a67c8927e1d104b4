package io.streamrepeater.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.RelayConfig;
import io.streamrepeater.control.config.WebhookConfig;
import io.streamrepeater.status.DestinationMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The secrets are encrypted at rest (issue 8): whatever reads the database without the key file (plain JDBC, the
 * SQLite file's bytes) finds no stream key, destination key or webhook secret; a store of the earlier version
 * comes out encrypted; a store is refused under another key. Each test also finds something it should find (the
 * channel's name), so a test that looked in the wrong place would fail.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreBackend.class)
class SecretsAtRestTest {

    @RegisterExtension
    static final SharedPostgres POSTGRES = new SharedPostgres();

    private static final String CHANNEL = "visible-channel-name";
    private static final String PRIMARY_KEY = "PrimaryInputKey-7f3a9c";
    private static final String BACKUP_KEY = "BackupInputKey-1d2e3f";
    private static final String DESTINATION_KEY = "yt-dest-key-q9w8-e7r6-t5y4";
    private static final String BACKUP_DESTINATION_KEY = "yt-backup-key-a1s2-d3f4";
    private static final String WEBHOOK_TOKEN = "hook-token-zxcvbnm123";
    private static final String WEBHOOK_SECRET = "whsec-webhook-secret-0987";
    private static final List<String> SECRETS =
            List.of(PRIMARY_KEY, BACKUP_KEY, DESTINATION_KEY, BACKUP_DESTINATION_KEY, WEBHOOK_TOKEN, WEBHOOK_SECRET);

    @Parameter
    StoreBackend backend;

    @TempDir
    Path tempDir;

    @Test
    void noSecretIsInAnyRowNorInTheDatabaseFiles() throws Exception {
        String jdbcUrl = backend.newJdbcUrl(tempDir, POSTGRES);
        SecretCipher secrets = SecretKeyFile.loadOrCreate(tempDir.resolve("data"));
        try (ConfigStore store = ConfigStore.open(jdbcUrl, secrets)) {
            store.upsertChannel(channelWithSecrets());

            assertThat(store.channel(CHANNEL)).contains(channelWithSecrets());
            assertNoSecretIn(allRows(jdbcUrl), "the rows, with the store open");
            assertNoSecretInFiles("with the store open");
        }
        assertNoSecretIn(allRows(jdbcUrl), "the rows, after closing");
        assertNoSecretInFiles("after closing");
    }

    @Test
    void aStoreOfTheEarlierVersionComesOutEncrypted() throws Exception {
        String jdbcUrl = backend.newJdbcUrl(tempDir, POSTGRES);
        writePlaintextStoreOfVersion3(jdbcUrl);
        assertThat(allRows(jdbcUrl))
                .as("the earlier version's rows hold the keys")
                .contains(DESTINATION_KEY, PRIMARY_KEY);
        if (backend == StoreBackend.SQLITE) {
            assertThat(new String(storeFileBytes(), StandardCharsets.ISO_8859_1))
                    .as("and so does its file")
                    .contains(DESTINATION_KEY);
        }

        SecretCipher secrets = SecretKeyFile.loadOrCreate(tempDir.resolve("data"));
        try (ConfigStore store = ConfigStore.open(jdbcUrl, secrets)) {
            assertThat(store.channel(CHANNEL)).as("read back in clear").contains(channelWithSecrets());
            assertThat(store.verifyAdminToken("the-admin-token-of-v3"))
                    .as("the other settings are kept")
                    .isTrue();
            assertNoSecretIn(allRows(jdbcUrl), "the migrated rows");
            assertNoSecretInFiles("after the migration");
            // the digest took over the uniqueness of input keys
            assertThatThrownBy(() -> store.upsertChannel(ConfigStoreTest.channel("other", "x")
                            .withInputs(List.of(new InputConfig("primary", BACKUP_KEY)))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input other/primary has the same key as input " + CHANNEL + "/backup")
                    .hasMessageNotContaining(BACKUP_KEY);
        }
        try (ConfigStore reopened = ConfigStore.open(jdbcUrl, secrets)) {
            assertThat(reopened.channel(CHANNEL)).as("after reopening").contains(channelWithSecrets());
        }
    }

    @Test
    void aStoreEncryptedWithAnotherKeyIsRefusedAtOpeningAndLeftAsItWas() throws Exception {
        String jdbcUrl = backend.newJdbcUrl(tempDir, POSTGRES);
        SecretCipher original = SecretKeyFile.loadOrCreate(tempDir.resolve("data"));
        try (ConfigStore store = ConfigStore.open(jdbcUrl, original)) {
            store.upsertChannel(channelWithSecrets());
        }
        List<String> before = rows(jdbcUrl);
        SecretCipher lost = SecretKeyFile.loadOrCreate(tempDir.resolve("a-new-data-directory"));

        assertThatThrownBy(() -> ConfigStore.open(jdbcUrl, lost))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("encrypted with another key")
                .hasMessageContaining(lost.source())
                .hasMessageContaining("restore the key file");

        assertThat(rows(jdbcUrl)).isEqualTo(before);
        try (ConfigStore store = ConfigStore.open(jdbcUrl, original)) {
            assertThat(store.channel(CHANNEL)).contains(channelWithSecrets());
        }
    }

    private static ChannelConfig channelWithSecrets() {
        return new ChannelConfig(
                CHANNEL,
                List.of(new InputConfig("primary", PRIMARY_KEY), new InputConfig("backup", BACKUP_KEY)),
                FailoverConfig.defaults(),
                null,
                List.of(new DestinationConfig(
                        "youtube",
                        "rtmp://a.rtmp.youtube.com/live2/" + DESTINATION_KEY,
                        true,
                        "rtmp://b.rtmp.youtube.com/live2?backup=1/" + BACKUP_DESTINATION_KEY,
                        DestinationMode.BOTH)),
                RelayConfig.defaults(),
                List.of(new WebhookConfig("https://hooks.example.com/in?token=" + WEBHOOK_TOKEN, WEBHOOK_SECRET)));
    }

    /** The schema of migrations V1 to V3 with the channel's rows as the earlier version wrote them: in clear. */
    private void writePlaintextStoreOfVersion3(String jdbcUrl) throws IOException, SQLException {
        Files.createDirectories(tempDir.resolve("store"));
        Flyway.configure()
                .dataSource(jdbcUrl, null, null)
                .locations(JdbcConfigStore.MIGRATIONS)
                .target("3")
                .load()
                .migrate();
        ChannelConfig channel = channelWithSecrets();
        DestinationConfig destination = channel.destinations().get(0);
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            execute(
                    connection,
                    "INSERT INTO channels (name, position, input_loss_ms, failback, clear_ms, start_mode,"
                            + " timeline, slate, retry_max_ms, stall_timeout_ms) VALUES (?, 0, ?, ?, ?, ?, ?, NULL, ?, ?)",
                    CHANNEL,
                    channel.failover().inputLossMs(),
                    channel.failover().failback().yamlName(),
                    channel.failover().clearMs(),
                    channel.failover().start().yamlName(),
                    channel.failover().timeline().yamlName(),
                    channel.relay().retryMaxMs(),
                    channel.relay().stallTimeoutMs());
            int priority = 0;
            for (InputConfig input : channel.inputs()) {
                execute(
                        connection,
                        "INSERT INTO inputs (channel, name, priority, stream_key, allow_takeover)"
                                + " VALUES (?, ?, ?, ?, ?)",
                        CHANNEL,
                        input.name(),
                        priority++,
                        input.key(),
                        true);
            }
            // A destination written once and replaced: the first row's bytes linger in the file's free space.
            execute(
                    connection,
                    "INSERT INTO destinations (channel, name, position, url, enabled, backup_url, mode)"
                            + " VALUES (?, ?, 0, ?, ?, ?, ?)",
                    CHANNEL,
                    destination.name(),
                    destination.url(),
                    false,
                    destination.backupUrl(),
                    destination.mode().yamlName());
            execute(connection, "DELETE FROM destinations WHERE channel = ?", CHANNEL);
            execute(
                    connection,
                    "INSERT INTO destinations (channel, name, position, url, enabled, backup_url, mode)"
                            + " VALUES (?, ?, 0, ?, ?, ?, ?)",
                    CHANNEL,
                    destination.name(),
                    destination.url(),
                    true,
                    destination.backupUrl(),
                    destination.mode().yamlName());
            WebhookConfig webhook = channel.webhooks().get(0);
            execute(
                    connection,
                    "INSERT INTO webhooks (channel, position, url, secret) VALUES (?, 0, ?, ?)",
                    CHANNEL,
                    webhook.url(),
                    webhook.secret());
            execute(
                    connection,
                    "INSERT INTO settings (name, value) VALUES (?, ?)",
                    JdbcConfigStore.ADMIN_TOKEN_HASH_SETTING,
                    AdminTokenHash.of("the-admin-token-of-v3", new java.security.SecureRandom())
                            .encoded());
        }
    }

    private static void execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static void assertNoSecretIn(String text, String where) {
        assertThat(text).as("%s hold the channel", where).contains(CHANNEL);
        for (String secret : SECRETS) {
            assertThat(text).as("%s must not hold a secret", where).doesNotContain(secret);
        }
    }

    /** SQLite: every file of the store (database, WAL, shared memory index), byte for byte. */
    private void assertNoSecretInFiles(String when) throws IOException {
        if (backend == StoreBackend.SQLITE) {
            assertNoSecretIn(new String(storeFileBytes(), StandardCharsets.ISO_8859_1), "the SQLite files " + when);
        }
    }

    private byte[] storeFileBytes() throws IOException {
        Path directory = tempDir.resolve("store");
        List<byte[]> contents = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                contents.add(Files.readAllBytes(file));
            }
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        contents.forEach(bytes -> all.writeBytes(bytes));
        return all.toByteArray();
    }

    /** @return every value of every table, one row a line */
    private String allRows(String jdbcUrl) throws SQLException {
        return String.join("\n", rows(jdbcUrl));
    }

    private List<String> rows(String jdbcUrl) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            List<String> tables = new ArrayList<>();
            String tablesSql = backend == StoreBackend.SQLITE
                    ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                    : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                            + " ORDER BY table_name";
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(tablesSql)) {
                while (result.next()) {
                    tables.add(result.getString(1));
                }
            }
            assertThat(tables).contains("inputs", "destinations", "webhooks", "settings");
            for (String table : tables) {
                try (Statement statement = connection.createStatement();
                        ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder(table).append(':');
                        for (int i = 1; i <= columns; i++) {
                            row.append(' ').append(result.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        rows.sort(null);
        return rows;
    }
}
