package io.streamrepeater.control.store;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.RelayConfig;
import io.streamrepeater.control.config.WebhookConfig;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import io.streamrepeater.status.platform.Platform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The SQL of the tables {@code channels}, {@code inputs}, {@code destinations} (migration V1) and
 * {@code webhooks} (V3): channel
 * records in, channel records out. Runs inside the caller's transaction and neither commits nor rolls back.
 * The values of the {@link SecretColumn}s are encrypted on the way in and decrypted on the way out
 * ({@link SecretCipher}); input keys are compared on their digest ({@link EncryptSecretsMigration}).
 * Enumerations are stored in their YAML spelling ({@code next-keyframe}), so the tables read like the file.
 */
final class ChannelTables {

    private ChannelTables() {}

    /** @return every channel in its stored order */
    static List<ChannelConfig> readAll(Connection connection, SecretCipher cipher) throws SQLException {
        return read(connection, cipher, null);
    }

    /** @return the channel of that name, if stored */
    static Optional<ChannelConfig> readOne(Connection connection, SecretCipher cipher, String name)
            throws SQLException {
        return read(connection, cipher, name).stream().findFirst();
    }

    private static List<ChannelConfig> read(Connection connection, SecretCipher cipher, String onlyChannel)
            throws SQLException {
        String where = onlyChannel == null ? "" : " WHERE channel = ?";
        Map<String, List<InputConfig>> inputs = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT channel, name, stream_key, allow_takeover, srt_passphrase FROM inputs" + where
                        + " ORDER BY channel, priority")) {
            bindOptional(select, onlyChannel);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String channel = rows.getString("channel");
                    inputs.computeIfAbsent(channel, c -> new ArrayList<>())
                            .add(stored(
                                    channel,
                                    () -> new InputConfig(
                                            rows.getString("name"),
                                            cipher.unseal(rows.getString("stream_key"), SecretColumn.INPUT_STREAM_KEY),
                                            rows.getBoolean("allow_takeover"),
                                            cipher.unsealNullable(
                                                    rows.getString("srt_passphrase"),
                                                    SecretColumn.INPUT_SRT_PASSPHRASE))));
                }
            }
        }
        Map<String, List<DestinationConfig>> destinations = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT channel, name, url, enabled, backup_url,"
                + " mode, platform FROM destinations" + where + " ORDER BY channel, position")) {
            bindOptional(select, onlyChannel);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String channel = rows.getString("channel");
                    String mode = rows.getString("mode");
                    String platform = rows.getString("platform");
                    destinations
                            .computeIfAbsent(channel, c -> new ArrayList<>())
                            .add(stored(
                                    channel,
                                    () -> new DestinationConfig(
                                            rows.getString("name"),
                                            cipher.unseal(rows.getString("url"), SecretColumn.DESTINATION_URL),
                                            rows.getBoolean("enabled"),
                                            cipher.unsealNullable(
                                                    rows.getString("backup_url"), SecretColumn.DESTINATION_BACKUP_URL),
                                            mode == null
                                                    ? null
                                                    : enumOf(DestinationMode.values(), DestinationMode::yamlName, mode),
                                            platform == null
                                                    ? null
                                                    : enumOf(Platform.values(), Platform::yamlName, platform))));
                }
            }
        }
        Map<String, List<WebhookConfig>> webhooks = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT channel, url, secret FROM webhooks" + where + " ORDER BY channel, position")) {
            bindOptional(select, onlyChannel);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String channel = rows.getString("channel");
                    webhooks.computeIfAbsent(channel, c -> new ArrayList<>())
                            .add(stored(
                                    channel,
                                    () -> new WebhookConfig(
                                            cipher.unseal(rows.getString("url"), SecretColumn.WEBHOOK_URL),
                                            cipher.unseal(rows.getString("secret"), SecretColumn.WEBHOOK_SECRET))));
                }
            }
        }
        Map<String, ChannelConfig> channels = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT name, input_loss_ms, failback, clear_ms,"
                + " start_mode, timeline, slate, retry_max_ms, stall_timeout_ms, low_bitrate_below_kbps,"
                + " low_bitrate_for_ms FROM channels" + (onlyChannel == null ? "" : " WHERE name = ?")
                + " ORDER BY position, name")) {
            bindOptional(select, onlyChannel);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString("name");
                    channels.put(
                            name,
                            stored(
                                    name,
                                    () -> new ChannelConfig(
                                            name,
                                            inputs.getOrDefault(name, List.of()),
                                            new FailoverConfig(
                                                    rows.getInt("input_loss_ms"),
                                                    enumOf(
                                                            Failback.values(),
                                                            Failback::yamlName,
                                                            rows.getString("failback")),
                                                    rows.getInt("clear_ms"),
                                                    enumOf(
                                                            StartMode.values(),
                                                            StartMode::yamlName,
                                                            rows.getString("start_mode")),
                                                    enumOf(
                                                            Timeline.values(),
                                                            Timeline::yamlName,
                                                            rows.getString("timeline")),
                                                    lowBitrate(rows)),
                                            rows.getString("slate"),
                                            destinations.getOrDefault(name, List.of()),
                                            relay(rows),
                                            webhooks.getOrDefault(name, List.of()))));
                }
            }
        }
        return List.copyOf(channels.values());
    }

    /** The low-bitrate trigger of a channel row; null columns (off, or written before it existed): none. */
    private static FailoverConfig.LowBitrate lowBitrate(ResultSet rows) throws SQLException {
        int below = rows.getInt("low_bitrate_below_kbps");
        if (rows.wasNull()) {
            return null;
        }
        int forMs = rows.getInt("low_bitrate_for_ms");
        return rows.wasNull() ? null : new FailoverConfig.LowBitrate(below, forMs);
    }

    /** The relay section of a channel row; a null column (written before it existed) takes the default. */
    private static RelayConfig relay(ResultSet rows) throws SQLException {
        RelayConfig defaults = RelayConfig.defaults();
        int retry = rows.getInt("retry_max_ms");
        boolean retryNull = rows.wasNull();
        int stall = rows.getInt("stall_timeout_ms");
        boolean stallNull = rows.wasNull();
        return new RelayConfig(
                retryNull ? defaults.retryMaxMs() : retry, stallNull ? defaults.stallTimeoutMs() : stall);
    }

    /**
     * Writes the channel with its inputs and destinations, replacing whatever was stored under its name.
     *
     * @param position where a new channel goes in the order; a stored channel keeps its own
     */
    static void write(Connection connection, SecretCipher cipher, ChannelConfig channel, int position)
            throws SQLException {
        FailoverConfig failover = channel.failover();
        boolean updated;
        try (PreparedStatement update = connection.prepareStatement("UPDATE channels SET input_loss_ms = ?,"
                + " failback = ?, clear_ms = ?, start_mode = ?, timeline = ?, slate = ?, retry_max_ms = ?,"
                + " stall_timeout_ms = ?, low_bitrate_below_kbps = ?, low_bitrate_for_ms = ? WHERE name = ?")) {
            bindChannelColumns(update, channel, failover, 1);
            update.setString(11, channel.name());
            updated = update.executeUpdate() == 1;
        }
        if (updated) {
            deleteChildren(connection, channel.name());
        } else {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO channels (input_loss_ms, failback,"
                    + " clear_ms, start_mode, timeline, slate, retry_max_ms, stall_timeout_ms, low_bitrate_below_kbps,"
                    + " low_bitrate_for_ms, name, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindChannelColumns(insert, channel, failover, 1);
                insert.setString(11, channel.name());
                insert.setInt(12, position);
                insert.executeUpdate();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inputs (channel, name, priority,"
                + " stream_key, stream_key_digest, allow_takeover, srt_passphrase) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int priority = 0;
            for (InputConfig input : channel.inputs()) {
                insert.setString(1, channel.name());
                insert.setString(2, input.name());
                insert.setInt(3, priority++);
                insert.setString(4, cipher.seal(input.key(), SecretColumn.INPUT_STREAM_KEY));
                insert.setString(5, cipher.inputKeyDigest(input.key()));
                insert.setBoolean(6, input.allowTakeover());
                setNullableString(
                        insert, 7, cipher.sealNullable(input.srtPassphrase(), SecretColumn.INPUT_SRT_PASSPHRASE));
                insert.executeUpdate();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO destinations (channel, name, position,"
                + " url, enabled, backup_url, mode, platform) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int destinationPosition = 0;
            for (DestinationConfig destination : channel.destinations()) {
                insert.setString(1, channel.name());
                insert.setString(2, destination.name());
                insert.setInt(3, destinationPosition++);
                insert.setString(4, cipher.seal(destination.url(), SecretColumn.DESTINATION_URL));
                insert.setBoolean(5, destination.enabled());
                setNullableString(
                        insert, 6, cipher.sealNullable(destination.backupUrl(), SecretColumn.DESTINATION_BACKUP_URL));
                setNullableString(
                        insert,
                        7,
                        destination.mode() == null ? null : destination.mode().yamlName());
                setNullableString(
                        insert,
                        8,
                        destination.platform() == null
                                ? null
                                : destination.platform().yamlName());
                insert.executeUpdate();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO webhooks (channel, position, url, secret) VALUES (?, ?, ?, ?)")) {
            int webhookPosition = 0;
            for (WebhookConfig webhook : channel.webhooks()) {
                insert.setString(1, channel.name());
                insert.setInt(2, webhookPosition++);
                insert.setString(3, cipher.seal(webhook.url(), SecretColumn.WEBHOOK_URL));
                insert.setString(4, cipher.seal(webhook.secret(), SecretColumn.WEBHOOK_SECRET));
                insert.executeUpdate();
            }
        }
    }

    /** @return the position after the last stored channel (0 when there is none) */
    static int nextPosition(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT MAX(position) FROM channels");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            int last = rows.getInt(1);
            return rows.wasNull() ? 0 : last + 1;
        }
    }

    /** @return true if the channel was stored */
    static boolean delete(Connection connection, String name) throws SQLException {
        deleteChildren(connection, name);
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM channels WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0;
        }
    }

    /** Deletes every channel, input, destination and webhook. */
    static void deleteAll(Connection connection) throws SQLException {
        for (String table : List.of("webhooks", "destinations", "inputs", "channels")) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table)) {
                delete.executeUpdate();
            }
        }
    }

    /** @return the number of stored channels */
    static int count(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM channels");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * @param channel a channel about to be written
     * @return "channel/input" of another channel's input that already has one of its input keys, if any
     */
    static Optional<String> inputKeyConflict(Connection connection, SecretCipher cipher, ChannelConfig channel)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT channel, name FROM inputs WHERE stream_key_digest = ? AND channel <> ?")) {
            for (InputConfig input : channel.inputs()) {
                select.setString(1, cipher.inputKeyDigest(input.key()));
                select.setString(2, channel.name());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return Optional.of(
                                "input " + channel.name() + "/" + input.name() + " has the same key as input "
                                        + rows.getString("channel") + "/" + rows.getString("name")
                                        + "; each input key must be unique across all channels");
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static void deleteChildren(Connection connection, String channel) throws SQLException {
        for (String table : List.of("inputs", "destinations", "webhooks")) {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM " + table + " WHERE channel = ?")) {
                delete.setString(1, channel);
                delete.executeUpdate();
            }
        }
    }

    private static void bindChannelColumns(
            PreparedStatement statement, ChannelConfig channel, FailoverConfig failover, int first)
            throws SQLException {
        statement.setInt(first, failover.inputLossMs());
        statement.setString(first + 1, failover.failback().yamlName());
        statement.setInt(first + 2, failover.clearMs());
        statement.setString(first + 3, failover.start().yamlName());
        statement.setString(first + 4, failover.timeline().yamlName());
        setNullableString(statement, first + 5, channel.slate());
        statement.setInt(first + 6, channel.relay().retryMaxMs());
        statement.setInt(first + 7, channel.relay().stallTimeoutMs());
        FailoverConfig.LowBitrate lowBitrate = failover.lowBitrate();
        if (lowBitrate == null) {
            statement.setNull(first + 8, Types.INTEGER);
            statement.setNull(first + 9, Types.INTEGER);
        } else {
            statement.setInt(first + 8, lowBitrate.belowKbps());
            statement.setInt(first + 9, lowBitrate.forMs());
        }
    }

    private static void bindOptional(PreparedStatement statement, String value) throws SQLException {
        if (value != null) {
            statement.setString(1, value);
        }
    }

    private static void setNullableString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private static <E extends Enum<E>> E enumOf(E[] values, Function<E, String> yamlName, String stored) {
        for (E value : values) {
            if (yamlName.apply(value).equals(stored)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown value '" + stored + "'");
    }

    /** A row the config records refuse was not written by this store: say which channel, keep the reason. */
    private static <T> T stored(String channel, SqlValue<T> value) throws SQLException {
        try {
            return value.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SQLException(
                    "stored channel '" + channel + "' is not a valid configuration: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SqlValue<T> {
        T get() throws SQLException;
    }
}
