package io.streamrepeater.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 4 (after the SQL migrations V1 to V3): the secrets of a store written by an earlier version are
 * encrypted with the key file ({@link SecretCipher}). Code, not SQL, because it needs the key.
 *
 * <ul>
 *   <li>{@code inputs.stream_key_digest} is added and made unique: the encrypted keys differ on every write, so
 *       the digest takes over the job of V1's {@code inputs_stream_key_unique} (dropped on PostgreSQL; SQLite
 *       cannot drop a constraint without rebuilding the table, and random nonces never collide).</li>
 *   <li>On PostgreSQL the secret columns become {@code TEXT}: a ciphertext is longer than the V1 limits
 *       (SQLite does not enforce a length).</li>
 *   <li>Every plaintext value of a {@link SecretColumn} is encrypted in place, in the migration's transaction.</li>
 * </ul>
 *
 * Old plaintext may survive in free pages of the file or in dead row versions: when this migration ran on an
 * existing store, the store scrubs them ({@link StoreDatabase#scrubAfterEncryption(Connection)}).
 */
final class EncryptSecretsMigration implements JavaMigration {
    private final StoreDatabase database;
    private final SecretCipher cipher;
    private volatile boolean ran;

    EncryptSecretsMigration(StoreDatabase database, SecretCipher cipher) {
        this.database = database;
        this.cipher = cipher;
    }

    /** @return true if this migration was applied during this opening of the store */
    boolean ran() {
        return ran;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("4");
    }

    @Override
    public String getDescription() {
        return "encrypt secrets";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE inputs ADD COLUMN stream_key_digest VARCHAR(64)");
            if (database == StoreDatabase.POSTGRESQL) {
                statement.execute("ALTER TABLE inputs DROP CONSTRAINT inputs_stream_key_unique");
                statement.execute("ALTER TABLE inputs ALTER COLUMN stream_key TYPE TEXT");
                statement.execute("ALTER TABLE destinations ALTER COLUMN url TYPE TEXT");
                statement.execute("ALTER TABLE destinations ALTER COLUMN backup_url TYPE TEXT");
                statement.execute("ALTER TABLE webhooks ALTER COLUMN url TYPE TEXT");
                statement.execute("ALTER TABLE webhooks ALTER COLUMN secret TYPE TEXT");
            }
        }
        encryptInputs(connection);
        encryptDestinations(connection);
        encryptWebhooks(connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE UNIQUE INDEX inputs_stream_key_digest_unique ON inputs (stream_key_digest)");
            if (database == StoreDatabase.POSTGRESQL) {
                statement.execute("ALTER TABLE inputs ALTER COLUMN stream_key_digest SET NOT NULL");
            }
        }
        ran = true;
    }

    private void encryptInputs(Connection connection) throws SQLException {
        List<String[]> rows = select(connection, "SELECT channel, name, stream_key FROM inputs", 3);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE inputs SET stream_key = ?, stream_key_digest = ? WHERE channel = ? AND name = ?")) {
            for (String[] row : rows) {
                String key =
                        SecretCipher.isSealed(row[2]) ? cipher.unseal(row[2], SecretColumn.INPUT_STREAM_KEY) : row[2];
                update.setString(1, cipher.seal(key, SecretColumn.INPUT_STREAM_KEY));
                update.setString(2, cipher.inputKeyDigest(key));
                update.setString(3, row[0]);
                update.setString(4, row[1]);
                update.executeUpdate();
            }
        }
    }

    private void encryptDestinations(Connection connection) throws SQLException {
        List<String[]> rows = select(connection, "SELECT channel, name, url, backup_url FROM destinations", 4);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE destinations SET url = ?, backup_url = ? WHERE channel = ? AND name = ?")) {
            for (String[] row : rows) {
                update.setString(1, sealIfPlain(row[2], SecretColumn.DESTINATION_URL));
                update.setString(2, sealIfPlain(row[3], SecretColumn.DESTINATION_BACKUP_URL));
                update.setString(3, row[0]);
                update.setString(4, row[1]);
                update.executeUpdate();
            }
        }
    }

    private void encryptWebhooks(Connection connection) throws SQLException {
        List<String[]> rows = select(connection, "SELECT channel, position, url, secret FROM webhooks", 4);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE webhooks SET url = ?, secret = ? WHERE channel = ? AND position = ?")) {
            for (String[] row : rows) {
                update.setString(1, sealIfPlain(row[2], SecretColumn.WEBHOOK_URL));
                update.setString(2, sealIfPlain(row[3], SecretColumn.WEBHOOK_SECRET));
                update.setString(3, row[0]);
                update.setInt(4, Integer.parseInt(row[1]));
                update.executeUpdate();
            }
        }
    }

    /** A null stays null (an optional column); an already encrypted value stays as it is. */
    private String sealIfPlain(String value, SecretColumn column) {
        return value == null || SecretCipher.isSealed(value) ? value : cipher.seal(value, column);
    }

    /** Reads every row first: SQLite does not like a table updated under an open cursor over it. */
    private static List<String[]> select(Connection connection, String sql, int columns) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                String[] row = new String[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = result.getString(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
