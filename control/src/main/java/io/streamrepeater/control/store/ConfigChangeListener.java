package io.streamrepeater.control.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears of every configuration change another server (or this one) commits to a shared PostgreSQL store: a daemon
 * thread {@code LISTEN}s on {@link ConfigStore#CHANGES_CHANNEL} over a connection of its own and hands each changed
 * channel's name to {@link Changes#changed}. Notifications are lost while nobody listens, and a change made while the
 * listening connection is down is never announced again, so {@link Changes#resync} is called at every (re)connection
 * and every {@code resyncPeriod} as a safety net (the periodic re-read also catches whatever a notification missed
 * for any other reason).
 *
 * <p>Supervision: a failed connection (the database restarted, the network cut) is closed and opened again after a
 * backoff that doubles from 250 ms up to 5 s; connecting and logging in are bounded to a few seconds; every wait is
 * bounded, so {@link #close()} ends the thread within about a second. The callbacks run on the listener's thread one
 * at a time, in commit order; one that throws is logged and followed by a full re-read one second later (the store may
 * have been down for the read).
 */
public final class ConfigChangeListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigChangeListener.class);

    /** The default period of the safety-net re-read. */
    public static final Duration RESYNC_PERIOD = Duration.ofSeconds(10);

    private static final int POLL_MS = 500;
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final long RETRY_AFTER_FAILED_CALLBACK_MS = 1_000;
    private static final int CONNECT_TIMEOUT_SECONDS = 3;

    /** What the listener tells its owner; both are called on the listener's thread. */
    public interface Changes {
        /** The stored channel of that name changed or was deleted: re-read it and apply what differs. */
        void changed(String channel);

        /**
         * Any channel may have changed (a whole configuration applied, or changes were made while nobody listened):
         * re-read them all and apply what differs.
         *
         * @param reason why, for the log: {@code listening}, {@code periodic}, {@code all-channels}, {@code retry}
         */
        void resync(String reason);
    }

    private final String jdbcUrl;
    private final Changes changes;
    private final long resyncPeriodNanos;
    private final Thread thread;
    private volatile boolean closed;
    /** Counted down by {@link #close()}: a pause between attempts ends at once. */
    private final CountDownLatch closing = new CountDownLatch(1);

    private volatile boolean listening;
    private volatile long connections;
    /** The next full re-read is a retry after a failed callback (listener thread only). */
    private boolean retryDue;

    private ConfigChangeListener(String jdbcUrl, Changes changes, Duration resyncPeriod, String threadName) {
        this.jdbcUrl = jdbcUrl;
        this.changes = changes;
        this.resyncPeriodNanos = resyncPeriod.toNanos();
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Starts listening (the first connection is made on the listener's thread: a store that does not answer yet does
     * not hold the caller back).
     *
     * @param jdbcUrl a {@code jdbc:postgresql:} URL, the store's
     * @param resyncPeriod how often everything is re-read anyway ({@link #RESYNC_PERIOD} in a server)
     * @param threadName the listener thread's name (e.g. with the node's name)
     * @throws IllegalArgumentException if the URL is not PostgreSQL's: SQLite has no other server to hear from
     */
    public static ConfigChangeListener start(
            String jdbcUrl, Changes changes, Duration resyncPeriod, String threadName) {
        if (StoreDatabase.of(jdbcUrl) != StoreDatabase.POSTGRESQL) {
            throw new IllegalArgumentException("configuration changes are announced only by a PostgreSQL store, not by "
                    + StoreDatabase.redact(jdbcUrl));
        }
        Objects.requireNonNull(changes, "changes");
        if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
            throw new IllegalArgumentException("resyncPeriod must be positive, not " + resyncPeriod);
        }
        ConfigChangeListener listener = new ConfigChangeListener(jdbcUrl, changes, resyncPeriod, threadName);
        listener.thread.start();
        return listener;
    }

    /** True while the listening connection is up (between a successful {@code LISTEN} and its failure). */
    public boolean listening() {
        return listening;
    }

    /** How many times the listening connection was established (1 after the first, 2 after one reconnect...). */
    public long connections() {
        return connections;
    }

    private void run() {
        long backoffMs = FIRST_BACKOFF_MS;
        while (!closed) {
            try (Connection connection = connect()) {
                backoffMs = FIRST_BACKOFF_MS;
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.warn(
                        "event=config-listen-failed url={} retryInMs={} error=\"{}\"",
                        StoreDatabase.redact(jdbcUrl),
                        backoffMs,
                        e.getMessage());
            } finally {
                listening = false;
            }
            if (!pause(backoffMs)) {
                break;
            }
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
        LOG.info("event=config-listener-stopped url={}", StoreDatabase.redact(jdbcUrl));
    }

    private Connection connect() throws SQLException {
        Properties properties = StoreDatabase.POSTGRESQL.connectionProperties();
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "stream-repeater config listener");
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** Listens until the connection fails (an exception) or the listener is closed (a return). */
    private void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + ConfigStore.CHANGES_CHANNEL);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        listening = true;
        connections++;
        LOG.info(
                "event=config-listening url={} channel={} connection={}",
                StoreDatabase.redact(jdbcUrl),
                ConfigStore.CHANGES_CHANNEL,
                connections);
        // whatever changed while nobody listened was announced to nobody
        long nextResync = call(() -> changes.resync("listening"));
        while (!closed) {
            PGNotification[] notifications = pg.getNotifications(POLL_MS);
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    if (closed) {
                        return;
                    }
                    String channel = n.getParameter();
                    long next = ConfigStore.ALL_CHANNELS.equals(channel)
                            ? call(() -> changes.resync("all-channels"))
                            : call(() -> changes.changed(channel));
                    nextResync = Math.min(nextResync, next);
                }
            }
            if (System.nanoTime() - nextResync >= 0 && !closed) {
                String reason = retryDue ? "retry" : "periodic";
                retryDue = false;
                nextResync = call(() -> changes.resync(reason));
            }
        }
    }

    /**
     * Runs a callback; a failure is logged and brings the next full re-read forward.
     *
     * @return when (nanoTime) the next full re-read is due
     */
    private long call(Runnable callback) {
        try {
            callback.run();
            return System.nanoTime() + resyncPeriodNanos;
        } catch (RuntimeException e) {
            retryDue = true;
            LOG.warn(
                    "event=config-follow-failed retryInMs={} error=\"{}\"",
                    RETRY_AFTER_FAILED_CALLBACK_MS,
                    e.getMessage());
            return System.nanoTime()
                    + Duration.ofMillis(RETRY_AFTER_FAILED_CALLBACK_MS).toNanos();
        }
    }

    /** @return false if the listener was closed meanwhile */
    private boolean pause(long ms) {
        try {
            return !closing.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops listening; waits at most 2 s for the thread (it checks every {@value #POLL_MS} ms). */
    @Override
    public void close() {
        closed = true;
        closing.countDown(); // ends a pause at once
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
