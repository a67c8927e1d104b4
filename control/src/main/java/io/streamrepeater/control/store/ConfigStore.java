package io.streamrepeater.control.store;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the configuration lives between restarts (issue 5, DESIGN §4): channels with their inputs (and
 * stream keys), failover policy, slate and destinations (with their URLs), plus the admin token's hash.
 * The stream keys, destination URLs and webhook secrets are encrypted at rest ({@link SecretCipher}); what
 * the store returns is in clear, for the server to use.
 * The server section (ports, data directory) is not stored: it comes from the YAML file and the command line.
 *
 * <p>Every change is one transaction: after a crash, even a {@code kill -9} in the middle of a write, the
 * store holds the configuration as it was before the change or as it is after it, never a mix. Values are
 * validated by the config records before they reach the store; the store adds what only it can see, such
 * as an input key already used by another channel.
 *
 * <p>Implementations are safe for use from several threads; calls are serialized.
 */
public interface ConfigStore extends AutoCloseable {

    /**
     * The PostgreSQL notification channel on which every change of a channel is announced, in the change's own
     * transaction (so it is heard at commit, and never for a change that was rolled back), with the channel's name as
     * payload, or {@link #ALL_CHANNELS} when a whole configuration replaced the channels. The nodes of a cluster
     * {@code LISTEN} on it ({@link ConfigChangeListener}). SQLite: nothing is sent.
     */
    String CHANGES_CHANNEL = "stream_repeater_config";

    /** The payload of a change that may have touched every channel (a whole configuration applied). */
    String ALL_CHANNELS = "*";

    /** File name of the embedded SQLite store inside the data directory. */
    String SQLITE_FILE_NAME = "config.db";

    /**
     * Opens a store, creating its schema or bringing it up to date (Flyway migrations). The secrets in it
     * (input keys, destination URLs, webhook URLs and secrets) are encrypted with the cipher's key; a store
     * written by an earlier version is encrypted now, and a store encrypted with another key is refused.
     *
     * @param jdbcUrl {@code jdbc:sqlite:PATH} (the file and its directory are created if missing) or
     *     {@code jdbc:postgresql://HOST:PORT/DATABASE?user=...}
     * @param secrets the key, normally the data directory's {@link SecretKeyFile}
     * @throws StoreException if the database cannot be reached or migrated, or holds secrets of another key
     * @throws IllegalArgumentException if the URL is of neither kind
     */
    static ConfigStore open(String jdbcUrl, SecretCipher secrets) {
        return JdbcConfigStore.open(jdbcUrl, secrets);
    }

    /**
     * Opens a store with the key file of a data directory ({@link SecretKeyFile}, created at the first start).
     *
     * @param jdbcUrl as for {@link #open(String, SecretCipher)}; the database may be elsewhere (PostgreSQL)
     * @param dataDirectory the server's data directory, where the key file lives
     */
    static ConfigStore open(String jdbcUrl, Path dataDirectory) {
        return open(jdbcUrl, SecretKeyFile.loadOrCreate(dataDirectory));
    }

    /**
     * Opens the embedded store of a data directory: the SQLite file {@value #SQLITE_FILE_NAME} inside it,
     * encrypted with the key file {@value SecretKeyFile#FILE_NAME} beside it.
     *
     * @param dataDirectory the server's data directory; created if missing
     */
    static ConfigStore openInDataDirectory(Path dataDirectory) {
        return open("jdbc:sqlite:" + dataDirectory.resolve(SQLITE_FILE_NAME).toAbsolutePath(), dataDirectory);
    }

    /**
     * @param server the server section to put beside the stored channels (its admin token is kept as
     *     given: the store knows only the token's hash)
     * @return the stored channels in their order, inputs in priority order
     */
    StreamRepeaterConfig load(ServerConfig server);

    /** @return the stored channels beside the default server section ({@link ServerConfig#defaults()}) */
    default StreamRepeaterConfig load() {
        return load(ServerConfig.defaults());
    }

    /** @return the stored channels in their order (empty if there are none) */
    List<ChannelConfig> channels();

    /** @return the stored channel of that name, if any */
    Optional<ChannelConfig> channel(String name);

    /**
     * Makes the stored channels exactly these (in this order), in one transaction: channels not in the
     * list are deleted. This is what applying a whole configuration file does.
     *
     * @throws IllegalArgumentException if two channels share a name or an input key; nothing is changed
     */
    void replaceChannels(List<ChannelConfig> channels);

    /**
     * Creates the channel or replaces the stored channel of the same name (inputs and destinations
     * included), in one transaction. A new channel goes after the existing ones; a replaced one keeps its place.
     *
     * @throws IllegalArgumentException if an input key is already used by another channel; nothing is changed
     */
    void upsertChannel(ChannelConfig channel);

    /**
     * Deletes the channel with its inputs and destinations, in one transaction.
     *
     * @return true if it existed
     */
    boolean deleteChannel(String name);

    /**
     * @return true if the store holds no channel and no setting (no admin token hash): a first start,
     *     as opposed to a store whose channels were all deleted by the operator
     */
    boolean isEmpty();

    /** @return the stored hash of the admin token, if one was set */
    Optional<AdminTokenHash> adminTokenHash();

    /** Stores the hash of the admin token, replacing any earlier one, in one transaction. */
    void setAdminTokenHash(AdminTokenHash hash);

    /**
     * @param candidate the token a client presented (may be null)
     * @return true if a token is set and the candidate is that token; compared in constant time
     */
    default boolean verifyAdminToken(String candidate) {
        return adminTokenHash().map(hash -> hash.matches(candidate)).orElse(false);
    }

    /** @return every API token (name, role, hash; never a token), by name */
    List<ApiToken> apiTokens();

    /**
     * Stores a new API token, in one transaction.
     *
     * @return false if a token of that name exists (nothing is written)
     */
    boolean addApiToken(ApiToken token);

    /**
     * Deletes an API token: it is refused from the next request on.
     *
     * @return true if it existed
     */
    boolean removeApiToken(String name);

    /** Keeps one state-changing API call in the audit, in a transaction of its own. */
    void audit(AuditEntry entry);

    /** @return the latest {@code limit} audit entries, oldest first */
    List<AuditEntry> auditLog(int limit);

    /**
     * Takes back what a first start wrote (its channels and the admin token hash), in one transaction, so that the
     * next start is a first start again and prints new keys and a new token: for a first start that failed before
     * the operator saw them (a busy port, say).
     */
    void undoFirstRun();

    /** Closes the database connection; the store cannot be used afterwards. */
    @Override
    void close();
}
