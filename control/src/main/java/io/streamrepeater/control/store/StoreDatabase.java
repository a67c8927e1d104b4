package io.streamrepeater.control.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** The databases a {@link JdbcConfigStore} runs on, and what each needs to keep a change atomic and durable. */
enum StoreDatabase {
    /**
     * Embedded, one file in the data directory. WAL journal with {@code synchronous=FULL}: a commit is on
     * disk when it returns and a {@code kill -9} or power loss leaves the last committed state.
     */
    SQLITE("jdbc:sqlite:") {
        @Override
        void prepare(String jdbcUrl) {
            String path = jdbcUrl.substring(urlPrefix().length());
            int options = path.indexOf('?');
            if (options >= 0) {
                path = path.substring(0, options);
            }
            if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file:")) {
                return;
            }
            try {
                Path parent = Path.of(path).toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(
                        "SQLite store path '" + path + "' is not a valid path: " + e.getReason(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the directory of the SQLite store " + path, e);
            }
        }

        @Override
        Properties connectionProperties() {
            return new Properties();
        }

        @Override
        void configure(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=FULL");
                statement.execute("PRAGMA foreign_keys=ON");
                // another process (a second server on the same data directory) waits instead of failing at once
                statement.execute("PRAGMA busy_timeout=5000");
            }
        }

        /** One process per file: nobody else to tell. */
        @Override
        void notifyChanged(Connection connection, String channel) {}

        /** Rebuilds the file without its free pages, then empties the WAL into it and truncates the WAL. */
        @Override
        void scrubAfterEncryption(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM");
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    },
    /** A PostgreSQL server chosen by the operator; its transactions give atomicity and durability. */
    POSTGRESQL("jdbc:postgresql:") {
        @Override
        void prepare(String jdbcUrl) {}

        @Override
        Properties connectionProperties() {
            Properties properties = new Properties();
            // The server's "Detail: Key (stream_key)=(...)" would put a secret into exception messages.
            properties.setProperty("logServerErrorDetail", "false");
            return properties;
        }

        @Override
        void configure(Connection connection) throws SQLException {
            // the three queries that read the channels see one snapshot
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }

        /** {@code pg_notify} is transactional: the listeners hear of the change when (and only if) it commits. */
        @Override
        void notifyChanged(Connection connection, String channel) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                statement.setString(1, ConfigStore.CHANGES_CHANNEL);
                statement.setString(2, channel);
                statement.execute();
            }
        }

        /** Rewrites the three tables so the dead row versions holding plaintext are gone (needs the table owner). */
        @Override
        void scrubAfterEncryption(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM FULL inputs, destinations, webhooks");
            }
        }
    };

    private final String urlPrefix;

    StoreDatabase(String urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    /**
     * @param jdbcUrl the URL given to {@link ConfigStore#open(String)}
     * @return the database it names
     * @throws IllegalArgumentException if the store does not run on it
     */
    static StoreDatabase of(String jdbcUrl) {
        for (StoreDatabase database : values()) {
            if (jdbcUrl != null && jdbcUrl.startsWith(database.urlPrefix)) {
                return database;
            }
        }
        throw new IllegalArgumentException("store URL '" + redact(jdbcUrl) + "' is neither jdbc:sqlite:PATH nor"
                + " jdbc:postgresql://HOST:PORT/DATABASE");
    }

    /** @return the URL without its parameters, which may hold a user and password */
    static String redact(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "null";
        }
        int options = jdbcUrl.indexOf('?');
        return options < 0 ? jdbcUrl : jdbcUrl.substring(0, options) + "?…";
    }

    String urlPrefix() {
        return urlPrefix;
    }

    /** Whatever must exist before the first connection (SQLite: the file's directory). */
    abstract void prepare(String jdbcUrl);

    /** Properties of every connection the store opens itself. */
    abstract Properties connectionProperties();

    /** Settings of a connection just opened, before its first transaction. */
    abstract void configure(Connection connection) throws SQLException;

    /**
     * Tells the other servers on the same database that a channel changed ({@link ConfigStore#CHANGES_CHANNEL}),
     * inside the transaction of the change.
     *
     * @param channel the channel's name, or {@link ConfigStore#ALL_CHANNELS} when any channel may have changed
     */
    abstract void notifyChanged(Connection connection, String channel) throws SQLException;

    /**
     * Removes what the database keeps of values overwritten by {@link EncryptSecretsMigration} (old pages,
     * dead rows), so plaintext written by an earlier version does not outlive the migration on disk.
     * Runs outside a transaction, on a connection in auto-commit mode.
     */
    abstract void scrubAfterEncryption(Connection connection) throws SQLException;
}
