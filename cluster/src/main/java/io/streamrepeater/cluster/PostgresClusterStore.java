package io.streamrepeater.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ClusterStore} on PostgreSQL over JDBC. Its tables live in the schema {@value #SCHEMA}, created and
 * migrated by Flyway with its own history table ({@value #HISTORY_TABLE}), so they never mix with the
 * configuration store's tables or migrations (the configuration store's Flyway still sees its own schema empty on
 * a new database, whichever of the two opens first). The database user needs the right to create a schema.
 *
 * <p>Connections: a tiny pool of at most {@value #MAX_CONNECTIONS}, opened on demand, because the lease keeper and
 * the node registry call from their own threads and one slow statement must not hold the other back. A connection
 * is discarded after any error and a new one opened by the next call, so a restarted or unreachable server costs
 * one failed call, not a stuck store.
 *
 * <p>Time bounds: every statement runs with the server's {@code statement_timeout} and the driver's network timeout
 * set to the statement timeout given to {@link #open}; connecting and logging in are bounded by the same time
 * (rounded up to whole seconds: the driver counts those in seconds); waiting for a free connection is bounded too.
 * So a call on an open connection blocks at most about twice the statement timeout, and one that must open a new
 * connection (the first, or after an error) up to the connect and login bound on top. Choose the statement timeout
 * well under the lease (the caller's {@code leaseMs / 4} is a good value): a renewal that cannot finish in time
 * must fail, not hang. None of this is what keeps writes safe, which is {@link LeaseFence}'s job on the node's own
 * clock; the bounds only keep the loops moving.
 *
 * <p>Statements run in auto-commit at READ COMMITTED: the acquire is one {@code INSERT … ON CONFLICT … DO UPDATE
 * … WHERE … RETURNING}, atomic by itself; under a stricter isolation a concurrent acquire would fail instead of
 * losing cleanly.
 */
public final class PostgresClusterStore implements ClusterStore {
    /** The schema that holds the cluster tables and their migration history. */
    static final String SCHEMA = "cluster";

    static final String MIGRATIONS = "classpath:db/migration/cluster";
    static final String HISTORY_TABLE = "cluster_schema_history";
    static final int MAX_CONNECTIONS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresClusterStore.class);

    /** Milliseconds left before {@code expires_at} by the database's clock, never negative. */
    private static final String REMAINING_MS =
            "GREATEST(0, FLOOR(EXTRACT(EPOCH FROM (expires_at - now())) * 1000))::bigint";

    /**
     * The expiry a released tenure gets: long past, and distinct from a tenure that merely expired, which its owner
     * may still renew while nobody has taken it (after a store outage the owner kept streaming through, see
     * {@link PeerFailsafe}); a released one is never renewed.
     */
    private static final String RELEASED = "'epoch'::timestamptz";

    private static final String ACQUIRE = "INSERT INTO cluster.channel_leases AS lease (channel, owner, epoch,"
            + " expires_at) VALUES (?, ?, 1, now() + ? * interval '1 millisecond')"
            + " ON CONFLICT (channel) DO UPDATE SET owner = excluded.owner,"
            // a new tenure (another owner, or our own after it expired) gets epoch + 1; our live one keeps its own
            + " epoch = CASE WHEN lease.owner = excluded.owner AND lease.expires_at > now() THEN lease.epoch"
            + " ELSE lease.epoch + 1 END,"
            + " expires_at = excluded.expires_at"
            + " WHERE lease.owner = excluded.owner OR lease.expires_at <= now()"
            + " RETURNING channel, owner, epoch, " + REMAINING_MS;

    private static final String RENEW = "UPDATE cluster.channel_leases SET expires_at = now() + ? * interval"
            + " '1 millisecond' WHERE channel = ? AND owner = ? AND epoch = ? AND expires_at > " + RELEASED
            + " RETURNING channel, owner, epoch, " + REMAINING_MS;

    private static final String RELEASE = "UPDATE cluster.channel_leases SET expires_at = " + RELEASED
            + " WHERE channel = ? AND owner = ? AND epoch = ? AND expires_at > " + RELEASED;

    private static final String LEASES =
            "SELECT channel, owner, epoch, " + REMAINING_MS + " FROM cluster.channel_leases ORDER BY channel";

    private static final String HEARTBEAT = "INSERT INTO cluster.cluster_nodes (name, address, cluster_port,"
            + " rtmp_port, version, draining, heartbeat_at) VALUES (?, ?, ?, ?, ?, false, now())"
            + " ON CONFLICT (name) DO UPDATE SET address = excluded.address, cluster_port = excluded.cluster_port,"
            + " rtmp_port = excluded.rtmp_port, version = excluded.version, heartbeat_at = excluded.heartbeat_at";

    private static final String SET_DRAINING = "UPDATE cluster.cluster_nodes SET draining = ? WHERE name = ?";

    private static final String NODES = "SELECT name, address, cluster_port, rtmp_port, version, draining,"
            + " GREATEST(0, FLOOR(EXTRACT(EPOCH FROM (now() - heartbeat_at)) * 1000))::bigint"
            + " FROM cluster.cluster_nodes ORDER BY name";

    private final String jdbcUrl;
    private final long timeoutMs;
    private final Semaphore permits = new Semaphore(MAX_CONNECTIONS);
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private PostgresClusterStore(String jdbcUrl, long timeoutMs) {
        this.jdbcUrl = jdbcUrl;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Opens the store and creates or updates its schema.
     *
     * @param jdbcUrl {@code jdbc:postgresql://HOST:PORT/DATABASE?…}
     * @param statementTimeout the bound of every statement; well under the lease (see the class comment)
     * @throws IllegalArgumentException if the URL is not PostgreSQL's or the timeout is not positive
     * @throws ClusterStoreException if the database cannot be reached or migrated
     */
    public static PostgresClusterStore open(String jdbcUrl, Duration statementTimeout) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "cluster mode needs a PostgreSQL store (jdbc:postgresql://…), not '" + redact(jdbcUrl) + "'");
        }
        if (statementTimeout.isNegative() || statementTimeout.isZero()) {
            throw new IllegalArgumentException("statement timeout must be positive, not " + statementTimeout);
        }
        PostgresClusterStore store = new PostgresClusterStore(jdbcUrl, statementTimeout.toMillis());
        store.migrate();
        LOG.info("event=cluster-store-opened url={} statementTimeoutMs={}", redact(jdbcUrl), store.timeoutMs);
        return store;
    }

    private void migrate() {
        try {
            Flyway.configure(PostgresClusterStore.class.getClassLoader())
                    .dataSource(jdbcUrl, null, null)
                    .jdbcProperties(asMap(connectionProperties()))
                    .schemas(SCHEMA)
                    .table(HISTORY_TABLE)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new ClusterStoreException(
                    where() + ": cannot create or update the cluster schema: " + e.getMessage(), e);
        }
    }

    @Override
    public void heartbeat(ClusterNode node) {
        Objects.requireNonNull(node, "node");
        call("heartbeat of node " + node.name(), connection -> {
            try (PreparedStatement statement = prepare(connection, HEARTBEAT)) {
                statement.setString(1, node.name());
                statement.setString(2, node.address());
                statement.setInt(3, node.clusterPort());
                statement.setInt(4, node.rtmpPort());
                statement.setString(5, node.version());
                statement.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public boolean setDraining(String node, boolean draining) {
        return call("set draining=" + draining + " on node " + node, connection -> {
            try (PreparedStatement statement = prepare(connection, SET_DRAINING)) {
                statement.setBoolean(1, draining);
                statement.setString(2, node);
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<NodeHeartbeat> nodes() {
        return call("read the nodes", connection -> {
            try (PreparedStatement statement = prepare(connection, NODES);
                    ResultSet rows = statement.executeQuery()) {
                List<NodeHeartbeat> nodes = new ArrayList<>();
                while (rows.next()) {
                    ClusterNode node = new ClusterNode(
                            rows.getString(1), rows.getString(2), rows.getInt(3), rows.getInt(4), rows.getString(5));
                    nodes.add(new NodeHeartbeat(node, rows.getBoolean(6), rows.getLong(7)));
                }
                return List.copyOf(nodes);
            }
        });
    }

    @Override
    public Optional<Lease> acquire(String channel, String node, long leaseMs) {
        requireLease(channel, node, leaseMs);
        return call("acquire the lease of channel " + channel + " for node " + node, connection -> {
            try (PreparedStatement statement = prepare(connection, ACQUIRE)) {
                statement.setString(1, channel);
                statement.setString(2, node);
                statement.setLong(3, leaseMs);
                return singleLease(statement);
            }
        });
    }

    @Override
    public Optional<Lease> renew(String channel, String node, long epoch, long leaseMs) {
        requireLease(channel, node, leaseMs);
        return call("renew the lease of channel " + channel + " for node " + node, connection -> {
            try (PreparedStatement statement = prepare(connection, RENEW)) {
                statement.setLong(1, leaseMs);
                statement.setString(2, channel);
                statement.setString(3, node);
                statement.setLong(4, epoch);
                return singleLease(statement);
            }
        });
    }

    @Override
    public boolean release(String channel, String node, long epoch) {
        return call("release the lease of channel " + channel + " by node " + node, connection -> {
            try (PreparedStatement statement = prepare(connection, RELEASE)) {
                statement.setString(1, channel);
                statement.setString(2, node);
                statement.setLong(3, epoch);
                return statement.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Lease> leases() {
        return call("read the leases", connection -> {
            try (PreparedStatement statement = prepare(connection, LEASES);
                    ResultSet rows = statement.executeQuery()) {
                List<Lease> leases = new ArrayList<>();
                while (rows.next()) {
                    leases.add(lease(rows));
                }
                return List.copyOf(leases);
            }
        });
    }

    /** Closes the idle connections; a call in progress closes its own when it ends. No lease is released. */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private static void requireLease(String channel, String node, long leaseMs) {
        Objects.requireNonNull(channel, "channel");
        ClusterNode.requireName(node);
        if (leaseMs <= 0) {
            throw new IllegalArgumentException("leaseMs must be positive, not " + leaseMs);
        }
    }

    private static Optional<Lease> singleLease(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(lease(rows)) : Optional.empty();
        }
    }

    private static Lease lease(ResultSet rows) throws SQLException {
        return new Lease(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4));
    }

    /**
     * The statement's time bound is the connection's: the server's {@code statement_timeout} in milliseconds (the
     * driver's {@code setQueryTimeout} counts whole seconds, too coarse for a one-second lease) and the network
     * timeout for a server that stops answering.
     */
    private static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs one call on a pooled connection; the connection is discarded after any error. */
    private <T> T call(String what, SqlCall<T> call) {
        if (closed) {
            throw new IllegalStateException(where() + " is closed: cannot " + what);
        }
        try {
            if (!permits.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new ClusterStoreException(
                        where() + ": cannot " + what + ": no connection free within " + timeoutMs + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterStoreException(where() + ": interrupted before " + what, e);
        }
        Connection connection = null;
        try {
            connection = idle.pollFirst();
            if (connection == null) {
                connection = connect();
            }
            T result = call.run(connection);
            idle.offerFirst(connection);
            connection = null;
            if (closed) {
                closeIdle();
            }
            return result;
        } catch (SQLException e) {
            throw new ClusterStoreException(
                    where() + ": cannot " + what + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        } finally {
            if (connection != null) {
                closeQuietly(connection);
            }
            permits.release();
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, connectionProperties());
        try {
            connection.setAutoCommit(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            // a read that waits longer than this fails the call and the driver closes the connection
            connection.setNetworkTimeout(Runnable::run, Math.toIntExact(timeoutMs));
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = " + timeoutMs);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private Properties connectionProperties() {
        Properties properties = new Properties();
        String seconds = Integer.toString(timeoutSeconds());
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("ApplicationName", "streamrepeater-cluster");
        // as in the configuration store: no row values in exception messages, which end up in logs
        properties.setProperty("logServerErrorDetail", "false");
        return properties;
    }

    private static Map<String, String> asMap(Properties properties) {
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, (timeoutMs + 999) / 1000);
    }

    private void closeIdle() {
        for (Connection connection; (connection = idle.pollFirst()) != null; ) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("event=cluster-store-close-failed error={}", e.toString());
        }
    }

    private String where() {
        return "cluster store " + redact(jdbcUrl);
    }

    /** @return the URL without its parameters, which may hold a user and password */
    static String redact(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "null";
        }
        int options = jdbcUrl.indexOf('?');
        return options < 0 ? jdbcUrl : jdbcUrl.substring(0, options) + "?…";
    }
}
