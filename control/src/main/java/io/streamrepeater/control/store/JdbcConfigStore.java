package io.streamrepeater.control.store;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConfigStore} over JDBC, on SQLite or PostgreSQL with the same schema (Flyway migrations in
 * {@value #MIGRATIONS}). One connection, used by one call at a time: configuration changes are rare, and
 * SQLite writes one transaction at a time anyway. A connection that went bad (PostgreSQL restarted) is
 * replaced before the next call.
 */
public final class JdbcConfigStore implements ConfigStore {
    /** Where the migrations are, the same for every database. */
    static final String MIGRATIONS = "classpath:db/migration/store";

    static final String ADMIN_TOKEN_HASH_SETTING = "admin_token_hash";
    /** The fingerprint of the key the secrets are encrypted with ({@link SecretCipher#fingerprint()}). */
    static final String KEY_FINGERPRINT_SETTING = "secret_key_fingerprint";

    private static final int VALIDATION_TIMEOUT_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcConfigStore.class);

    private final String jdbcUrl;
    private final StoreDatabase database;
    private final SecretCipher cipher;
    private Connection connection;
    private boolean closed;

    private JdbcConfigStore(String jdbcUrl, StoreDatabase database, Connection connection, SecretCipher cipher) {
        this.jdbcUrl = jdbcUrl;
        this.database = database;
        this.cipher = cipher;
        this.connection = connection;
    }

    /**
     * Opens the store, migrates its schema and checks that the key is the one its secrets were encrypted with;
     * see {@link ConfigStore#open(String, SecretCipher)}.
     *
     * @throws StoreException if the database cannot be reached or migrated, or the key is not the store's
     * @throws IllegalArgumentException if the URL names neither SQLite nor PostgreSQL
     */
    public static JdbcConfigStore open(String jdbcUrl, SecretCipher cipher) {
        Objects.requireNonNull(cipher, "cipher");
        StoreDatabase database = StoreDatabase.of(jdbcUrl);
        database.prepare(jdbcUrl);
        JdbcConfigStore store = new JdbcConfigStore(jdbcUrl, database, null, cipher);
        // Our own connection first: it fails fast on a file that is not a database (Flyway takes seconds to
        // give up) and puts SQLite into WAL mode before the first write.
        store.connection = store.connect("open the store");
        try {
            EncryptSecretsMigration encryption = new EncryptSecretsMigration(database, cipher);
            boolean existed = migrate(jdbcUrl, database, encryption);
            store.checkKey();
            if (existed && encryption.ran()) {
                store.scrubPlaintext();
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info(
                "event=store-opened database={} url={} keyFile={}",
                database.name().toLowerCase(Locale.ROOT),
                StoreDatabase.redact(jdbcUrl),
                cipher.source());
        return store;
    }

    /** @return true if the store had a schema before (false: created now) */
    private static boolean migrate(String jdbcUrl, StoreDatabase database, EncryptSecretsMigration encryption) {
        try {
            MigrateResult result = Flyway.configure(JdbcConfigStore.class.getClassLoader())
                    .dataSource(jdbcUrl, null, null)
                    .jdbcProperties(asMap(database.connectionProperties()))
                    .locations(MIGRATIONS)
                    .javaMigrations(encryption)
                    .load()
                    .migrate();
            return result.initialSchemaVersion != null;
        } catch (FlywayException e) {
            throw new StoreException(
                    "store " + StoreDatabase.redact(jdbcUrl) + ": cannot create or update the schema: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Records the key's fingerprint in a store that has none (new, or just migrated); refuses a store whose
     * fingerprint is another key's, before anything is read or written with the wrong key.
     */
    private void checkKey() {
        inTransaction("check the key file", connection -> {
            Optional<String> stored = SettingsTable.read(connection, KEY_FINGERPRINT_SETTING);
            if (stored.isEmpty()) {
                SettingsTable.write(connection, KEY_FINGERPRINT_SETTING, cipher.fingerprint());
            } else if (!stored.get().equals(cipher.fingerprint())) {
                throw new StoreException(where() + " was encrypted with another key than the one in " + cipher.source()
                        + ": restore the key file that was backed up with this database (without it the stored"
                        + " stream keys and destination URLs cannot be read)");
            }
            return null;
        });
    }

    /** After the plaintext of an earlier version was encrypted: make sure no copy of it stays on disk. */
    private void scrubPlaintext() {
        Connection current = usableConnection("scrub the replaced plaintext");
        try {
            database.scrubAfterEncryption(current);
            LOG.info("event=store-secrets-encrypted url={}", StoreDatabase.redact(jdbcUrl));
        } catch (SQLException e) {
            LOG.warn(
                    "event=store-scrub-failed url={} error=\"{}\" hint=\"the secrets are encrypted, but old plaintext"
                            + " copies may remain on disk until the database is vacuumed\"",
                    StoreDatabase.redact(jdbcUrl),
                    e.getMessage());
        }
    }

    private static Map<String, String> asMap(Properties properties) {
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    @Override
    public StreamRepeaterConfig load(ServerConfig server) {
        Objects.requireNonNull(server, "server");
        List<ChannelConfig> channels = channels();
        try {
            return new StreamRepeaterConfig(server, channels);
        } catch (IllegalArgumentException e) {
            // the schema keeps names and keys unique; this means the tables were edited by hand
            throw new StoreException(
                    where() + ": the stored channels are not a valid configuration: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<ChannelConfig> channels() {
        return inTransaction("read the channels", connection -> ChannelTables.readAll(connection, cipher));
    }

    @Override
    public synchronized Optional<ChannelConfig> channel(String name) {
        return inTransaction(
                "read channel '" + name + "'", connection -> ChannelTables.readOne(connection, cipher, name));
    }

    @Override
    public synchronized void replaceChannels(List<ChannelConfig> channels) {
        // the same rules as a configuration file: names and input keys unique across channels
        List<ChannelConfig> valid = new StreamRepeaterConfig(ServerConfig.defaults(), channels).channels();
        inTransaction("replace the channels", connection -> {
            ChannelTables.deleteAll(connection);
            int position = 0;
            for (ChannelConfig channel : valid) {
                ChannelTables.write(connection, cipher, channel, position++);
            }
            database.notifyChanged(connection, ALL_CHANNELS);
            return null;
        });
    }

    @Override
    public synchronized void upsertChannel(ChannelConfig channel) {
        Objects.requireNonNull(channel, "channel");
        try {
            inTransaction("save channel '" + channel.name() + "'", connection -> {
                ChannelTables.write(connection, cipher, channel, ChannelTables.nextPosition(connection));
                database.notifyChanged(connection, channel.name());
                return null;
            });
        } catch (StoreException e) {
            // The unique constraint on input keys refused the write, which was rolled back; name the culprit.
            Optional<String> conflict;
            try {
                conflict = inTransaction(
                        "check the input keys of channel '" + channel.name() + "'",
                        connection -> ChannelTables.inputKeyConflict(connection, cipher, channel));
            } catch (StoreException unreachable) {
                // the database itself failed (stopped, cut off): the save's own error says so best
                e.addSuppressed(unreachable);
                throw e;
            }
            if (conflict.isPresent()) {
                throw new IllegalArgumentException(conflict.get(), e);
            }
            throw e;
        }
    }

    @Override
    public synchronized boolean deleteChannel(String name) {
        Objects.requireNonNull(name, "name");
        return inTransaction("delete channel '" + name + "'", connection -> {
            boolean existed = ChannelTables.delete(connection, name);
            if (existed) {
                database.notifyChanged(connection, name);
            }
            return existed;
        });
    }

    @Override
    public synchronized boolean isEmpty() {
        return inTransaction(
                "check whether the store is empty",
                connection -> ChannelTables.count(connection) == 0
                        && SettingsTable.countExcept(connection, KEY_FINGERPRINT_SETTING) == 0);
    }

    @Override
    public synchronized Optional<AdminTokenHash> adminTokenHash() {
        Optional<String> encoded = inTransaction(
                "read the admin token hash", connection -> SettingsTable.read(connection, ADMIN_TOKEN_HASH_SETTING));
        try {
            return encoded.map(AdminTokenHash::parse);
        } catch (IllegalArgumentException e) {
            throw new StoreException(
                    where() + ": setting " + ADMIN_TOKEN_HASH_SETTING + " is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void setAdminTokenHash(AdminTokenHash hash) {
        Objects.requireNonNull(hash, "hash");
        inTransaction("save the admin token hash", connection -> {
            SettingsTable.write(connection, ADMIN_TOKEN_HASH_SETTING, hash.encoded());
            return null;
        });
    }

    @Override
    public synchronized List<ApiToken> apiTokens() {
        return inTransaction("read the API tokens", ApiTokenTable::readAll);
    }

    @Override
    public synchronized boolean addApiToken(ApiToken token) {
        Objects.requireNonNull(token, "token");
        return inTransaction(
                "save the API token " + token.name(), connection -> ApiTokenTable.insert(connection, token));
    }

    @Override
    public synchronized boolean removeApiToken(String name) {
        return inTransaction("remove the API token " + name, connection -> ApiTokenTable.delete(connection, name));
    }

    @Override
    public synchronized void audit(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        inTransaction("keep an audit entry", connection -> {
            AuditTable.insert(connection, entry);
            return null;
        });
    }

    @Override
    public synchronized List<AuditEntry> auditLog(int limit) {
        return inTransaction("read the audit", connection -> AuditTable.latest(connection, limit));
    }

    @Override
    public synchronized void undoFirstRun() {
        inTransaction("undo the first start", connection -> {
            ChannelTables.deleteAll(connection);
            SettingsTable.delete(connection, ADMIN_TOKEN_HASH_SETTING);
            database.notifyChanged(connection, ALL_CHANNELS);
            return null;
        });
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("event=store-close-failed url={} error={}", StoreDatabase.redact(jdbcUrl), e.toString());
            }
            connection = null;
        }
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    private <T> T inTransaction(String what, SqlWork<T> work) {
        if (closed) {
            throw new IllegalStateException(where() + " is closed; cannot " + what);
        }
        Connection current = usableConnection(what);
        try {
            current.setAutoCommit(false);
            T result = work.run(current);
            current.commit();
            return result;
        } catch (SQLException e) {
            rollback(current, what);
            throw new StoreException(where() + ": cannot " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            rollback(current, what);
            throw e;
        } finally {
            try {
                current.setAutoCommit(true);
            } catch (SQLException e) {
                // a broken connection; usableConnection() replaces it before the next call
            }
        }
    }

    private void rollback(Connection current, String what) {
        try {
            current.rollback();
        } catch (SQLException e) {
            // The transaction dies with the connection; say so, the caller's exception says why.
            LOG.warn(
                    "event=store-rollback-failed url={} what=\"{}\" error={}",
                    StoreDatabase.redact(jdbcUrl),
                    what,
                    e.toString());
        }
    }

    private Connection usableConnection(String what) {
        try {
            if (connection != null && !connection.isClosed() && connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                return connection;
            }
        } catch (SQLException e) {
            // fall through to a new connection
        }
        if (connection != null) {
            LOG.warn("event=store-reconnect url={}", StoreDatabase.redact(jdbcUrl));
            try {
                connection.close();
            } catch (SQLException e) {
                // it is being replaced
            }
        }
        connection = connect(what);
        return connection;
    }

    private Connection connect(String what) {
        try {
            Connection opened = DriverManager.getConnection(jdbcUrl, database.connectionProperties());
            try {
                database.configure(opened);
            } catch (SQLException e) {
                opened.close();
                throw e;
            }
            return opened;
        } catch (SQLException e) {
            throw new StoreException(
                    where() + ": cannot connect to the database to " + what + ": " + e.getMessage(), e);
        }
    }

    private String where() {
        return "store " + StoreDatabase.redact(jdbcUrl);
    }

    @Override
    public String toString() {
        return "JdbcConfigStore[" + StoreDatabase.redact(jdbcUrl) + "]";
    }

    /** One step of work inside a transaction. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
